/**
 * What the engine takes and gives. A request is described in fetch terms, and the adapter (v3
 * client middleware, Kiota handler, batching fetch) says how to send on its behalf: the engine
 * imports no SDK.
 */
import type { HeaderRecord } from "../utils/headers";

/** Per-request batching options, whatever front door they came through. */
export interface RequestBatching {
  /** false: send this request unbatched, as if batching were not there. */
  readonly enabled?: boolean;
  /** Overrides `retry.maxRetries` for this request. */
  readonly maxRetries?: number;
  /** A name for this request, unique among the requests issued with it, for others' `dependsOn`. */
  readonly id?: string;
  /** Run after these requests (by `id`), issued in the same window. */
  readonly dependsOn?: readonly string[];
}

/** How the `$batch` calls of a group travel: down the rest of the adapter's chain. */
export interface BatchTransport {
  /** POSTs a `$batch` body (JSON text) to `url`. Throws what the chain throws. */
  post(url: string, body: string, signal?: AbortSignal): Promise<Response>;
  /** GETs a top-level `nextLink` of a partial batch response. */
  get(url: string, signal?: AbortSignal): Promise<Response>;
}

/** How one request travels on its own. */
export interface SoloExchange {
  /** The request exactly as the caller issued it (not batched, or alone in its window). */
  send(): Promise<Response>;
  /**
   * A GET of a redirect target with these headers (the caller's, without Authorization), as the
   * caller's chain would have followed it.
   */
  follow(url: string, headers: HeaderRecord): Promise<Response>;
}

/** One request, as an adapter hands it to the engine. */
export interface EngineRequest {
  /** Absolute URL, as batched (an adapter may have applied what later handlers would do to it). */
  readonly url: string;
  /** Upper-case HTTP method. */
  readonly method: string;
  readonly headers: HeaderRecord;
  /** string, bytes (ArrayBuffer, typed array, Buffer), Blob; anything else is sent unbatched. */
  readonly body?: unknown;
  readonly signal?: AbortSignal;
  /**
   * Who sends, and how: requests whose keys differ never share a batch (an identity, a token, the
   * options the `$batch` call must carry).
   */
  readonly groupKey: string;
  readonly batching?: RequestBatching;
  /** Hosts batched for this request besides Graph's and the engine's `hosts` (the v3 client's customHosts). */
  readonly extraHosts?: ReadonlySet<string>;
  /** A 3xx sub-response of a GET or HEAD is followed unless the caller asked for manual redirects. */
  readonly followRedirects: boolean;
  /** The user's say on this request, asked after the engine's own checks. */
  readonly shouldBatch?: () => boolean;
  readonly solo: SoloExchange;
  /** Used for the `$batch` calls of this request's group (the first member's). */
  readonly transport: BatchTransport;
}
