/**
 * Decode: from a `$batch` response body to one native `Response` per sub-request, so that the
 * SDK's own GraphResponseHandler and GraphErrorHandler give each caller what they would give
 * unbatched. Pure functions, no I/O.
 */
import { base64ToBytes } from "../utils/base64";
import { getHeader, isJsonMediaType, isTextMediaType, mediaType } from "../utils/headers";
import { isNullBodyStatus, reasonPhrase } from "../utils/status";
import { LazyBodyResponse, Payload, withUrl } from "./response";

/** One entry of the `responses` array, as validated. */
export interface SubResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

export interface BatchResponseBody {
  responses: SubResponse[];
  /** Entries that could not be read, by id where the id was readable. */
  invalid: { id?: string; reason: string }[];
  nextLink?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Validates a parsed `$batch` response body. Throws (with a message for the caller) when it is
 * not a batch response at all; individual unreadable entries are reported in `invalid` so that
 * only their callers fail.
 */
export function parseBatchResponse(json: unknown): BatchResponseBody {
  if (!isRecord(json) || !Array.isArray(json.responses)) {
    throw new TypeError("the body is not a batch response (no \"responses\" array)");
  }
  const responses: SubResponse[] = [];
  const invalid: { id?: string; reason: string }[] = [];
  for (const entry of json.responses) {
    if (!isRecord(entry)) {
      invalid.push({ reason: "a response entry is not an object" });
      continue;
    }
    const id = typeof entry.id === "string" ? entry.id : typeof entry.id === "number" ? String(entry.id) : undefined;
    if (id === undefined) {
      invalid.push({ reason: "a response entry has no id" });
      continue;
    }
    const status = typeof entry.status === "string" ? Number(entry.status) : entry.status;
    if (typeof status !== "number" || !Number.isInteger(status) || status < 200 || status > 599) {
      invalid.push({ id, reason: `response ${id} has an invalid status ${JSON.stringify(entry.status)}` });
      continue;
    }
    const headers: Record<string, string> = {};
    if (isRecord(entry.headers)) {
      for (const [name, value] of Object.entries(entry.headers)) {
        if (value !== undefined && value !== null) headers[name] = String(value);
      }
    }
    responses.push({ id, status, headers, body: entry.body });
  }
  const nextLink = typeof json.nextLink === "string" && json.nextLink !== "" ? json.nextLink : undefined;
  return { responses, invalid, nextLink };
}

/**
 * Some Graph workloads answer a JSON sub-response as a base64 string. A JSON body that is a
 * string which decodes to a JSON object or array is taken to be that; a genuine JSON string
 * value stays a string.
 */
function unwrapBase64Json(body: string): string | undefined {
  const bytes = body.length >= 4 ? base64ToBytes(body) : undefined;
  if (!bytes) return undefined;
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes).trim();
    if (!(text.startsWith("{") || text.startsWith("["))) return undefined;
    JSON.parse(text);
    return text;
  } catch {
    return undefined;
  }
}

/** The body and headers a sub-response becomes, by its Content-Type. */
export function decodeBody(
  status: number,
  headers: Record<string, string>,
  body: unknown,
): { body: Payload | null; headers: Record<string, string> } {
  if (isNullBodyStatus(status) || body === undefined || body === null) return { body: null, headers };
  const contentType = getHeader(headers, "content-type");
  const type = mediaType(contentType);
  if (contentType === undefined) {
    // No Content-Type: a JSON value is what Graph sends for JSON; say so, or the SDK would hand
    // the caller a raw stream. A string we leave as text: we cannot tell its type.
    if (typeof body === "string") return { body, headers };
    return { body: JSON.stringify(body), headers: { ...headers, "Content-Type": "application/json" } };
  }
  if (isJsonMediaType(type)) {
    if (typeof body === "string") return { body: unwrapBase64Json(body) ?? JSON.stringify(body), headers };
    return { body: JSON.stringify(body), headers };
  }
  if (typeof body !== "string") {
    // A JSON value under a non-JSON type: keep the value, re-serialised.
    return { body: JSON.stringify(body), headers };
  }
  if (isTextMediaType(type) || type.endsWith("+xml") || type === "application/xml") return { body, headers };
  const bytes = base64ToBytes(body);
  if (bytes === undefined) return { body, headers }; // not base64 after all: deliver the text as sent
  return { body: bytes as Payload, headers };
}

/**
 * Builds the native Response for one sub-response. `url` is the caller's request URL: a Response
 * built by hand has an empty `url`, and RedirectHandler and callers of `ResponseType.RAW` read it.
 */
export function toResponse(sub: SubResponse, url: string): Response {
  const decoded = decodeBody(sub.status, sub.headers, sub.body);
  const response = new LazyBodyResponse(decoded.body, {
    status: sub.status,
    statusText: reasonPhrase(sub.status),
    headers: decoded.headers,
  });
  return withUrl(response, url);
}
