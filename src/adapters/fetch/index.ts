/**
 * The batching `fetch`: a function with fetch's signature that batches the Graph requests issued
 * in the same tick and hands everything else to the `fetch` it wraps. It only translates: a
 * `fetch(url, init)` call becomes an engine request whose identity is its Authorization header,
 * and the engine's `Response` is what the caller gets: an HTTP error stays a `Response`, as fetch
 * never throws on a status.
 *
 * ```ts
 * const graphFetch = createBatchingFetch(fetch);
 * const users = await Promise.all(ids.map((id) =>
 *   graphFetch(`https://graph.microsoft.com/v1.0/users/${id}`, { headers: { Authorization: `Bearer ${token}` } })));
 * ```
 */
import { BatchingEngine } from "../../engine/engine";
import type { BatchingStats } from "../../engine/events";
import type { RequestBatching } from "../../engine/types";
import { BatchingConfigError } from "../../errors";
import { resolveOptions, type BatchingAdapterOptions, type BatchingMiddlewareOptions } from "../../options";
import { getHeader, toHeaderRecord } from "../../utils/headers";
import { transportKey, transportOptionsOf } from "../../utils/transport";

/** The middleware's options, with `shouldBatch` in fetch terms. */
export type BatchingFetchOptions = BatchingAdapterOptions;

/**
 * fetch's `RequestInit`, plus `batching`: `false` sends this call unbatched (the opt-out);
 * an object sets `maxRetries`, or `id` / `dependsOn` for ordering, as `BatchingOptions` does.
 */
export interface BatchingRequestInit extends RequestInit {
  /** `false`: this call goes unbatched; an object: `maxRetries`, `id`, `dependsOn` for this call. */
  batching?: false | RequestBatching;
}

export type { RequestBatching } from "../../engine/types";
export type { BatchingEvent, BatchingStats } from "../../engine/events";
export type { RequestCandidate } from "../../options";

/** fetch's signature, plus `stats()`. */
export interface BatchingFetch {
  (input: string | URL | Request, init?: BatchingRequestInit): Promise<Response>;
  /** What this fetch holds and has done: requests queued, batches in flight and their limit, counters. */
  stats(): BatchingStats;
}

/**
 * A fetch that batches: Graph calls issued in the same tick travel as `$batch` calls through
 * `fetchImpl`, everything else goes to `fetchImpl` as it is.
 *
 * @param fetchImpl - the fetch that does the HTTP (its calls are the `$batch` POSTs and the calls passed on).
 * @param options - batching options; all optional.
 * @returns a function with fetch's signature, plus `stats()`.
 * @throws `BatchingConfigError` (exported by the package root) for an invalid value or an unknown option name, or no fetch.
 *
 * @example
 * ```ts
 * const graphFetch = createBatchingFetch(fetch);
 * const users = await Promise.all(ids.map((id) =>
 *   graphFetch(`https://graph.microsoft.com/v1.0/users/${id}`, { headers: { Authorization: `Bearer ${token}` } })));
 * ```
 */
export function createBatchingFetch(fetchImpl: typeof fetch = globalThis.fetch, options: BatchingFetchOptions = {}): BatchingFetch {
  if (typeof fetchImpl !== "function") throw new BatchingConfigError("createBatchingFetch needs a fetch function (none was given and globalThis.fetch is missing)");
  const resolved = resolveOptions(options as BatchingMiddlewareOptions);
  const shouldBatch = options.shouldBatch;
  const engine = new BatchingEngine(resolved);

  const batchingFetch = function batchingFetch(input: string | URL | Request, init: BatchingRequestInit = {}): Promise<Response> {
    // A Request object carries its own body stream and options, not all readable: it goes as it is.
    if (typeof input !== "string" && !(input instanceof URL)) {
      const request = { url: input.url, method: (init.method ?? input.method).toUpperCase(), solo: { send: () => fetchImpl(input, init) } };
      return engine.sendUnbatched(request, "request-object");
    }
    const { batching, ...requestInit } = init;
    const url = String(input);
    const method = (requestInit.method ?? "GET").toUpperCase();
    const headers = toHeaderRecord(requestInit.headers);
    // The token is the identity: calls with different tokens never share a batch, and the token
    // goes on the `$batch` call only (the engine keeps Authorization out of sub-requests).
    const authorization = getHeader(headers, "authorization");
    // Everything else in init (dispatcher, credentials, mode, keepalive, …) is how the call travels:
    // calls that differ never share a batch, and the `$batch` call carries it.
    const transport = transportOptionsOf(requestInit);
    const outer = (body?: string): HeadersInit => ({
      ...(authorization !== undefined ? { Authorization: authorization } : {}),
      ...(body !== undefined ? { "Content-Type": "application/json" } : {}),
    });
    return engine.submit({
      url,
      method,
      headers,
      body: requestInit.body ?? undefined,
      signal: requestInit.signal ?? undefined,
      groupKey: `authorization:${authorization ?? ""}|${transportKey(transport)}`,
      batching: batching === false ? { enabled: false } : batching,
      followRedirects: requestInit.redirect === undefined || requestInit.redirect === "follow",
      shouldBatch: shouldBatch && (() => shouldBatch({ url, method, headers: { ...headers } })),
      solo: {
        send: () => fetchImpl(input, requestInit),
        follow: (location, followHeaders) => fetchImpl(location, { ...requestInit, method, headers: followHeaders, body: undefined }),
      },
      transport: {
        post: (batchUrl, body, signal) => fetchImpl(batchUrl, { ...transport, method: "POST", headers: outer(body), body, signal }),
        get: (pageUrl, signal) => fetchImpl(pageUrl, { ...transport, method: "GET", headers: outer(), signal }),
      },
    });
  };
  return Object.assign(batchingFetch, { stats: () => engine.stats() });
}
