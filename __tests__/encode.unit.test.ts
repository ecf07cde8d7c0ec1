/**
 * The pure encoding helpers, for cases the Graph client cannot produce (it always sets a
 * Content-Type) but a hand-built context or another adapter can.
 */
import { encodeBody, encodeRequest, subRequestHeaders } from "../src/engine/encode";
import { decodeBody } from "../src/engine/decode";
import { isBatchableHost, parseTarget } from "../src/engine/target";
import { orderUnits } from "../src/engine/order";
import { backoffDelay, parseRetryAfter } from "../src/engine/retry";

describe("encodeBody", () => {
  test("bodies without a Content-Type, streams, FormData and URLSearchParams are not batchable", () => {
    expect(encodeBody("x", undefined, 100)).toMatchObject({ ok: false, reason: /without Content-Type/ });
    expect(encodeBody(new URLSearchParams("a=b"), "application/x-www-form-urlencoded", 100)).toMatchObject({ ok: false });
    expect(encodeBody(new FormData(), "multipart/form-data", 100)).toMatchObject({ ok: false });
    expect(encodeBody(new ReadableStream(), "application/octet-stream", 100)).toMatchObject({ ok: false });
  });

  test("size is measured in bytes before base64", () => {
    expect(encodeBody(new Uint8Array(100), "application/octet-stream", 100)).toMatchObject({ ok: true, size: 100 });
    expect(encodeBody(new Uint8Array(101), "application/octet-stream", 100)).toMatchObject({ ok: false });
  });

  test("JSON as bytes is sent as a JSON value; invalid UTF-8 under a text type goes as base64", () => {
    expect(encodeBody(Buffer.from('{"a":[1]}'), "application/json; charset=utf-8", 100)).toEqual({ ok: true, body: { a: [1] }, size: 9 });
    expect(encodeBody(Uint8Array.from([0xff, 0xfe]), "text/plain", 100)).toEqual({ ok: true, body: "//4=", size: 2 });
    expect(encodeBody("é", "application/xml", 100)).toEqual({ ok: true, body: "w6k=", size: 2 });
    expect(encodeBody(new DataView(Uint8Array.from([1, 2, 3]).buffer, 1, 2), "application/octet-stream", 100)).toEqual({ ok: true, body: "AgM=", size: 2 });
  });
});

test("sub-request headers drop what belongs to the outer call, whatever its case", () => {
  expect(subRequestHeaders({ AUTHORIZATION: "x", sdkVersion: "y", "Client-Request-Id": "z", "Content-Length": "3", Prefer: "p" })).toEqual({ Prefer: "p" });
  expect(subRequestHeaders({ authorization: "x" })).toBeUndefined();
});

test("encodeRequest keeps the caller's Content-Type casing and adds body {} only to body-less POSTs", () => {
  expect(encodeRequest("PATCH", "/me", { "content-type": "application/json" }, '{"a":1}', 100)).toEqual({
    batchable: true,
    size: 7,
    payload: { method: "PATCH", url: "/me", headers: { "content-type": "application/json" }, body: { a: 1 } },
  });
  expect(encodeRequest("DELETE", "/me/x", {}, undefined, 100)).toEqual({ batchable: true, size: 0, payload: { method: "DELETE", url: "/me/x" } });
});

describe("decodeBody", () => {
  test("base64 JSON under a JSON type is unwrapped; a JSON string value stays a string", () => {
    const b64 = Buffer.from('{"value":[1,2]}').toString("base64");
    expect(decodeBody(200, { "Content-Type": "application/json" }, b64).body).toBe('{"value":[1,2]}');
    expect(decodeBody(200, { "Content-Type": "application/json" }, "hello").body).toBe('"hello"');
  });
  test("URL-safe base64 decodes to the same bytes", () => {
    const bytes = Uint8Array.from([0xfb, 0xff, 0xfe, 0x3e]);
    const urlSafe = Buffer.from(bytes).toString("base64url");
    expect(decodeBody(200, { "Content-Type": "image/png" }, urlSafe).body).toEqual(bytes);
  });
  test("a JSON value without a Content-Type is labelled JSON", () => {
    expect(decodeBody(200, {}, { a: 1 })).toEqual({ body: '{"a":1}', headers: { "Content-Type": "application/json" } });
  });
});

describe("targets", () => {
  test("parseTarget keeps the query byte for byte and finds the version", () => {
    expect(parseTarget("https://graph.microsoft.com/beta/users?$filter=a%20eq%20'b'#frag")).toMatchObject({
      origin: "https://graph.microsoft.com",
      version: "beta",
      relativeUrl: "/users?$filter=a%20eq%20'b'",
    });
    expect(parseTarget("https://graph.microsoft.com/v1.0")).toMatchObject({ relativeUrl: "/" });
    expect(parseTarget("https://graph.microsoft.com/")).toBeUndefined();
    expect(parseTarget("/relative/path")).toBeUndefined();
    expect(parseTarget("https://user:pw@graph.microsoft.com/v1.0/me")).toBeUndefined();
  });
  test("hosts match by host:port or hostname, case-insensitively", () => {
    expect(isBatchableHost("graph.microsoft.us", "graph.microsoft.us", undefined, new Set())).toBe(true);
    expect(isBatchableHost("localhost:8080", "localhost", undefined, new Set(["localhost:8080"]))).toBe(true);
    expect(isBatchableHost("localhost:8081", "localhost", undefined, new Set(["localhost:8080"]))).toBe(false);
    expect(isBatchableHost("api.contoso.com", "api.contoso.com", new Set(["API.contoso.com"]), new Set())).toBe(true);
  });
});

describe("orderUnits", () => {
  const item = (orderId?: string, ...dependsOn: string[]) => ({ orderId, dependsOn });
  test("a star (all on one) and a chain are accepted, dependencies first", () => {
    const root = item("r");
    const a = item("a", "r");
    const b = item("b", "r");
    expect(orderUnits([a, b, root], 20).units).toEqual([[root, a, b]]);
    const c1 = item("c1");
    const c2 = item("c2", "c1");
    const c3 = item("c3", "c2");
    expect(orderUnits([c3, c1, c2], 20).units).toEqual([[c1, c2, c3]]);
  });
  test("cycles, two dependencies, duplicates and oversize clusters are rejected", () => {
    expect(orderUnits([item("a", "b"), item("b", "a")], 20).rejected).toHaveLength(2);
    expect(orderUnits([item("a"), item("b"), item("c", "a", "b")], 20).rejected).toHaveLength(3);
    expect(orderUnits([item("a"), item("A"), item("c", "a")], 20).rejected.map((r) => r.error.message).join()).toMatch(/used by 2 requests/);
    expect(orderUnits([item("a"), item("b", "a"), item("c", "a")], 2).rejected[0].error.message).toMatch(/do not fit/);
  });
});

test("Retry-After in seconds or as a date; back-off grows with the attempt", () => {
  expect(parseRetryAfter("2", 0)).toBe(2000);
  expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
  expect(parseRetryAfter("soon", 0)).toBeUndefined();
  expect(backoffDelay(1, 100, () => 0)).toBe(50);
  expect(backoffDelay(3, 100, () => 0.999)).toBeGreaterThan(390);
});
