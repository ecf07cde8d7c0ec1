/**
 * Reason phrases for sub-responses: Graph's sub-responses carry a status code only, while
 * callers that read the raw `Response` (or a GraphError built from it) expect a statusText.
 * Kept here rather than taken from node:http so the library also runs in browsers.
 */
const REASONS: Record<number, string> = {
  200: "OK", 201: "Created", 202: "Accepted", 203: "Non-Authoritative Information", 204: "No Content",
  205: "Reset Content", 206: "Partial Content", 207: "Multi-Status", 300: "Multiple Choices",
  301: "Moved Permanently", 302: "Found", 303: "See Other", 304: "Not Modified", 307: "Temporary Redirect",
  308: "Permanent Redirect", 400: "Bad Request", 401: "Unauthorized", 402: "Payment Required", 403: "Forbidden",
  404: "Not Found", 405: "Method Not Allowed", 406: "Not Acceptable", 408: "Request Timeout", 409: "Conflict",
  410: "Gone", 411: "Length Required", 412: "Precondition Failed", 413: "Payload Too Large",
  415: "Unsupported Media Type", 416: "Range Not Satisfiable", 422: "Unprocessable Entity", 423: "Locked",
  424: "Failed Dependency", 429: "Too Many Requests", 500: "Internal Server Error", 501: "Not Implemented",
  502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout", 507: "Insufficient Storage",
  509: "Bandwidth Limit Exceeded",
};

export function reasonPhrase(status: number): string {
  return REASONS[status] ?? "";
}

/** Statuses that must be answered with a null body (the Response constructor throws otherwise). */
export function isNullBodyStatus(status: number): boolean {
  return status === 204 || status === 205 || status === 304;
}

export function isRedirectStatus(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}
