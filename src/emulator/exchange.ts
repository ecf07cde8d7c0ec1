/**
 * The transport-neutral request and response that resource handlers work on.
 * The same handler serves an unbatched HTTP call and a $batch sub-request; only
 * the encoding at the edges differs (raw bytes vs JSON/base64 inside a batch).
 */

/** The content type Graph puts on its JSON answers. */
export const GRAPH_JSON_CONTENT_TYPE =
  "application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8";

/** Header names are lower-cased on the way in, so lookups are case-insensitive. */
export type HeaderBag = Readonly<Record<string, string>>;

export type RequestBody =
  | { kind: "json"; value: unknown }
  | { kind: "bytes"; contentType: string; bytes: Buffer };

export interface ResourceRequest {
  /** Upper-case. */
  method: string;
  /** "v1.0" or "beta". */
  version: string;
  /** Decoded path without version and query, always starting with "/". */
  path: string;
  query: URLSearchParams;
  headers: HeaderBag;
  body?: RequestBody;
}

export type ResponseBody = { kind: "json"; value: unknown } | { kind: "bytes"; bytes: Buffer };

export interface ResourceResponse {
  status: number;
  /** Graph's casing ("Content-Type", "Location", "Retry-After"). */
  headers: Record<string, string>;
  body?: ResponseBody;
}

/** Is this content type JSON (application/json, or any +json type)? */
export function isJsonContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const type = mediaType(contentType);
  return type === "application/json" || type.endsWith("+json");
}

/** "text/plain; charset=utf-8" -> "text/plain". */
export function mediaType(contentType: string): string {
  return contentType.split(";")[0].trim().toLowerCase();
}

export function jsonResponse(status: number, value: unknown, headers: Record<string, string> = {}): ResourceResponse {
  return {
    status,
    headers: { "Content-Type": GRAPH_JSON_CONTENT_TYPE, "OData-Version": "4.0", ...headers },
    body: { kind: "json", value },
  };
}

export function bytesResponse(status: number, bytes: Buffer, contentType: string): ResourceResponse {
  return { status, headers: { "Content-Type": contentType }, body: { kind: "bytes", bytes } };
}

export function noContent(): ResourceResponse {
  return { status: 204, headers: {} };
}

/** Graph does not follow redirects itself, in or out of a batch: the client gets the 302. */
export function redirect(location: string): ResourceResponse {
  return { status: 302, headers: { Location: location } };
}
