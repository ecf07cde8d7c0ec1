/**
 * Reading and validating request bodies. Handlers declare which properties a
 * write may set; anything else is rejected the way Graph rejects it, so a
 * client bug (a typo, a wrong type) shows up in tests instead of being ignored.
 */
import type { ResourceRequest } from "../exchange";
import { badRequest } from "../graph-error";

/** A check for one settable property. */
export type PropertyCheck = (value: unknown) => boolean;

export const isString: PropertyCheck = (value) => typeof value === "string";
export const isBoolean: PropertyCheck = (value) => typeof value === "boolean";
export const isItemBody: PropertyCheck = (value) => {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const { contentType, content } = value as Record<string, unknown>;
  const typeOk = contentType === undefined || (typeof contentType === "string" && /^(text|html)$/i.test(contentType));
  return typeOk && (content === undefined || typeof content === "string");
};
/** Accepted and ignored: the emulator does not send mail. */
export const isAnything: PropertyCheck = () => true;

export function readJsonObject(request: ResourceRequest): Record<string, unknown> {
  const body = request.body;
  if (!body || body.kind !== "json" || typeof body.value !== "object" || body.value === null || Array.isArray(body.value)) {
    throw badRequest(
      "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.",
    );
  }
  return body.value as Record<string, unknown>;
}

/**
 * Validates a JSON object against the properties a write may set.
 * `readOnly` properties get Graph's dedicated message.
 */
export function readProperties(
  request: ResourceRequest,
  settable: Readonly<Record<string, PropertyCheck>>,
  resource: string,
  readOnly: readonly string[] = ["id"],
): Record<string, unknown> {
  const input = readJsonObject(request);
  for (const [key, value] of Object.entries(input)) {
    if (key.startsWith("@odata.")) continue; // annotations such as @odata.type are allowed
    if (readOnly.includes(key)) {
      throw badRequest(`Property '${key}' is read-only and cannot be set.`, "Request_BadRequest");
    }
    const check = settable[key];
    if (!check) {
      throw badRequest(`Property '${key}' does not exist as a declared property or extension property.`, "Request_BadRequest");
    }
    if (!check(value)) {
      throw badRequest(`Invalid value specified for property '${key}' of resource '${resource}'.`, "Request_BadRequest");
    }
  }
  return input;
}

/** A binary body (photo, file content). A JSON body here is a client mistake. */
export function readBytes(request: ResourceRequest): { bytes: Buffer; contentType: string } {
  const body = request.body;
  if (!body || body.kind !== "bytes" || body.bytes.length === 0) {
    throw badRequest("A binary request body with a non-JSON Content-Type is required.");
  }
  return { bytes: body.bytes, contentType: body.contentType };
}
