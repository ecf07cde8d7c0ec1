/**
 * Translation between $batch JSON and resource requests/responses. Inside a
 * batch, bodies are JSON values when the content type is JSON, plain strings
 * for text/*, and base64 for everything else (binary).
 */
import {
  isJsonContentType,
  mediaType,
  type RequestBody,
  type ResourceRequest,
  type ResourceResponse,
} from "../exchange";
import { badRequest } from "../graph-error";
import { parseTarget } from "../request-target";
import type { BatchStep } from "./validate";

/** One entry of the `responses` array. */
export interface SubResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

/** Standard base64 or base64url, padding optional. */
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/** Throws GraphError (400) for a sub-request that cannot be understood; the batch itself stays valid. */
export function toResourceRequest(step: BatchStep, version: string): ResourceRequest {
  const { path, query } = parseTarget(step.url);
  if (path.toLowerCase() === "/$batch") throw badRequest("Nested $batch requests are not supported.");
  return { method: step.method, version, path, query, headers: step.headers, body: decodeBody(step) };
}

function decodeBody(step: BatchStep): RequestBody | undefined {
  if (step.body === undefined) return undefined;
  const contentType = step.headers["content-type"];
  if (isJsonContentType(contentType)) return { kind: "json", value: step.body };
  if (typeof step.body !== "string") {
    throw badRequest(
      `The body of request '${step.id}' must be a string for Content-Type '${contentType}' (base64 for binary content).`,
    );
  }
  if (mediaType(contentType).startsWith("text/")) {
    return { kind: "bytes", contentType, bytes: Buffer.from(step.body, "utf8") };
  }
  // Node's base64 decoder reads both alphabets; the check rejects what it would silently skip.
  if (!BASE64.test(step.body) || step.body.length % 4 === 1) {
    throw badRequest(`The body of request '${step.id}' is not valid base64.`);
  }
  return { kind: "bytes", contentType, bytes: Buffer.from(step.body, "base64") };
}

export function toSubResponse(step: BatchStep, response: ResourceResponse): SubResponse {
  const headers = { ...response.headers };
  const clientRequestId = step.headers["client-request-id"];
  if (clientRequestId !== undefined) headers["client-request-id"] = clientRequestId;
  const subResponse: SubResponse = { id: step.id, status: response.status, headers };
  if (response.body?.kind === "json") subResponse.body = response.body.value;
  if (response.body?.kind === "bytes") {
    const isText = mediaType(headers["Content-Type"] ?? "").startsWith("text/");
    subResponse.body = isText ? response.body.bytes.toString("utf8") : response.body.bytes.toString("base64");
  }
  return subResponse;
}
