import nock from "nock";
import { interceptBatches, RecordedBatch, SubAnswer } from "./nockBatch";

/** One fake resource: what Graph answers for a method and relative URL. */
export type Answer = { status: number; headers?: Record<string, string>; body?: unknown; binary?: Uint8Array };
export type Resolver = (method: string, url: string, body: unknown) => Answer;

/**
 * Serves the same answers unbatched (plain nock interceptors) and batched (inside `$batch`
 * responses, binary as base64), so a test can run the same calls both ways and compare what the
 * callers get.
 */
export function serveBothWays(origin: string, resolve: Resolver, version = "v1.0"): RecordedBatch[] {
  const recorded = interceptBatches(
    origin,
    (sub): SubAnswer => {
      const a = resolve(sub.method, sub.url, sub.body);
      return { status: a.status, headers: a.headers, body: a.binary ? Buffer.from(a.binary).toString("base64") : a.body };
    },
    { version },
  );
  const prefix = `/${version}`;
  for (const method of ["get", "post", "patch", "put", "delete"] as const) {
    nock(origin)
      [method]((uri) => uri.startsWith(prefix) && !uri.startsWith(`${prefix}/$batch`))
      .times(100)
      .reply(async (request) => {
        const url = new URL(request.url);
        const text = await request.text();
        const a = resolve(method.toUpperCase(), url.href.slice(url.origin.length + prefix.length), text ? JSON.parse(text) : undefined);
        const body = a.binary ? Buffer.from(a.binary) : a.body === undefined || typeof a.body === "string" ? a.body : JSON.stringify(a.body);
        return [a.status, body as never, a.headers ?? {}];
      });
  }
  return recorded;
}

/** Makes results comparable across batched and unbatched runs. */
export async function normalize(value: unknown): Promise<unknown> {
  if (typeof Blob !== "undefined" && value instanceof Blob) return { blob: value.type, bytes: [...new Uint8Array(await value.arrayBuffer())] };
  if (value instanceof ArrayBuffer) return { arrayBuffer: [...new Uint8Array(value)] };
  if (value instanceof Response) {
    return { status: value.status, statusText: value.statusText, contentType: value.headers.get("content-type"), text: await value.text() };
  }
  if (value && typeof (value as { getReader?: unknown }).getReader === "function") {
    return { stream: await new Response(value as ReadableStream).text() };
  }
  return value;
}
