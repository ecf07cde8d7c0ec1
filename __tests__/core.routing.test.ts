/**
 * What is batched with what, and what is never batched, through the real Client chain.
 */
import nock from "nock";
import { Readable } from "node:stream";
import { AuthenticationHandlerOptions, Client } from "@microsoft/microsoft-graph-client";
import { BatchingMiddleware, BatchingOptions, createBatchingMiddlewareChain } from "../src";
import { batchedClient, outcome, plainClient, tokenProvider } from "./helpers/clients";
import { interceptBatches } from "./helpers/nockBatch";

const GRAPH = "https://graph.microsoft.com";
const ok = (sub: { url: string }) => ({ status: 200, headers: { "Content-Type": "application/json" }, body: { url: sub.url } });

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

function plainGet(origin: string, path: string, times = 1) {
  return nock(origin).get(path).times(times).reply(200, { path }, { "Content-Type": "application/json" });
}

test("v1.0 and beta go to their own $batch endpoints", async () => {
  const v1 = interceptBatches(GRAPH, ok);
  const beta = interceptBatches(GRAPH, ok, { version: "beta" });
  const client = batchedClient();
  const results = await Promise.all([
    client.api("/users/a").get(),
    client.api("/users/b").version("beta").get(),
    client.api("/users/c").get(),
    client.api("/users/d").version("beta").get(),
  ]);
  expect(results.map((r) => r.url)).toEqual(["/users/a", "/users/b", "/users/c", "/users/d"]);
  expect(v1.map((b) => b.body.requests.map((r) => r.url))).toEqual([["/users/a", "/users/c"]]);
  expect(beta.map((b) => b.body.requests.map((r) => r.url))).toEqual([["/users/b", "/users/d"]]);
});

test("national clouds are batched on their own host", async () => {
  const us = interceptBatches("https://graph.microsoft.us", ok);
  const client = batchedClient({}, { baseUrl: "https://graph.microsoft.us/" });
  await Promise.all([client.api("/users/a").get(), client.api("/users/b").get()]);
  expect(us).toHaveLength(1);
  expect(us[0].headers.authorization).toBe("Bearer test-token");
});

test("hosts that are not Graph's, custom or configured pass through unbatched", async () => {
  const scope = plainGet("https://example.com", "/v1.0/things/1").get("/v1.0/things/2").reply(200, {});
  const client = batchedClient();
  await Promise.all([client.api("https://example.com/v1.0/things/1").get(), client.api("https://example.com/v1.0/things/2").get()]);
  scope.done();
});

test("customHosts of the client are batched, and the batch keeps them (the token is added)", async () => {
  const batches = interceptBatches("https://graph.contoso.test", ok);
  const client = batchedClient({}, { baseUrl: "https://graph.contoso.test/", customHosts: new Set(["graph.contoso.test"]) });
  await Promise.all([client.api("/users/a").get(), client.api("/users/b").get()]);
  expect(batches).toHaveLength(1);
  expect(batches[0].headers.authorization).toBe("Bearer test-token");
});

test("configured hosts (host:port, any scheme) are batched", async () => {
  const batches = interceptBatches("http://127.0.0.1:9999", ok);
  const client = batchedClient({ hosts: ["127.0.0.1:9999"] }, { baseUrl: "http://127.0.0.1:9999" });
  const results = await Promise.all([client.api("/users/a").get(), client.api("/users/b").get()]);
  expect(results.map((r) => r.url)).toEqual(["/users/a", "/users/b"]);
  expect(batches).toHaveLength(1);
});

test("a request with its own authentication never shares a batch with another identity, and its batch carries that identity", async () => {
  const batches = interceptBatches(GRAPH, ok);
  const client = batchedClient();
  const other = tokenProvider("other-token");
  const asOther = (url: string) => client.api(url).middlewareOptions([new AuthenticationHandlerOptions(other)]);
  await Promise.all([client.api("/users/a").get(), asOther("/users/b").get(), client.api("/users/c").get(), asOther("/users/d").get()]);
  const byToken = Object.fromEntries(batches.map((b) => [b.headers.authorization, b.body.requests.map((r) => r.url)]));
  expect(byToken).toEqual({ "Bearer test-token": ["/users/a", "/users/c"], "Bearer other-token": ["/users/b", "/users/d"] });
});

test("same provider and scopes in different option instances share a batch; other scopes do not", async () => {
  const batches = interceptBatches(GRAPH, ok);
  const client = batchedClient();
  const other = tokenProvider("other-token");
  const opts = (scopes: string[]) => [new AuthenticationHandlerOptions(other, { scopes })];
  await Promise.all([
    client.api("/users/a").middlewareOptions(opts(["User.Read"])).get(),
    client.api("/users/b").middlewareOptions(opts(["User.Read"])).get(),
    client.api("/users/c").middlewareOptions(opts(["Mail.Read"])).get(),
    client.api("/users/d").middlewareOptions(opts(["Mail.Read"])).get(),
  ]);
  expect(batches.map((b) => b.body.requests.map((r) => r.url)).sort()).toEqual([["/users/a", "/users/b"], ["/users/c", "/users/d"]]);
});

describe("never batched", () => {
  test("opted out with BatchingOptions({ enabled: false })", async () => {
    const batches = interceptBatches(GRAPH, ok);
    const scope = plainGet(GRAPH, "/v1.0/me/photo/$value");
    const client = batchedClient();
    await Promise.all([
      client.api("/users/a").get(),
      client.api("/users/b").get(),
      client.api("/me/photo/$value").middlewareOptions([new BatchingOptions({ enabled: false })]).get(),
    ]);
    scope.done();
    expect(batches[0].body.requests.map((r) => r.url)).toEqual(["/users/a", "/users/b"]);
  });

  test("shouldBatch returning false", async () => {
    const batches = interceptBatches(GRAPH, ok);
    const scope = plainGet(GRAPH, "/v1.0/users/secret");
    const seen: string[] = [];
    const client = batchedClient({ shouldBatch: (r) => (seen.push(`${r.method} ${r.url}`), !r.url.includes("secret")) });
    await Promise.all([client.api("/users/a").get(), client.api("/users/b").get(), client.api("/users/secret").get()]);
    scope.done();
    expect(seen).toContain("GET https://graph.microsoft.com/v1.0/users/secret");
    expect(batches[0].body.requests).toHaveLength(2);
  });

  test("$batch requests themselves", async () => {
    const scope = nock(GRAPH).post("/v1.0/$batch").times(2).reply(200, { responses: [] });
    const client = batchedClient();
    await Promise.all([client.api("/$batch").post({ requests: [] }), client.api("/$batch").post({ requests: [] })]);
    scope.done();
  });

  test("stream and FormData bodies, bodies without Content-Type, and bodies over maxBodyBytes", async () => {
    const scope = nock(GRAPH)
      .post("/v1.0/me/form").reply(200, {})
      .put("/v1.0/me/big").reply(200, {});
    const batches = interceptBatches(GRAPH, ok);
    const client = batchedClient({ maxBodyBytes: 16 });
    const form = new FormData();
    form.append("a", "b");
    const stream = () => Readable.from([Buffer.from("abc")]);
    const unbatched = await outcome(plainClient().api("/me/drive/root:/a.bin:/content").putStream(stream()));
    const results = await Promise.allSettled([
      client.api("/me/drive/root:/a.bin:/content").putStream(stream()),
      client.api("/me/form").header("Content-Type", "multipart/form-data").post(form),
      client.api("/me/big").header("Content-Type", "application/octet-stream").put(Buffer.alloc(17)),
      client.api("/users/a").get(),
      client.api("/users/b").get(),
    ]);
    expect(results.slice(1).every((r) => r.status === "fulfilled")).toBe(true);
    // Node's fetch refuses a stream body without `duplex`: the stream request fails exactly as
    // it does without the middleware, having never been put in a batch.
    expect(unbatched.ok).toBe(false);
    expect(await outcome(Promise.resolve(results[0]).then((r) => (r.status === "fulfilled" ? r.value : Promise.reject(r.reason))))).toEqual(unbatched);
    expect(batches).toHaveLength(1);
    expect(batches[0].body.requests.map((r) => r.url)).toEqual(["/users/a", "/users/b"]);
    scope.done();
  });

  test("a JSON body that does not parse is sent as it is, so Graph answers it as unbatched", async () => {
    const scope = nock(GRAPH).post("/v1.0/me/messages", "{not json").reply(400, { error: { code: "BadRequest", message: "bad json" } });
    interceptBatches(GRAPH, ok);
    const client = batchedClient();
    const results = await Promise.allSettled([client.api("/me/messages").header("Content-Type", "application/json").post("{not json"), client.api("/users/a").get(), client.api("/users/b").get()]);
    scope.done();
    expect(results[0]).toMatchObject({ status: "rejected", reason: { statusCode: 400, code: "BadRequest" } });
  });
});

test("BatchingMiddleware must not be the last middleware", async () => {
  const client = Client.initWithMiddleware({ middleware: new BatchingMiddleware() });
  await expect(client.api("/users/a").get()).rejects.toThrow(/cannot be the last middleware/);
});

test("createBatchingMiddlewareChain is the SDK's default chain with batching first", () => {
  const chain = createBatchingMiddlewareChain(tokenProvider());
  expect(chain[0]).toBeInstanceOf(BatchingMiddleware);
  expect(chain.map((m) => m.constructor.name)).toEqual([
    "BatchingMiddleware", "AuthenticationHandler", "RetryHandler", "RedirectHandler", "TelemetryHandler", "HTTPMessageHandler",
  ]);
});
