/**
 * Wire format of BatchingMiddleware through the real Client chain, pinned with nock.
 */
import nock from "nock";
import { AuthenticationHandlerOptions, Client, GraphError, ResponseType } from "@microsoft/microsoft-graph-client";
import { BatchingOptions } from "../src";
import { batchedClient, plainClient, outcome, tokenProvider, TOKEN } from "./helpers/clients";
import { interceptBatches } from "./helpers/nockBatch";

const GRAPH = "https://graph.microsoft.com";

function userAnswer(sub: { url: string }) {
  return { status: 200, headers: { "Content-Type": "application/json" }, body: { id: sub.url.split("/")[2], url: sub.url } };
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe("windows and splitting", () => {
  test.each([2, 20, 21, 45])("%i requests issued together make ceil(n/20) $batch calls", async (n) => {
    const batches = interceptBatches(GRAPH, userAnswer);
    const client = batchedClient();
    const ids = Array.from({ length: n }, (_, i) => `user-${i}`);
    const results = await Promise.all(ids.map((id) => client.api(`/users/${id}`).get()));
    expect(batches).toHaveLength(Math.ceil(n / 20));
    expect(batches.every((b) => b.body.requests.length <= 20)).toBe(true);
    expect(results.map((r) => r.id)).toEqual(ids);
    const sentIds = batches.flatMap((b) => b.body.requests.map((r) => r.id));
    for (const b of batches) expect(new Set(b.body.requests.map((r) => r.id)).size).toBe(b.body.requests.length);
    expect(sentIds).toHaveLength(n);
  });

  test("requests issued after their own awaits still share the window", async () => {
    const batches = interceptBatches(GRAPH, userAnswer);
    const client = batchedClient();
    const results = await Promise.all(
      Array.from({ length: 10 }, async (_, i) => {
        await Promise.resolve();
        await new Promise((r) => process.nextTick(r));
        return client.api(`/users/u${i}`).get();
      }),
    );
    expect(batches).toHaveLength(1);
    expect(results).toHaveLength(10);
  });

  test("a window of one request is sent as it is, not wrapped in $batch", async () => {
    const scope = nock(GRAPH).get("/v1.0/me").reply(200, { id: "me" }, { "Content-Type": "application/json" });
    const batches = interceptBatches(GRAPH, userAnswer);
    const me = await batchedClient().api("/me").get();
    expect(me).toEqual({ id: "me" });
    expect(batches).toHaveLength(0);
    scope.done();
  });

  test("maxBatchSize splits smaller batches", async () => {
    const batches = interceptBatches(GRAPH, userAnswer);
    const client = batchedClient({ maxBatchSize: 5 });
    await Promise.all(Array.from({ length: 12 }, (_, i) => client.api(`/users/u${i}`).get()));
    expect(batches.map((b) => b.body.requests.length)).toEqual([5, 5, 2]);
  });

  test("windowMs above 0 collects requests issued over that time", async () => {
    const batches = interceptBatches(GRAPH, userAnswer);
    const client = batchedClient({ windowMs: 50 });
    const first = client.api("/users/a").get();
    await new Promise((r) => setTimeout(r, 10));
    const second = client.api("/users/b").get();
    await Promise.all([first, second]);
    expect(batches).toHaveLength(1);
    expect(batches[0].body.requests.map((r) => r.url)).toEqual(["/users/a", "/users/b"]);
  });

  test("invalid options fail at construction with a clear error", () => {
    expect(() => batchedClient({ maxBatchSize: 21 })).toThrow(/maxBatchSize must be an integer from 1 to 20/);
    expect(() => batchedClient({ windowMs: -1 })).toThrow(/windowMs/);
    expect(() => batchedClient({ hosts: ["http://x"] })).toThrow(/hosts/);
    expect(() => batchedClient({ maxConcurrentBatches: 0 })).toThrow(/maxConcurrentBatches/);
  });
});

describe("encoding", () => {
  test("URLs are relative, without host or version, the query byte for byte", async () => {
    const batches = interceptBatches(GRAPH, userAnswer);
    const client = batchedClient();
    const raw = "/users?$filter=startswith(displayName,'J%C3%BCrgen')&$select=id,displayName&$search=\"a b\"";
    await Promise.all([client.api(raw).get(), client.api("https://graph.microsoft.com/v1.0/groups/g1/members?$top=5").get()]);
    const urls = batches[0].body.requests.map((r) => r.url);
    expect(urls[0]).toBe("/users?$filter=startswith(displayName,'J%C3%BCrgen')&$select=id,displayName&$search=\"a b\"");
    expect(urls[1]).toBe("/groups/g1/members?$top=5");
  });

  test("caller headers go into the sub-request; Authorization and telemetry go on the $batch call only", async () => {
    const batches = interceptBatches(GRAPH, userAnswer);
    const client = batchedClient();
    await Promise.all([
      client.api("/users/a").header("ConsistencyLevel", "eventual").header("Prefer", "outlook.body-content-type=\"text\"").get(),
      client.api("/users/b").header("If-Match", "W/\"1\"").header("Authorization", "Bearer caller").get(),
    ]);
    const [a, b] = batches[0].body.requests;
    expect(a.headers).toEqual({ ConsistencyLevel: "eventual", Prefer: 'outlook.body-content-type="text"' });
    expect(b.headers).toEqual({ "If-Match": 'W/"1"' });
    const outer = batches[0].headers;
    expect(outer.authorization).toBe(`Bearer ${TOKEN}`);
    expect(outer.sdkversion).toMatch(/graph-js/);
    expect(outer["content-type"]).toMatch(/application\/json/);
  });

  test("JSON bodies as JSON values, text as text, binary as base64, each with its Content-Type", async () => {
    const batches = interceptBatches(GRAPH, (sub) => ({ status: 204 }));
    const client = batchedClient();
    const bytes = Uint8Array.from([0xff, 0xd8, 0x00, 0x80, 0x7f, 0x01]);
    const b64 = Buffer.from(bytes).toString("base64");
    await Promise.all([
      client.api("/me/messages").post({ subject: "hi", n: 1 }),
      client.api("/me/notes").header("Content-Type", "text/plain").post("plain text é"),
      client.api("/me/photo/$value").header("Content-Type", "image/jpeg").put(Buffer.from(bytes)),
      client.api("/me/a").header("Content-Type", "application/octet-stream").put(bytes.buffer.slice(0)),
      client.api("/me/b").header("Content-Type", "application/octet-stream").put(new Uint8Array(bytes)),
      client.api("/me/c").header("Content-Type", "image/png").put(new Blob([bytes], { type: "image/png" })),
      client.api("/me/sendMail").header("Content-Type", "application/json").post('{"message":{"subject":"x"}}'),
    ]);
    const reqs = batches[0].body.requests;
    expect(reqs[0]).toMatchObject({ method: "POST", url: "/me/messages", body: { subject: "hi", n: 1 }, headers: { "Content-Type": "application/json" } });
    expect(reqs[1]).toMatchObject({ body: "plain text é", headers: { "Content-Type": "text/plain" } });
    expect(reqs[2]).toMatchObject({ method: "PUT", body: b64, headers: { "Content-Type": "image/jpeg" } });
    expect(reqs[3]).toMatchObject({ body: b64, headers: { "Content-Type": "application/octet-stream" } });
    expect(reqs[4]).toMatchObject({ body: b64 });
    expect(reqs[5]).toMatchObject({ body: b64, headers: { "Content-Type": "image/png" } });
    expect(reqs[6]).toMatchObject({ body: { message: { subject: "x" } } });
  });

  test("a POST without a body carries body {} and a JSON Content-Type, as Graph requires", async () => {
    const batches = interceptBatches(GRAPH, () => ({ status: 202 }));
    const client = batchedClient();
    await Promise.all([client.api("/me/messages/m1/send").post(undefined), client.api("/me/messages/m2/send").post(undefined)]);
    expect(batches[0].body.requests[0]).toMatchObject({ method: "POST", body: {}, headers: { "Content-Type": "application/json" } });
  });
});
