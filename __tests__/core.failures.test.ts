/**
 * Redirects and whole-batch failures, through the real Client chain with nock.
 */
import nock from "nock";
import { GraphError, ResponseType, RetryHandlerOptions } from "@microsoft/microsoft-graph-client";
import { batchedClient, outcome, plainClient } from "./helpers/clients";
import { normalize } from "./helpers/fakeGraph";
import { interceptBatches } from "./helpers/nockBatch";

const GRAPH = "https://graph.microsoft.com";
const FILE = Uint8Array.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0x80]);
const ok = (sub: { url: string }) => ({ status: 200, headers: { "Content-Type": "application/json" }, body: { url: sub.url } });

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe("302 from /content", () => {
  function serveDownload(times: number) {
    const seenAuth: (string | undefined)[] = [];
    nock("https://files.example.net")
      .get("/dl/f1")
      .query({ sig: "abc" })
      .times(times)
      .reply((request) => {
        seenAuth.push(request.headers.get("authorization") ?? undefined);
        return [200, Buffer.from(FILE), { "Content-Type": "application/octet-stream" }];
      });
    return seenAuth;
  }

  test("is followed, and the caller gets the file's bytes as unbatched, without the token going to the download host", async () => {
    nock(GRAPH).get("/v1.0/me/drive/items/f1/content").reply(302, undefined, { Location: "https://files.example.net/dl/f1?sig=abc" });
    const seenAuth = serveDownload(3);
    const expected = await normalize(await plainClient().api("/me/drive/items/f1/content").responseType(ResponseType.ARRAYBUFFER).get());

    const batches = interceptBatches(GRAPH, (sub) =>
      sub.url.endsWith("/content") ? { status: 302, headers: { Location: "https://files.example.net/dl/f1?sig=abc" } } : ok(sub),
    );
    const client = batchedClient();
    const [file, other] = await Promise.all([
      client.api("/me/drive/items/f1/content").responseType(ResponseType.ARRAYBUFFER).get(),
      client.api("/users/a").get(),
      client.api("/me/drive/items/f1/content").get().then(async (stream: ReadableStream) => new Uint8Array(await new Response(stream).arrayBuffer())),
    ]);
    expect(batches).toHaveLength(1);
    expect(await normalize(file)).toEqual(expected);
    expect(other).toEqual({ url: "/users/a" });
    expect(seenAuth).toEqual([undefined, undefined, undefined]);
  });

  test("is handed over as it is when the caller asked for manual redirects", async () => {
    interceptBatches(GRAPH, (sub) => (sub.url.endsWith("/content") ? { status: 302, headers: { Location: "https://files.example.net/dl/f1?sig=abc" } } : ok(sub)));
    const client = batchedClient();
    const [raw] = (await Promise.all([
      client.api("/me/drive/items/f1/content").option("redirect", "manual").responseType(ResponseType.RAW).get(),
      // Same transport options, so the two share a batch (redirect is one: see transport.test.ts).
      client.api("/users/a").option("redirect", "manual").get(),
    ])) as Response[];
    expect(raw.status).toBe(302);
    expect(raw.headers.get("location")).toBe("https://files.example.net/dl/f1?sig=abc");
  });
});

describe("failure of the whole batch", () => {
  const noRetry = () => [new RetryHandlerOptions(0, 0)];

  test("a non-2xx outer status: every caller gets a GraphError with that status, naming the batch", async () => {
    nock(GRAPH).post("/v1.0/$batch").reply(401, { error: { code: "InvalidAuthenticationToken", message: "Access token has expired." } });
    const client = batchedClient();
    const results = await Promise.all(["/users/a", "/users/b", "/users/c"].map((u) => outcome(client.api(u).get())));
    for (const r of results) {
      expect(r.ok).toBe(false);
      expect(r).toMatchObject({ error: { statusCode: 401, code: "InvalidAuthenticationToken" } });
      expect(r.error!.message).toMatch(/\$batch request .* failed with HTTP 401.*Access token has expired/);
    }
  });

  test("an outer 500 without a Graph error body", async () => {
    nock(GRAPH).post("/v1.0/$batch").reply(500, "<html>oops</html>", { "Content-Type": "text/html" });
    const client = batchedClient();
    const results = await Promise.all(["/users/a", "/users/b"].map((u) => client.api(u).get().catch((e: GraphError) => e)));
    for (const e of results) {
      expect(e).toBeInstanceOf(GraphError);
      expect(e).toMatchObject({ statusCode: 500, code: "BatchRequestFailed" });
      expect(e.message).toMatch(/HTTP 500/);
    }
  });

  test("a network error reaches every caller of that batch as it reaches an unbatched caller", async () => {
    nock(GRAPH).get("/v1.0/users/a").replyWithError({ code: "ECONNRESET", message: "socket hang up" });
    const unbatched = await outcome(plainClient().api("/users/a").get());
    nock(GRAPH).post("/v1.0/$batch").replyWithError({ code: "ECONNRESET", message: "socket hang up" });
    const client = batchedClient();
    const results = await Promise.all(["/users/a", "/users/b"].map((u) => outcome(client.api(u).get())));
    expect(unbatched.ok).toBe(false);
    for (const e of results) expect(e).toEqual(unbatched);
  });

  test.each([
    ["not JSON", "<html>maintenance</html>"],
    ["JSON without responses", JSON.stringify({ value: [] })],
    ["responses not an array", JSON.stringify({ responses: {} })],
  ])("a 200 whose body is not a batch response (%s) rejects every caller, naming it", async (_, body) => {
    nock(GRAPH).post("/v1.0/$batch").reply(200, body, { "Content-Type": "application/json" });
    const client = batchedClient();
    const results = await Promise.all(["/users/a", "/users/b"].map((u) => client.api(u).get().catch((e: GraphError) => e)));
    for (const e of results) {
      expect(e).toMatchObject({ code: "BatchResponseError" });
      expect(e.message).toMatch(/answered HTTP 200, but/);
    }
  });

  test("a missing response rejects that caller only; a response with an unknown id is ignored", async () => {
    nock(GRAPH)
      .post("/v1.0/$batch")
      .reply(200, {
        responses: [
          { id: "1", status: 201, headers: { "Content-Type": "application/json" }, body: { id: "m1" } },
          { id: "99", status: 200, body: { stray: true } },
        ],
      });
    const client = batchedClient();
    const [created, missing] = await Promise.all([
      outcome(client.api("/me/messages").post({ subject: "a" })),
      outcome(client.api("/me/messages").post({ subject: "b" })),
    ]);
    expect(created).toEqual({ ok: true, value: { id: "m1" } });
    expect(missing).toMatchObject({ ok: false, error: { code: "MissingResponseError" } });
    expect(missing.error!.message).toMatch(/no answer for this POST request.*not sent again/);
  });

  test("unreadable entries reject their callers with a clear error", async () => {
    nock(GRAPH)
      .post("/v1.0/$batch")
      .reply(200, { responses: [{ id: "1", status: 99 }, { id: "2", status: 200, headers: { "Content-Type": "application/json" }, body: { ok: 1 } }, "junk"] });
    const client = batchedClient();
    const [bad, good] = await Promise.all([outcome(client.api("/me/messages").post({})), outcome(client.api("/me/messages").post({}))]);
    expect(bad).toMatchObject({ ok: false, error: { code: "MissingResponseError" } });
    expect(bad.error!.message).toMatch(/invalid status 99/);
    expect(good).toEqual({ ok: true, value: { ok: 1 } });
  });
});
