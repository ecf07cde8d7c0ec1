/**
 * Encode: from the SDK's request to a `$batch` sub-request. Pure functions, no I/O.
 *
 * The rule for bodies follows Graph's JSON batching: JSON bodies travel as JSON values,
 * `text/*` as strings, everything else as base64 with its Content-Type beside it. When a body
 * cannot be expressed faithfully (a stream, FormData, no Content-Type, JSON that does not parse,
 * too large), the request is not batched at all, so that it behaves exactly as unbatched.
 */
import { bytesToBase64 } from "../utils/base64";
import { getHeader, HeaderRecord, isJsonMediaType, isTextMediaType, mediaType } from "../utils/headers";

/** One entry of the `requests` array of a `$batch` body. */
export interface SubRequest {
  id: string;
  method: string;
  url: string;
  headers?: HeaderRecord;
  body?: unknown;
  dependsOn?: string[];
}

export interface BatchRequestBody {
  requests: SubRequest[];
}

/** A sub-request before an id is assigned. */
export type SubRequestPayload = Omit<SubRequest, "id" | "dependsOn">;

export type Encoded =
  | { batchable: true; payload: SubRequestPayload; size: number }
  | { batchable: false; reason: string; code: "too-large" | "body" };

/**
 * Headers that describe the outer HTTP exchange, not the sub-request. Authorization and the
 * telemetry headers are added to the `$batch` call by the handlers below us; a sub-request
 * carrying them would leak a token into the body or double-count telemetry.
 */
const OUTER_ONLY_HEADERS = new Set([
  "authorization",
  "sdkversion",
  "client-request-id",
  "featureusage",
  "content-length",
  "host",
  "connection",
  "keep-alive",
  "transfer-encoding",
  "accept-encoding",
]);

export function subRequestHeaders(headers: HeaderRecord): HeaderRecord | undefined {
  let out: HeaderRecord | undefined;
  for (const [name, value] of Object.entries(headers)) {
    if (OUTER_ONLY_HEADERS.has(name.toLowerCase())) continue;
    (out ??= {})[name] = value;
  }
  return out;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

function isBlob(body: unknown): body is Blob {
  return typeof Blob !== "undefined" && body instanceof Blob;
}

/** Bytes of a binary body, or undefined if the body is not a byte container we can read synchronously. */
function binaryBytes(body: unknown): Uint8Array | undefined {
  if (body instanceof Uint8Array) return body; // includes Buffer
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  return undefined;
}

/**
 * Encodes a body for a sub-request. Blob bodies must be read first (`readBlobBody`), since
 * reading them is asynchronous.
 */
export function encodeBody(
  body: unknown,
  contentType: string | undefined,
  maxBodyBytes: number,
): { ok: true; body?: unknown; size: number } | { ok: false; reason: string; code: "too-large" | "body" } {
  if (body === undefined || body === null) return { ok: true, size: 0 };
  if (contentType === undefined || contentType === "") {
    // Graph requires a Content-Type on every sub-request with a body; fetch would guess one
    // unbatched, and we cannot know which it would pick for every runtime.
    return { ok: false, code: "body", reason: "body without Content-Type" };
  }
  const type = mediaType(contentType);
  let text: string | undefined;
  let bytes: Uint8Array | undefined;
  if (typeof body === "string") {
    text = body;
  } else {
    bytes = binaryBytes(body);
    if (!bytes) return { ok: false, code: "body", reason: "body type cannot be batched (stream, FormData or unknown)" };
  }
  const size = bytes ? bytes.byteLength : text!.length; // string length bounds UTF-8 bytes / 3 from below: fine as a threshold
  if (size > maxBodyBytes) return { ok: false, code: "too-large", reason: `body larger than maxBodyBytes (${maxBodyBytes})` };

  if (isJsonMediaType(type) || isTextMediaType(type)) {
    if (text === undefined) {
      try {
        text = utf8.decode(bytes!);
      } catch {
        return isJsonMediaType(type) ? { ok: false, code: "body", reason: "JSON body is not UTF-8" } : { ok: true, body: bytesToBase64(bytes!), size };
      }
    }
    if (isTextMediaType(type)) return { ok: true, body: text, size };
    try {
      return { ok: true, body: JSON.parse(text), size };
    } catch {
      return { ok: false, code: "body", reason: "JSON body does not parse" };
    }
  }
  const raw = bytes ?? new TextEncoder().encode(text!);
  return { ok: true, body: bytesToBase64(raw), size: raw.byteLength };
}

/** Reads a Blob body into bytes, taking its type as Content-Type when the caller gave none. */
export async function readBlobBody(body: unknown, headers: HeaderRecord): Promise<{ body: unknown; headers: HeaderRecord }> {
  if (!isBlob(body)) return { body, headers };
  const bytes = new Uint8Array(await body.arrayBuffer());
  if (getHeader(headers, "content-type") === undefined && body.type) {
    return { body: bytes, headers: { ...headers, "Content-Type": body.type } };
  }
  return { body: bytes, headers };
}

export function needsAsyncRead(body: unknown): boolean {
  return isBlob(body);
}

/** Encodes one request; `relativeUrl` is already stripped of host and version. */
export function encodeRequest(
  method: string,
  relativeUrl: string,
  headers: HeaderRecord,
  body: unknown,
  maxBodyBytes: number,
): Encoded {
  const encodedBody = encodeBody(body, getHeader(headers, "content-type"), maxBodyBytes);
  if (!encodedBody.ok) return { batchable: false, reason: encodedBody.reason, code: encodedBody.code };
  const payload: SubRequestPayload = { method, url: relativeUrl };
  let subHeaders = subRequestHeaders(headers);
  if ("body" in encodedBody) {
    payload.body = encodedBody.body;
  } else if (method === "POST") {
    // Graph rejects a body-less POST inside a batch (actions without parameters included):
    // it wants `body: {}` and a Content-Type, which is what the action receives unbatched too.
    payload.body = {};
    if (getHeader(subHeaders ?? {}, "content-type") === undefined) subHeaders = { ...subHeaders, "Content-Type": "application/json" };
  }
  if (subHeaders) payload.headers = subHeaders;
  return { batchable: true, payload, size: encodedBody.size };
}

/** Assembles the `$batch` body; ids are assigned by the caller and must be unique. */
export function encodeBatch(entries: readonly { id: string; payload: SubRequestPayload; dependsOn?: string[] }[]): string {
  const requests: SubRequest[] = entries.map(({ id, payload, dependsOn }) =>
    dependsOn && dependsOn.length > 0 ? { id, ...payload, dependsOn } : { id, ...payload },
  );
  return JSON.stringify({ requests } satisfies BatchRequestBody);
}
