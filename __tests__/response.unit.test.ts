/**
 * LazyBodyResponse must behave as the Response it stands for: every way of reading it gives
 * what a Response built with the same body gives, including the errors of reading twice.
 */
import { LazyBodyResponse, Payload } from "../src/engine/response";

const init = { status: 200, statusText: "OK", headers: { "Content-Type": "application/json" } };
const payloads: [string, Payload | null][] = [
  ["json text", '{"a":[1,"é"]}'],
  ["bytes", Uint8Array.from([0xff, 0x00, 0x80, 0x41]) as Payload],
  ["empty", ""],
  ["null", null],
];

type Reader = (r: Response) => Promise<unknown>;
const readers: Record<string, Reader> = {
  text: (r) => r.text(),
  arrayBuffer: async (r) => [...new Uint8Array(await r.arrayBuffer())],
  blob: async (r) => {
    const b = await r.blob();
    return [b.type, [...new Uint8Array(await b.arrayBuffer())]];
  },
  stream: async (r) => (r.body ? [...new Uint8Array(await new Response(r.body).arrayBuffer())] : null),
  json: (r) => r.json(),
};

async function settle(p: () => Promise<unknown>) {
  try {
    return { value: await p() };
  } catch (e) {
    return { error: (e as Error).name };
  }
}

describe.each(payloads)("%s", (_, payload) => {
  test.each(Object.keys(readers))("%s, then every reader again, as a native Response", async (first) => {
    const lazy = new LazyBodyResponse(payload, init);
    const real = new Response(payload, init);
    expect(await settle(() => readers[first](lazy))).toEqual(await settle(() => readers[first](real)));
    expect(lazy.bodyUsed).toBe(real.bodyUsed);
    for (const second of Object.keys(readers)) {
      expect([second, await settle(() => readers[second](lazy))]).toEqual([second, await settle(() => readers[second](real))]);
    }
    expect((await settle(async () => lazy.clone())).error).toBe((await settle(async () => real.clone())).error);
  });

  test("clone before reading gives two independent bodies", async () => {
    const lazy = new LazyBodyResponse(payload, init);
    const copy = lazy.clone();
    expect(await lazy.text()).toBe(await new Response(payload, init).text());
    expect(await copy.text()).toBe(await new Response(payload, init).text());
    expect(copy).toBeInstanceOf(Response);
  });
});

test("status, headers and a null body for 204 are the Response's own", () => {
  const r = new LazyBodyResponse(null, { status: 204, statusText: "No Content", headers: { ETag: "x" } });
  expect(r).toBeInstanceOf(Response);
  expect([r.status, r.ok, r.statusText, r.headers.get("etag"), r.body, r.bodyUsed]).toEqual([204, true, "No Content", "x", null, false]);
});
