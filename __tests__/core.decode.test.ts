/**
 * Decoding through the real Client: every call is made unbatched and batched against the same
 * answers, and the callers must get the same thing both ways.
 */
import nock from "nock";
import { GraphError, ResponseType } from "@microsoft/microsoft-graph-client";
import { batchedClient, outcome, plainClient } from "./helpers/clients";
import { normalize, serveBothWays, Answer } from "./helpers/fakeGraph";

const GRAPH = "https://graph.microsoft.com";
const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x80, 0x81, 0xfe, 0x00, 0xff, 0xd9]);
const JSON_TYPE = "application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8";

function resolve(method: string, url: string): Answer {
  if (url === "/users/a") return { status: 200, headers: { "Content-Type": JSON_TYPE, ETag: 'W/"1"' }, body: { id: "a", displayName: "Ann", n: 1.5, tags: ["x"] } };
  if (url === "/users/lower") return { status: 200, headers: { "content-type": "application/json" }, body: { id: "lower" } };
  if (url === "/users/missing") {
    return {
      status: 404,
      headers: { "Content-Type": "application/json" },
      body: { error: { code: "Request_ResourceNotFound", message: "Resource 'missing' does not exist", innerError: { "request-id": "r-1", date: "2026-01-01T00:00:00" } } },
    };
  }
  if (url === "/me/messages/m1" && method === "DELETE") return { status: 204 };
  if (url === "/me/photo/$value") return { status: 200, headers: { "Content-Type": "image/jpeg" }, binary: JPEG };
  if (url === "/reports/plain") return { status: 200, headers: { "Content-Type": "text/plain" }, body: "line one\nline two é" };
  if (url === "/users/throttled-forever") return { status: 400, headers: { "Content-Type": "application/json" }, body: { error: { code: "BadRequest", message: "bad $filter" } } };
  if (url === "/users/etag") return { status: 304 };
  return { status: 500, headers: { "Content-Type": "application/json" }, body: { error: { code: "unexpected", message: url } } };
}

type Call = (client: ReturnType<typeof plainClient>) => Promise<unknown>;
const calls: Record<string, Call> = {
  json: (c) => c.api("/users/a").get(),
  "lower-case content-type": (c) => c.api("/users/lower").get(),
  "404 GraphError": (c) => c.api("/users/missing").get(),
  "400 GraphError": (c) => c.api("/users/throttled-forever").get(),
  "204 no content": (c) => c.api("/me/messages/m1").delete(),
  "binary photo (Blob)": (c) => c.api("/me/photo/$value").get(),
  "binary photo (ArrayBuffer)": (c) => c.api("/me/photo/$value").responseType(ResponseType.ARRAYBUFFER).get(),
  "text/plain": (c) => c.api("/reports/plain").get(),
  "text as TEXT": (c) => c.api("/reports/plain").responseType(ResponseType.TEXT).get(),
  "raw Response": (c) => c.api("/users/a").responseType(ResponseType.RAW).get(),
  "raw binary Response": (c) => c.api("/me/photo/$value").responseType(ResponseType.RAW).get(),
  "304 raw": (c) => c.api("/users/etag").header("If-None-Match", 'W/"1"').responseType(ResponseType.RAW).get(),
};

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

test("every caller gets what it gets unbatched", async () => {
  const names = Object.keys(calls);
  serveBothWays(GRAPH, resolve);
  const plain = plainClient();
  const expected = [];
  for (const name of names) expected.push(await outcome(calls[name](plain)));

  nock.cleanAll();
  const batches = serveBothWays(GRAPH, resolve);
  const batched = batchedClient();
  const actual = await Promise.all(names.map((name) => outcome(calls[name](batched))));
  expect(batches).toHaveLength(1);
  expect(batches[0].body.requests).toHaveLength(names.length);

  for (let i = 0; i < names.length; i++) {
    const [e, a] = [expected[i], actual[i]];
    const normalized = async (o: typeof e) => (o.ok ? { ok: true, value: await normalize(o.value) } : o);
    expect({ call: names[i], ...(await normalized(a)) }).toEqual({ call: names[i], ...(await normalized(e)) });
  }
});

test("a GraphError carries the sub-response's status, code, message and request id, for that caller only", async () => {
  serveBothWays(GRAPH, resolve);
  const client = batchedClient();
  const [ok, failed] = await Promise.allSettled([client.api("/users/a").get(), client.api("/users/missing").get()]);
  expect(ok).toMatchObject({ status: "fulfilled", value: { id: "a" } });
  expect(failed.status).toBe("rejected");
  const error = (failed as PromiseRejectedResult).reason as GraphError;
  expect(error).toBeInstanceOf(GraphError);
  expect(error).toMatchObject({ statusCode: 404, code: "Request_ResourceNotFound", message: "Resource 'missing' does not exist", requestId: "r-1" });
});

test("raw sub-responses have status, statusText, case-insensitive headers, the request URL and exact bytes", async () => {
  serveBothWays(GRAPH, resolve);
  const client = batchedClient();
  const [json, photo, none] = (await Promise.all([
    client.api("/users/a").responseType(ResponseType.RAW).get(),
    client.api("/me/photo/$value").responseType(ResponseType.RAW).get(),
    client.api("/me/messages/m1").responseType(ResponseType.RAW).delete(),
  ])) as Response[];
  expect(json.status).toBe(200);
  expect(json.statusText).toBe("OK");
  expect(json.headers.get("etag")).toBe('W/"1"');
  expect(json.headers.get("CONTENT-TYPE")).toBe(JSON_TYPE);
  expect(json.url).toBe("https://graph.microsoft.com/v1.0/users/a");
  expect(new Uint8Array(await photo.arrayBuffer())).toEqual(JPEG);
  expect(none.status).toBe(204);
  expect(none.body).toBeNull();
});
