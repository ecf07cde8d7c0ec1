/** Reading node:http requests into resource requests, and writing responses back. */
import type { IncomingMessage, ServerResponse } from "node:http";
import { isJsonContentType, type HeaderBag, type RequestBody, type ResourceRequest, type ResourceResponse } from "./exchange";
import { badRequest, GraphError } from "./graph-error";
import { splitVersion, type RequestTarget } from "./request-target";

/** Far above anything Graph accepts (4 MB for a batch); only guards memory. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

/** The whole body; rejects with 413 (after draining) when it is too large. */
export function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on("end", () => {
      if (size > MAX_BODY_BYTES) reject(new GraphError(413, "RequestEntityTooLarge", "The request body is too large."));
      else resolve(Buffer.concat(chunks, size));
    });
    request.on("error", reject);
  });
}

/** Node lower-cases header names already; repeated headers are joined like fetch does. */
export function headerBag(request: IncomingMessage): HeaderBag {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return headers;
}

/** An unbatched call as a resource request. Throws GraphError (400) for a bad version or body. */
export function toResourceRequest(method: string, target: RequestTarget, headers: HeaderBag, body: Buffer): ResourceRequest {
  const { version, rest } = splitVersion(target.path);
  return { method, version, path: rest, query: target.query, headers, body: decodeBody(headers["content-type"], body) };
}

function decodeBody(contentType: string | undefined, body: Buffer): RequestBody | undefined {
  if (body.length === 0) return undefined;
  if (!isJsonContentType(contentType)) {
    return { kind: "bytes", contentType: contentType ?? "application/octet-stream", bytes: body };
  }
  try {
    return { kind: "json", value: JSON.parse(body.toString("utf8")) };
  } catch {
    throw badRequest(
      "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.",
    );
  }
}

/**
 * Writes a complete response with Content-Length, so keep-alive connections
 * are reused instead of being closed after each chunked answer.
 */
export function writeResponse(res: ServerResponse, response: ResourceResponse, extraHeaders: Record<string, string>): void {
  let payload: Buffer | undefined;
  if (response.body?.kind === "json") payload = Buffer.from(JSON.stringify(response.body.value), "utf8");
  if (response.body?.kind === "bytes") payload = response.body.bytes;
  const headers: Record<string, string | number> = { ...response.headers, ...extraHeaders };
  // RFC 9110: no Content-Length on 204.
  if (response.status !== 204) headers["Content-Length"] = payload?.length ?? 0;
  res.writeHead(response.status, headers);
  res.end(payload);
}
