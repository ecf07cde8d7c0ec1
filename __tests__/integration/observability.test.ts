/**
 * Seeing into the middleware (issue 10): onEvent, stats(), the log, through the real v3 client
 * against the emulator.
 */
import { Client, GraphError, type Context } from "@microsoft/microsoft-graph-client";
import {
  BatchingMiddleware,
  createBatchingMiddlewareChain,
  BatchingOptions,
  type BatchingEvent,
  type BatchingMiddlewareOptions,
  type SettledEvent,
  type UnbatchedEvent,
} from "../../src";
import { createBatchingFetch } from "../../src/adapters/fetch";
import { startEmulator, type Emulator } from "../../src/emulator";
import { debugEnabled, formatEvent } from "../../src/utils/debug";
import { tokenProvider } from "../helpers/clients";
import { emulatorClient } from "../helpers/emulatorClients";

let emulator: Emulator;
afterEach(async () => {
  await emulator?.close();
  jest.restoreAllMocks();
});

/** A batching client on the emulator that records every event; `chain` can serve another client. */
function observed(options: BatchingMiddlewareOptions = {}) {
  const events: BatchingEvent[] = [];
  const chain = createBatchingMiddlewareChain(tokenProvider(), { hosts: [`127.0.0.1:${emulator.port}`], onEvent: (event) => events.push(event), ...options });
  const client = Client.initWithMiddleware({ baseUrl: emulator.url, middleware: chain });
  return { client, events, chain, middleware: chain[0] as BatchingMiddleware };
}

const of = <T extends BatchingEvent["type"]>(events: BatchingEvent[], type: T) => events.filter((e): e is Extract<BatchingEvent, { type: T }> => e.type === type);

describe("onEvent", () => {
  test("45 GETs: three batch-sent and batch-answered events, matched by batchId, and a settled event per caller", async () => {
    emulator = await startEmulator({ data: { users: 45 } });
    const { client, events } = observed();
    const ids = emulator.directory.users.map((u) => u.id);
    await Promise.all(ids.map((id) => client.api(`/users/${id}`).get()));

    const sent = of(events, "batch-sent");
    expect(sent.map((e) => e.size)).toEqual([20, 20, 5]);
    expect(sent.map((e) => e.batchId)).toEqual([1, 2, 3]);
    for (const e of sent) {
      expect(e.url).toBe(`${emulator.url}/v1.0/$batch`);
      expect(e.oldestWaitMs).toBeGreaterThanOrEqual(0);
    }
    const answered = of(events, "batch-answered");
    expect(answered.map((e) => e.batchId).sort()).toEqual([1, 2, 3]);
    for (const e of answered) expect(e).toMatchObject({ status: 200, throttled: 0, retried: 0, durationMs: expect.any(Number) });

    const settled = of(events, "settled");
    expect(settled).toHaveLength(45);
    expect(settled.map((e) => e.url).sort()).toEqual(ids.map((id) => `${emulator.url}/v1.0/users/${id}`).sort());
    for (const e of settled) expect(e).toEqual({ type: "settled", url: expect.any(String), method: "GET", status: 200, attempts: 1, batched: true });
    // Every batch is announced before its answer, and every caller settles after its batch left.
    expect(events.findIndex((e) => e.type === "batch-sent")).toBeLessThan(events.findIndex((e) => e.type === "settled"));
    expect(of(events, "unbatched")).toHaveLength(0);
  });

  test("says why each request was not batched, and settles it", async () => {
    emulator = await startEmulator();
    const me = emulator.directory.users[0].id;
    const base = `${emulator.url}/v1.0`;
    // The same emulator under a host name that is not batched.
    const other = `http://localhost:${emulator.port}/v1.0/users/${me}`;
    const { client, events, chain } = observed({ maxBodyBytes: 64, shouldBatch: (r) => !r.url.includes("$top=3") });
    const elsewhere = Client.initWithMiddleware({ baseUrl: `http://localhost:${emulator.port}`, middleware: chain });
    const outcome = (p: Promise<unknown>) => p.then(() => "ok", (e: GraphError) => e.statusCode);
    await Promise.all([
      outcome(client.api("/me").middlewareOptions([new BatchingOptions({ enabled: false })]).get()),
      outcome(elsewhere.api(`/users/${me}`).get()),
      outcome(client.api("/users?$top=3").get()),
      outcome(client.api(`/users/${me}/messages`).post({ subject: "x".repeat(100), body: { content: "long enough to pass 64 bytes" } })),
      outcome(client.api(`/users/${me}`).header("Content-Type", "application/json").patch("{not json")),
      outcome(client.api("/$batch").post({ requests: [{ id: "1", method: "GET", url: "/me" }] })),
      outcome(client.api("/users?$top=1").get()), // batched, with the next one
      outcome(client.api("/users?$top=2").get()),
    ]);
    const reasons = Object.fromEntries(of(events, "unbatched").map((e: UnbatchedEvent) => [e.url.replace(base, "").replace(other, "other"), e.reason]));
    expect(reasons).toEqual({
      "/me": "opted-out",
      other: "not-graph",
      "/users?$top=3": "should-batch",
      [`/users/${me}/messages`]: "too-large",
      [`/users/${me}`]: "body",
      "/$batch": "batch-endpoint",
    });
    const settled = of(events, "settled");
    expect(settled).toHaveLength(8);
    const unbatched = settled.filter((e) => !e.batched);
    expect(unbatched).toHaveLength(6);
    expect(settled.find((e) => e.url.endsWith(`/users/${me}`) && e.method === "PATCH")).toMatchObject({ status: 400, attempts: 1, batched: false });
    expect(of(events, "batch-sent").map((e) => e.size)).toEqual([2]);

    // Alone in its window: sent as it is, and said so.
    events.length = 0;
    await client.api("/me").get();
    expect(events).toEqual([
      { type: "unbatched", url: `${base}/me`, method: "GET", reason: "alone" },
      { type: "settled", url: `${base}/me`, method: "GET", status: 200, attempts: 1, batched: false },
      { type: "limit-changed", limit: 34 },
    ]);
  });

  test("a Request object goes as it is, and is seen: unbatched (request-object), settled, counted", async () => {
    emulator = await startEmulator();
    const me = emulator.directory.users[0].id;
    const url = `${emulator.url}/v1.0/users/${me}`;
    const events: BatchingEvent[] = [];
    const graphFetch = createBatchingFetch(fetch, { hosts: [`127.0.0.1:${emulator.port}`], onEvent: (e) => events.push(e) });
    const [byRequest, byUrl, missing] = await Promise.all([graphFetch(new Request(url)), graphFetch(url), graphFetch(new Request(`${url}x`), { method: "get" })]);
    expect((await byRequest.json()).id).toBe(me);
    expect((await byUrl.json()).id).toBe(me);
    expect(missing.status).toBe(404);
    expect(of(events, "unbatched")).toEqual([
      { type: "unbatched", url, method: "GET", reason: "request-object" },
      { type: "unbatched", url: `${url}x`, method: "GET", reason: "request-object" },
      { type: "unbatched", url, method: "GET", reason: "alone" },
    ]);
    expect(of(events, "settled").map((e) => [e.url, e.status, e.batched])).toEqual(
      expect.arrayContaining([[url, 200, false], [`${url}x`, 404, false], [url, 200, false]]),
    );
    expect(graphFetch.stats()).toMatchObject({ requestsUnbatched: 3, requestsBatched: 0, batchesSent: 0 });

    // The v3 middleware, handed a Request object by the client's HTTP layer: the same.
    const { chain, events: v3Events, middleware } = observed();
    const context: Context = { request: new Request(url), options: { headers: {} } };
    await chain[0].execute(context);
    expect((await context.response!.json()).id).toBe(me);
    expect(v3Events).toEqual([
      { type: "unbatched", url, method: "GET", reason: "request-object" },
      { type: "settled", url, method: "GET", status: 200, attempts: 1, batched: false },
    ]);
    expect(middleware.stats().requestsUnbatched).toBe(1);
  });

  test("a throttled scope: scope-paused, scope-resumed, throttled and retried counts, attempts 2, limit-changed", async () => {
    // Three tokens for the mailbox: of five requests, two are refused, and pass when retried.
    emulator = await startEmulator({ scopedThrottle: { mailboxConcurrency: 0, buckets: { "mailbox:u-0002": { capacity: 3, refillPerSecond: 50, retryAfterSeconds: 1 } } } });
    const { client, events, middleware } = observed();
    const results = await Promise.all([
      ...Array.from({ length: 5 }, (_, i) => client.api(`/users/u-0002/messages?$top=${i + 1}`).get()),
      ...Array.from({ length: 5 }, (_, i) => client.api(`/users/u-0003/messages?$top=${i + 1}`).get()),
    ]);
    expect(results).toHaveLength(10);

    const paused = of(events, "scope-paused");
    expect(paused).toEqual([{ type: "scope-paused", scope: "mailbox:u-0002", retryAfterMs: expect.any(Number) }]);
    expect(paused[0].retryAfterMs).toBeGreaterThan(900);
    expect(paused[0].retryAfterMs).toBeLessThanOrEqual(1000);
    expect(of(events, "scope-resumed")).toEqual([{ type: "scope-resumed", scope: "mailbox:u-0002" }]);
    expect(events.findIndex((e) => e.type === "scope-paused")).toBeLessThan(events.findIndex((e) => e.type === "scope-resumed"));
    expect(of(events, "batch-answered")).toEqual([
      { type: "batch-answered", batchId: 1, status: 200, durationMs: expect.any(Number), throttled: 2, retried: 2 },
      { type: "batch-answered", batchId: 2, status: 200, durationMs: expect.any(Number), throttled: 0, retried: 0 },
    ]);
    const settled = of(events, "settled");
    expect(settled.filter((e) => e.attempts === 2)).toHaveLength(2);
    expect(settled.filter((e) => e.attempts === 2).every((e: SettledEvent) => e.url.includes("u-0002") && e.status === 200)).toBe(true);
    // The second batch was clean: the window grew by one.
    expect(of(events, "limit-changed")).toContainEqual({ type: "limit-changed", limit: 33 });
    expect(middleware.stats()).toMatchObject({ retries: 2, batchesSent: 2, requestsBatched: 10, queued: 0, inFlight: 0, pausedScopes: 0 });
  });

  test("scope-resumed goes out when the pause ends, even when no request waits on the scope any more", async () => {
    // No retries: the two refused callers get their 429 at once, and nothing is left to wake the scope.
    emulator = await startEmulator({ scopedThrottle: { mailboxConcurrency: 0, buckets: { "mailbox:u-0002": { capacity: 3, refillPerSecond: 50, retryAfterSeconds: 1 } } } });
    const { client, events, middleware } = observed({ retry: { maxRetries: 0 } });
    const outcomes = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => client.api(`/users/u-0002/messages?$top=${i + 1}`).get()));
    expect(outcomes.filter((o) => o.status === "rejected").map((o) => ((o as PromiseRejectedResult).reason as GraphError).statusCode)).toEqual([429, 429]);
    expect(of(events, "scope-paused")).toEqual([{ type: "scope-paused", scope: "mailbox:u-0002", retryAfterMs: expect.any(Number) }]);
    expect(of(events, "scope-resumed")).toEqual([]);
    expect(middleware.stats().pausedScopes).toBe(1);

    const pausedAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, of(events, "scope-paused")[0].retryAfterMs + 300));
    expect(of(events, "scope-resumed")).toEqual([{ type: "scope-resumed", scope: "mailbox:u-0002" }]);
    expect(Date.now() - pausedAt).toBeGreaterThanOrEqual(900);
    expect(middleware.stats().pausedScopes).toBe(0);
  });

  test("events carry no token and no body", async () => {
    emulator = await startEmulator();
    const events: BatchingEvent[] = [];
    const graphFetch = createBatchingFetch(fetch, { hosts: [`127.0.0.1:${emulator.port}`], onEvent: (e) => events.push(e) });
    const user = emulator.directory.users[1].id;
    const headers = { Authorization: "Bearer SECRET-TOKEN-123", "Content-Type": "application/json" };
    await Promise.all([
      graphFetch(`${emulator.url}/v1.0/users/${user}`, { method: "PATCH", headers, body: JSON.stringify({ displayName: "SECRET-BODY-456" }) }),
      graphFetch(`${emulator.url}/v1.0/users/${user}`, { headers }),
      graphFetch(`${emulator.url}/v1.0/users/${user}`, { method: "PATCH", headers, body: "SECRET-BODY-789 is not JSON" }),
    ]);
    expect(events.length).toBeGreaterThanOrEqual(5);
    const text = JSON.stringify(events) + events.map(formatEvent).join("\n");
    for (const secret of ["SECRET-TOKEN-123", "SECRET-BODY-456", "SECRET-BODY-789"]) expect(text).not.toContain(secret);
  });

  test("a listener that throws is reported once and breaks no request", async () => {
    emulator = await startEmulator();
    const warn = jest.spyOn(console, "warn").mockImplementation(() => undefined);
    const client = emulatorClient(emulator, {
      onEvent: () => {
        throw new Error("listener bug");
      },
    });
    const ids = emulator.directory.users.slice(0, 5).map((u) => u.id);
    const users = await Promise.all(ids.map((id) => client.api(`/users/${id}`).get()));
    expect(users.map((u: { id: string }) => u.id)).toEqual(ids);
    await client.api("/me").get();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toMatch(/onEvent listener threw/);
    expect(warn.mock.calls[0][1]).toEqual(new Error("listener bug"));
  });
});

describe("stats()", () => {
  test("counts what is queued, in flight, sent and passed on", async () => {
    emulator = await startEmulator({ latencyMs: 30, data: { users: 25 } });
    const { client, middleware } = observed();
    expect(middleware.stats()).toEqual({ queued: 0, inFlight: 0, limit: 32, pausedScopes: 0, batchesSent: 0, requestsBatched: 0, requestsUnbatched: 0, retries: 0, deduplicated: 0 });

    const ids = emulator.directory.users.map((u) => u.id);
    const all = Promise.all(ids.map((id) => client.api(`/users/${id}`).get()));
    // The SDK's own async steps run first; wait until our window holds them, then until they left.
    await waitFor(() => middleware.stats().queued === 25 || middleware.stats().inFlight > 0);
    await waitFor(() => middleware.stats().inFlight === 2);
    expect(middleware.stats()).toMatchObject({ queued: 0, inFlight: 2, batchesSent: 2, requestsBatched: 25 });
    await all;
    await client.api("/me").get();
    await client.api("/me").middlewareOptions([new BatchingOptions({ enabled: false })]).get();
    // Two clean batches and one request alone each grew the limit by one.
    expect(middleware.stats()).toEqual({ queued: 0, inFlight: 0, limit: 35, pausedScopes: 0, batchesSent: 2, requestsBatched: 25, requestsUnbatched: 2, retries: 0, deduplicated: 0 });
  });
});

async function waitFor(probe: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

describe("the log", () => {
  test("logger gets one line per event", async () => {
    emulator = await startEmulator();
    const lines: string[] = [];
    const client = emulatorClient(emulator, { logger: (line) => lines.push(line) });
    const ids = emulator.directory.users.slice(0, 3).map((u) => u.id);
    await Promise.all(ids.map((id) => client.api(`/users/${id}`).get()));
    expect(lines[0]).toMatch(/^batch #1 sent: 3 requests to http:\/\/127\.0\.0\.1:\d+\/v1\.0\/\$batch, oldest waited \d+ ms$/);
    expect(lines).toContainEqual(expect.stringMatching(/^batch #1 answered 200 in \d+ ms \(0 throttled, 0 retried\)$/));
    expect(lines.filter((l) => /^settled GET .*\/users\/.* -> 200 \(batched, 1 attempt\)$/.test(l))).toHaveLength(3);

    const withDebugMethod: string[] = [];
    const other = emulatorClient(emulator, { logger: { debug: (line: string) => withDebugMethod.push(line) } });
    await other.api("/me").get();
    expect(withDebugMethod).toEqual([
      expect.stringMatching(/^unbatched GET .*\/me \(alone\)$/),
      expect.stringMatching(/-> 200 \(unbatched, 1 attempt\)$/),
      "limit: 33 batches in flight",
    ]);
  });

  test("DEBUG=msgraph-batching writes the lines to stderr; without it nothing is written", async () => {
    emulator = await startEmulator();
    const error = jest.spyOn(console, "error").mockImplementation(() => undefined);
    const saved = process.env.DEBUG;
    try {
      process.env.DEBUG = "other,msgraph-batching";
      await emulatorClient(emulator).api("/me").get();
      expect(error.mock.calls.map((c) => c[0])).toEqual([
        expect.stringMatching(/^msgraph-batching unbatched GET /),
        expect.stringMatching(/^msgraph-batching settled GET /),
        "msgraph-batching limit: 33 batches in flight",
      ]);
      error.mockClear();
      delete process.env.DEBUG;
      await emulatorClient(emulator).api("/me").get();
      expect(error).not.toHaveBeenCalled();
    } finally {
      if (saved === undefined) delete process.env.DEBUG;
      else process.env.DEBUG = saved;
    }
  });

  test.each([
    ["msgraph-batching", true],
    ["*", true],
    ["msgraph-*", true],
    ["msgraph-batching:*", true],
    ["express,msgraph-batching", true],
    ["express msgraph-batching", true],
    ["*,-msgraph-batching", false],
    ["express", false],
    ["msgraph", false],
    ["", false],
  ])("DEBUG=%j turns the log on: %s", (value, expected) => {
    expect(debugEnabled(value)).toBe(expected);
  });
});
