/**
 * CORS, as Graph answers it: a page on another origin (a SPA on localhost:3000, the browser demo,
 * the browser test) can call the emulator the way it calls graph.microsoft.com. Applied to every
 * answer (batches, errors, redirects, downloads) before the call handler runs; a preflight is
 * answered here and never reaches it, so it counts as no call in the stats, as it is no Graph
 * request.
 */
import type { IncomingMessage, ServerResponse } from "node:http";

/** Which origins may call: `"*"` (any), or a list of exact origins (`"http://localhost:3000"`). */
export interface CorsOptions {
  /** @defaultValue `"*"` when the emulator listens on loopback */
  origin?: "*" | string | readonly string[];
}

/** The headers a Graph client sends (the SDKs, MSAL-based apps, the Graph Toolkit). */
export const ALLOWED_HEADERS = [
  "Authorization",
  "Content-Type",
  "Accept",
  "ConsistencyLevel",
  "Prefer",
  "client-request-id",
  "return-client-request-id",
  "SdkVersion",
  "FeatureUsage",
  "If-Match",
  "If-None-Match",
  "Cache-Control",
];

/** What callers read from an answer: a browser hides every other header from scripts. */
export const EXPOSED_HEADERS = [
  "Retry-After",
  "Location",
  "request-id",
  "client-request-id",
  "Content-Type",
  "Content-Length",
  "ETag",
  "Preference-Applied",
  "OData-Version",
  "x-ms-ags-diagnostic",
  "x-ms-throttle-scope",
];

const ALLOWED_METHODS = "GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS";

/** Validates the option; undefined when CORS is off. */
export function readCors(option: CorsOptions | false | undefined, host: string): ReadonlySet<string> | "*" | undefined {
  if (option === false) return undefined;
  if (option === undefined) return isLoopback(host) ? "*" : undefined;
  if (typeof option !== "object" || option === null) throw new RangeError("cors must be false or { origin }");
  const origin = option.origin ?? "*";
  if (origin === "*") return "*";
  const list = typeof origin === "string" ? [origin] : [...origin];
  for (const entry of list) {
    if (typeof entry !== "string" || !/^https?:\/\/[^/\s]+$/i.test(entry)) {
      throw new RangeError(`cors.origin takes "*" or origins like "http://localhost:3000" (scheme, host, port; no path); got ${JSON.stringify(entry)}`);
    }
  }
  return new Set(list.map((entry) => entry.toLowerCase()));
}

function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || host === "[::1]" || /^127\./.test(host);
}

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/** Wraps the call handler's listener: CORS headers on every answer, preflights answered after `latencyMs`. */
export function withCors(listener: Listener, allowed: ReadonlySet<string> | "*", latencyMs: number): Listener {
  return (req, res) => {
    const origin = req.headers.origin;
    const permitted = origin !== undefined && (allowed === "*" || allowed.has(origin.toLowerCase()));
    if (permitted) {
      // A list answers with the caller's own origin, and then the answer depends on it.
      res.setHeader("Access-Control-Allow-Origin", allowed === "*" ? "*" : origin);
      if (allowed !== "*") res.setHeader("Vary", "Origin");
      res.setHeader("Access-Control-Expose-Headers", EXPOSED_HEADERS.join(", "));
    }
    if (req.method === "OPTIONS" && req.headers["access-control-request-method"] !== undefined) {
      if (permitted) {
        res.setHeader("Access-Control-Allow-Methods", ALLOWED_METHODS);
        // Whatever the page asks for is allowed: a client may add headers of its own.
        res.setHeader("Access-Control-Allow-Headers", req.headers["access-control-request-headers"] || ALLOWED_HEADERS.join(", "));
        res.setHeader("Access-Control-Max-Age", "600");
      }
      req.resume();
      // A preflight is a round trip too: the demo page should pay for it as a real page would.
      setTimeout(() => res.writeHead(permitted ? 204 : 403).end(), latencyMs);
      return;
    }
    listener(req, res);
  };
}
