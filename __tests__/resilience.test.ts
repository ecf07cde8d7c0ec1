/**
 * Issue 4 through the real Client chain with nock: throttled sub-requests, partial responses,
 * aborts, concurrency and ordering.
 */
import nock from "nock";
import { Client, GraphError } from "@microsoft/microsoft-graph-client";
import { BatchingMiddleware, BatchingOptions } from "../src";
import { batchedClient, outcome } from "./helpers/clients";
import { GRAPH, scriptedBatches, Sub } from "./helpers/scriptedBatches";

const json = { "Content-Type": "application/json" };

/**
 * What fetch rejects with on abort (a DOMException "AbortError"), as the SDK wraps it: under
 * plain Node its `code` is "AbortError"; under jest, whose DOMException is not the sandbox's
 * `Error`, the SDK keeps it in `body` instead.
 */
function isAbortError(error: { code?: unknown; body?: unknown }): boolean {
  return error.code === "AbortError" || String(error.body).startsWith("AbortError");
}

const okBody = (sub: Sub) => ({ status: 200, headers: json, body: { url: sub.url } });

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe("throttled sub-requests", () => {
  test("a 429 inside a 200 batch is retried in a later batch after its Retry-After", async () => {
    const server = scriptedBatches((sub, attempt) =>
      sub.url === "/users/b" && attempt === 0 ? { status: 429, headers: { "Retry-After": "1", ...json }, body: { error: { code: "TooManyRequests", message: "slow down" } } } : okBody(sub),
    );
    const client = batchedClient();
    const results = await Promise.all(["/users/a", "/users/b", "/users/c"].map((u) => client.api(u).get()));
    expect(results.map((r) => r.url)).toEqual(["/users/a", "/users/b", "/users/c"]);
    expect(server.batches.map((b) => b.requests.map((r) => r.url))).toEqual([["/users/a", "/users/b", "/users/c"], ["/users/b"]]);
    expect(server.batches[1].at - server.batches[0].at).toBeGreaterThanOrEqual(950);
  });

  test("Retry-After as an HTTP date, and exponential back-off when there is none", async () => {
    const server = scriptedBatches((sub, attempt) => {
      if (attempt > 0) return okBody(sub);
      if (sub.url === "/users/date") return { status: 503, headers: { "Retry-After": new Date(Date.now() + 1500).toUTCString() } };
      if (sub.url === "/users/none") return { status: 429 };
      return okBody(sub);
    });
    const client = batchedClient({ retry: { baseDelayMs: 20 } });
    const results = await Promise.all(["/users/date", "/users/none", "/users/x"].map((u) => client.api(u).get()));
    expect(results).toHaveLength(3);
    expect(server.sent("GET", "/users/date")).toBe(2);
    expect(server.sent("GET", "/users/none")).toBe(2);
  });

  test("when retries run out the caller gets the last answer: a GraphError 429", async () => {
    const server = scriptedBatches((sub) =>
      sub.url === "/users/hot" ? { status: 429, headers: { "Retry-After": "0", ...json }, body: { error: { code: "TooManyRequests", message: "throttled" } } } : okBody(sub),
    );
    const client = batchedClient({ retry: { maxRetries: 2 } });
    const [hot, cool] = await Promise.all([outcome(client.api("/users/hot").get()), outcome(client.api("/users/cool").get())]);
    expect(hot).toMatchObject({ ok: false, error: { statusCode: 429, code: "TooManyRequests", message: "throttled" } });
    expect(cool.ok).toBe(true);
    expect(server.sent("GET", "/users/hot")).toBe(3);
  });

  test("BatchingOptions.maxRetries overrides the middleware's setting for one request", async () => {
    const server = scriptedBatches((sub) => (sub.url.startsWith("/users/hot") ? { status: 429, headers: { "Retry-After": "0" } } : okBody(sub)));
    const client = batchedClient({ retry: { maxRetries: 3 } });
    await Promise.all([
      outcome(client.api("/users/hot1").middlewareOptions([new BatchingOptions({ maxRetries: 0 })]).get()),
      outcome(client.api("/users/hot2").get()),
    ]);
    expect(server.sent("GET", "/users/hot1")).toBe(1);
    expect(server.sent("GET", "/users/hot2")).toBe(4);
  });

  test("a Retry-After above retry.maxDelayMs is not waited for", async () => {
    const server = scriptedBatches((sub) => (sub.url === "/users/hot" ? { status: 429, headers: { "Retry-After": "3600" } } : okBody(sub)));
    const client = batchedClient({ retry: { maxDelayMs: 1000 } });
    const [hot] = await Promise.all([outcome(client.api("/users/hot").get()), client.api("/users/x").get()]);
    expect(hot).toMatchObject({ ok: false, error: { statusCode: 429 } });
    expect(server.sent("GET", "/users/hot")).toBe(1);
  });

  test("writes: 429 and 503 are retried (nothing ran), 504 is not (it may have run); reads retry all three", async () => {
    const server = scriptedBatches((sub, attempt) => {
      const status = Number(sub.url.split("/").pop());
      return attempt === 0 ? { status, headers: { "Retry-After": "0" } } : { status: 201, headers: json, body: { done: sub.url } };
    });
    const client = batchedClient();
    const results = await Promise.all([
      outcome(client.api("/me/messages/429").post({})),
      outcome(client.api("/me/messages/503").post({})),
      outcome(client.api("/me/messages/504").post({})),
      outcome(client.api("/me/messages/504").get()),
    ]);
    expect(results.map((r) => (r.ok ? "ok" : r.error!.statusCode))).toEqual(["ok", "ok", 504, "ok"]);
    expect(server.sent("POST", "/me/messages/504")).toBe(1);
  });

  test("while the service throttles, later requests wait too (shared back-off)", async () => {
    const server = scriptedBatches((sub, attempt) => (sub.url === "/users/hot" && attempt === 0 ? { status: 429, headers: { "Retry-After": "1" } } : okBody(sub)));
    const client = batchedClient();
    await Promise.all([client.api("/users/hot").get(), client.api("/users/a").get()]);
    const firstAt = server.batches[0].at;
    server.batches.length = 0;
    // Both the retry and this fresh request were held until the Retry-After had passed.
    await Promise.all([client.api("/users/later1").get(), client.api("/users/later2").get()]);
    expect(server.batches[0].at - firstAt).toBeGreaterThanOrEqual(950);
  });
});

describe("outer failures and partial responses", () => {
  test("an outer 503 of the $batch call is retried by the SDK's RetryHandler further down the chain", async () => {
    nock(GRAPH).post("/v1.0/$batch").reply(503, { error: { code: "ServiceUnavailable", message: "busy" } }, { "Retry-After": "0" });
    const server = scriptedBatches(okBody);
    const client = batchedClient();
    const results = await Promise.all(["/users/a", "/users/b"].map((u) => client.api(u).get()));
    expect(results.map((r) => r.url)).toEqual(["/users/a", "/users/b"]);
    expect(server.batches).toHaveLength(1);
  });

  test("a top-level nextLink is followed until absent and its responses are delivered", async () => {
    nock(GRAPH)
      .post("/v1.0/$batch")
      .reply(200, { responses: [{ id: "2", status: 200, headers: json, body: { n: 2 } }], nextLink: "https://graph.microsoft.com/v1.0/$batch/next/t1" })
      .get("/v1.0/$batch/next/t1")
      .reply(200, { responses: [{ id: "1", status: 200, headers: json, body: { n: 1 } }], nextLink: "https://graph.microsoft.com/v1.0/$batch/next/t2" })
      .get("/v1.0/$batch/next/t2")
      .reply(200, { responses: [{ id: "3", status: 204 }] });
    const client = batchedClient();
    const results = await Promise.all([client.api("/users/a").get(), client.api("/users/b").get(), client.api("/me/messages/m1").delete()]);
    expect(results).toEqual([{ n: 1 }, { n: 2 }, undefined]);
    expect(nock.isDone()).toBe(true);
  });

  test("a missing response with no nextLink: a GET is sent again, a POST rejects", async () => {
    const server = scriptedBatches((sub, attempt) => (attempt === 0 && sub.url !== "/users/present" ? undefined : { status: 200, headers: json, body: { url: sub.url } }));
    const client = batchedClient();
    const [get, post, present] = await Promise.all([
      outcome(client.api("/users/missing").get()),
      outcome(client.api("/me/messages").post({ a: 1 })),
      outcome(client.api("/users/present").get()),
    ]);
    expect(get).toEqual({ ok: true, value: { url: "/users/missing" } });
    expect(post).toMatchObject({ ok: false, error: { code: "MissingResponseError" } });
    expect(present.ok).toBe(true);
    expect(server.sent("POST", "/me/messages")).toBe(1);
    expect(server.sent("GET", "/users/missing")).toBe(2);
  });
});

describe("aborts", () => {
  test("aborted before its batch leaves: taken out, rejects with an AbortError", async () => {
    const server = scriptedBatches(okBody);
    const client = batchedClient();
    const controller = new AbortController();
    const aborted = client.api("/users/gone").option("signal", controller.signal).get();
    const kept = [client.api("/users/a").get(), client.api("/users/b").get()];
    controller.abort();
    expect(isAbortError(await aborted.catch((e) => e))).toBe(true);
    await Promise.all(kept);
    expect(server.batches.flatMap((b) => b.requests.map((r) => r.url))).toEqual(["/users/a", "/users/b"]);
  });

  test("already aborted: rejects without being sent", async () => {
    const server = scriptedBatches(okBody);
    const controller = new AbortController();
    controller.abort();
    const client = batchedClient();
    expect(isAbortError(await client.api("/users/a").option("signal", controller.signal).get().catch((e) => e))).toBe(true);
    expect(server.batches).toHaveLength(0);
  });

  test("aborted after its batch left: rejects at once while the rest of the batch goes on", async () => {
    scriptedBatches(okBody, { delayMs: 400 });
    const client = batchedClient();
    const controller = new AbortController();
    const started = Date.now();
    const aborted = client.api("/users/gone").option("signal", controller.signal).get();
    const kept = client.api("/users/a").get();
    setTimeout(() => controller.abort(), 50);
    expect(isAbortError(await aborted.catch((e) => e))).toBe(true);
    expect(Date.now() - started).toBeLessThan(400);
    await expect(kept).resolves.toEqual({ url: "/users/a" });
  });

  test("an abort reason given by the caller is what the caller gets", async () => {
    scriptedBatches(okBody);
    const client = batchedClient();
    const controller = new AbortController();
    const p = client.api("/users/a").option("signal", controller.signal).get();
    const others = [client.api("/users/b").get(), client.api("/users/c").get()];
    controller.abort(new Error("user left the page"));
    await expect(p).rejects.toThrow("user left the page");
    await Promise.all(others);
  });
});

test("maxConcurrentBatches bounds the batches in flight; the rest wait in order", async () => {
  const server = scriptedBatches(okBody, { delayMs: 30 });
  const client = batchedClient({ maxConcurrentBatches: 2 });
  const urls = Array.from({ length: 100 }, (_, i) => `/users/u${i}`);
  const results = await Promise.all(urls.map((u) => client.api(u).get()));
  expect(results.map((r) => r.url)).toEqual(urls);
  expect(server.batches).toHaveLength(5);
  expect(server.peak()).toBe(2);
  expect(server.batches.flatMap((b) => b.requests.map((r) => r.url))).toEqual(urls);
});

describe("ordering with BatchingOptions", () => {
  const after = (id: string, dependsOn?: string | string[]) => [new BatchingOptions({ id, dependsOn })];

  test("dependsOn maps to Graph's dependsOn inside one batch, dependencies first", async () => {
    const server = scriptedBatches((sub) => ({ status: 201, headers: json, body: { url: sub.url } }));
    const client = batchedClient();
    await Promise.all([
      client.api("/me/messages/2/send").middlewareOptions(after("send", "create")).post({}),
      client.api("/users/x").get(),
      client.api("/me/messages").middlewareOptions(after("create")).post({ subject: "s" }),
      client.api("/me/messages/2/move").middlewareOptions(after("move", "send")).post({}),
    ]);
    // Graph runs one dependsOn shape per batch: the chain travels alone, /users/x beside it.
    expect(server.batches.map((b) => b.requests.length).sort()).toEqual([1, 3]);
    const reqs = server.batches.find((b) => b.requests.length === 3)!.requests;
    const byUrl = Object.fromEntries(reqs.map((r) => [r.url, r]));
    expect(byUrl["/me/messages/2/send"].dependsOn).toEqual([byUrl["/me/messages"].id]);
    expect(byUrl["/me/messages/2/move"].dependsOn).toEqual([byUrl["/me/messages/2/send"].id]);
    expect(byUrl["/me/messages"].dependsOn).toBeUndefined();
    const order = reqs.map((r) => r.url);
    expect(order.indexOf("/me/messages")).toBeLessThan(order.indexOf("/me/messages/2/send"));
    expect(order.indexOf("/me/messages/2/send")).toBeLessThan(order.indexOf("/me/messages/2/move"));
  });

  test("a failed dependency reaches the dependent caller as a GraphError 424", async () => {
    scriptedBatches((sub) =>
      sub.url === "/me/messages"
        ? { status: 400, headers: json, body: { error: { code: "BadRequest", message: "no" } } }
        : { status: 424, headers: json, body: { error: { code: "FailedDependency", message: "dependency failed" } } },
    );
    const client = batchedClient();
    const [create, send] = await Promise.all([
      outcome(client.api("/me/messages").middlewareOptions(after("create")).post({})),
      outcome(client.api("/me/messages/1/send").middlewareOptions(after("send", "create")).post({})),
    ]);
    expect(create).toMatchObject({ ok: false, error: { statusCode: 400 } });
    expect(send).toMatchObject({ ok: false, error: { statusCode: 424, code: "FailedDependency" } });
  });

  test("a shape Graph does not support is rejected with a clear error before anything is sent", async () => {
    const server = scriptedBatches(okBody);
    const client = batchedClient();
    const results = await Promise.all([
      outcome(client.api("/a").middlewareOptions(after("a")).post({})),
      outcome(client.api("/b").middlewareOptions(after("b")).post({})),
      outcome(client.api("/c").middlewareOptions(after("c", ["a", "b"])).post({})),
      outcome(client.api("/d").middlewareOptions(after("d", "nobody")).post({})),
    ]);
    for (const r of results) expect(r).toMatchObject({ ok: false, error: { code: "BatchOrderingError" } });
    expect(results[2].error!.message).toMatch(/serial chain|same single request/);
    expect(results[3].error!.message).toMatch(/"nobody"/);
    expect(server.batches).toHaveLength(0);
  });
});

test("GraphError is what callers catch for every failure kind", async () => {
  nock(GRAPH).post("/v1.0/$batch").reply(200, { responses: [] });
  const client = batchedClient({ retry: { maxRetries: 0 } });
  const errors = await Promise.all([client.api("/users/a").get().catch((e) => e), client.api("/users/b").get().catch((e) => e)]);
  for (const e of errors) expect(e).toBeInstanceOf(GraphError);
});

describe("aborts and ordering", () => {
  const order = (id: string, dependsOn?: string) => [new BatchingOptions({ id, dependsOn })];

  test("aborting a dependency before it leaves rejects what runs after it, and only that", async () => {
    const server = scriptedBatches((sub) => ({ status: 200, headers: json, body: { url: sub.url } }));
    const client = batchedClient({ windowMs: 50 });
    const controller = new AbortController();
    const results = Promise.all([
      outcome(client.api("/a").middlewareOptions(order("a")).option("signal", controller.signal).post({})),
      outcome(client.api("/b").middlewareOptions(order("b", "a")).post({})),
      outcome(client.api("/c").middlewareOptions(order("c", "b")).post({})),
      outcome(client.api("/x").get()),
      outcome(client.api("/y").get()),
    ]);
    setTimeout(() => controller.abort(), 10); // while the window is open
    const [a, b, c, x, y] = await results;
    expect(a.ok).toBe(false);
    expect(b).toMatchObject({ ok: false, error: { message: expect.stringMatching(/depends on was aborted/) } });
    expect(c).toMatchObject({ ok: false, error: { message: expect.stringMatching(/depends on was aborted/) } });
    expect([x.ok, y.ok]).toEqual([true, true]);
    expect(server.batches.flatMap((batch) => batch.requests.map((r) => r.url))).toEqual(["/x", "/y"]);
  });

  test("aborting the last of a chain leaves the rest of the chain to run", async () => {
    const server = scriptedBatches((sub) => ({ status: 200, headers: json, body: { url: sub.url } }));
    const client = batchedClient();
    const controller = new AbortController();
    const results = Promise.all([
      outcome(client.api("/a").middlewareOptions(order("a")).post({})),
      outcome(client.api("/b").middlewareOptions(order("b", "a")).post({})),
      outcome(client.api("/c").middlewareOptions(order("c", "b")).option("signal", controller.signal).post({})),
    ]);
    controller.abort();
    const [a, b, c] = await results;
    expect([a.ok, b.ok, c.ok]).toEqual([true, true, false]);
    expect(server.batches[0].requests.map((r) => [r.url, r.dependsOn ?? []])).toEqual([["/a", []], ["/b", ["1"]]]);
  });
});

test("when every request of a batch in flight has aborted, the $batch call itself is aborted", async () => {
  const seen: AbortSignal[] = [];
  // The last link holds the $batch call open until its signal aborts, as a socket would.
  const transport = {
    execute: (context: { options?: { signal?: AbortSignal | null } }) =>
      new Promise<void>((_, reject) => {
        const signal = context.options!.signal!;
        seen.push(signal);
        signal.addEventListener("abort", () => reject(signal.reason));
      }),
  };
  const middleware = new BatchingMiddleware();
  const client = Client.initWithMiddleware({ middleware: [middleware, transport as never] });
  const controllers = [new AbortController(), new AbortController()];
  const calls = controllers.map((c, i) => client.api(`/users/${i}`).option("signal", c.signal).get().catch((e) => e));
  await new Promise((r) => setTimeout(r, 20));
  expect(seen).toHaveLength(1);
  controllers[0].abort();
  expect(seen[0].aborted).toBe(false); // the other caller still waits for it
  controllers[1].abort();
  expect(seen[0].aborted).toBe(true);
  await Promise.all(calls);
});
