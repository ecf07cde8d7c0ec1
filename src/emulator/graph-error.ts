/**
 * Graph's error shape, `{error:{code,message,innerError:{"request-id",date}}}`,
 * used by every failure the emulator produces so that clients parse them the
 * same way they parse real ones.
 */
import { jsonResponse, type ResourceResponse } from "./exchange";
import { isoDate } from "./data/generate";

/** Thrown by handlers and validators; turned into an error response at the edge. */
export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "GraphError";
  }
}

export function badRequest(message: string, code = "BadRequest"): GraphError {
  return new GraphError(400, code, message);
}

/** For a directory object (user, group) that does not exist. */
export function directoryObjectNotFound(id: string): GraphError {
  return new GraphError(
    404,
    "Request_ResourceNotFound",
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  );
}

/** For anything else that does not exist: unknown segments, messages, drive items. */
export function resourceNotFound(message: string): GraphError {
  return new GraphError(404, "ResourceNotFound", message);
}

/** A known route that does not support the method; Allow lists the ones it does. */
export function methodNotAllowed(allowed: readonly string[]): GraphError {
  return new GraphError(405, "Request_BadRequest", "Specified HTTP method is not allowed for the request target.", {
    Allow: allowed.join(", "),
  });
}

/** Throttled: injected, token bucket or outer. Retry-After is in seconds, as Graph sends it. */
export function tooManyRequests(retryAfterSeconds: number): GraphError {
  return new GraphError(429, "TooManyRequests", `Too many requests. Retry after ${retryAfterSeconds} seconds.`, {
    "Retry-After": String(retryAfterSeconds),
  });
}

/**
 * Outlook's concurrency 429, with the code and message Exchange sends: it tells someone reading a
 * trace that the mailbox, not the app's whole budget, was busy.
 */
export function mailboxConcurrencyExceeded(retryAfterSeconds: number): GraphError {
  return new GraphError(429, "ApplicationThrottled", "Application is over its MailboxConcurrency limit.", {
    "Retry-After": String(retryAfterSeconds),
  });
}

export function errorBody(code: string, message: string, requestId: string): unknown {
  return { error: { code, message, innerError: { "request-id": requestId, date: isoDate(Date.now()) } } };
}

export function errorResponse(error: GraphError, requestId: string): ResourceResponse {
  return jsonResponse(error.status, errorBody(error.code, error.message, requestId), error.headers);
}

/**
 * Deterministic request ids, GUID-shaped like Graph's. A counter instead of
 * randomUUID keeps seeded runs identical down to the ids in error bodies.
 */
export class RequestIds {
  private next = 1;

  create(): string {
    const n = (this.next++).toString(16).padStart(12, "0");
    return `00000000-0000-4000-8000-${n}`;
  }
}
