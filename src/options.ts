import type { Context, MiddlewareOptions } from "@microsoft/microsoft-graph-client";
import type { BatchingEvent } from "./engine/events";
import { BatchingConfigError } from "./errors";
import { closest } from "./utils/closest";
import { environmentDebug, eventSink, type BatchingLogger } from "./utils/debug";

/** What `shouldBatch` sees of a request, in every front door. */
export interface RequestCandidate {
  /** Absolute request URL as the client built it. */
  readonly url: string;
  /** Upper-case HTTP method. */
  readonly method: string;
  /** The caller's headers (a copy: changing it changes nothing). */
  readonly headers: Readonly<Record<string, string>>;
}

/** What `BatchingMiddleware`'s `shouldBatch` sees of a request. */
export interface BatchCandidate extends RequestCandidate {
  /** The SDK's context, for anything else (middleware options, body). */
  readonly context: Context;
}

/** How throttled and unavailable sub-requests are retried (`BatchingMiddlewareOptions.retry`). */
export interface RetryOptions {
  /**
   * Retries of a throttled (429) or unavailable (503, 504) sub-request, like the SDK's RetryHandler; 0 to 10.
   * @defaultValue 3
   */
  maxRetries?: number;
  /**
   * Longest wait before a retry, in ms. A `Retry-After` above it is not waited for: the caller gets the 429.
   * @defaultValue 180000 (the SDK's RetryHandler maximum)
   */
  maxDelayMs?: number;
  /**
   * First back-off step when the answer has no `Retry-After`, doubled on every attempt, with jitter (ms).
   * @defaultValue 1000
   */
  baseDelayMs?: number;
}

/**
 * Options of `BatchingMiddleware` and `createBatchingMiddlewareChain`, validated at construction:
 * a bad value or an unknown name throws a `BatchingConfigError`.
 *
 * @example
 * ```ts
 * const client = Client.initWithMiddleware({
 *   middleware: createBatchingMiddlewareChain(authProvider, { maxConcurrentBatches: 64, dedupe: true }),
 * });
 * ```
 */
export interface BatchingMiddlewareOptions {
  /**
   * Requests per `$batch` call, 1 to 20.
   * @defaultValue 20 (Graph's limit)
   */
  maxBatchSize?: number;
  /**
   * 0: a window is what is issued in the same tick (a `Promise.all`). Above 0: requests are collected for that many ms from the first.
   * @defaultValue 0
   */
  windowMs?: number;
  /**
   * Ceiling on `$batch` calls in flight at once; the rest wait in order. Below it, the middleware
   * starts with 32 and doubles every round trip in which the service throttled nothing (slow
   * start), so that it finds the service's limit instead of assuming one (see docs/design.md).
   * @defaultValue 256
   */
  maxConcurrentBatches?: number;
  /**
   * Extra hosts (`host` or `host:port`, any scheme) whose `/{version}/...` URLs are batched too,
   * besides Graph's own hosts and the client's `customHosts`.
   * @defaultValue []
   */
  hosts?: readonly string[];
  /** Return false to send a request unbatched. Called once per request. Default: every eligible request is batched. */
  shouldBatch?: (request: BatchCandidate) => boolean;
  /** Retry of throttled and unavailable sub-requests. */
  retry?: RetryOptions;
  /**
   * Bodies larger than this (bytes, before base64) are sent unbatched.
   * @defaultValue 1048576 (1 MiB)
   */
  maxBodyBytes?: number;
  /**
   * Called synchronously with every event (docs/observability.md): a request sent unbatched and
   * why, a `$batch` sent and answered, each caller settled, a scope paused or resumed, the
   * in-flight limit changed. Events never carry a header value or a body. A listener that throws
   * is reported once (console.warn) and never breaks a request. Default: none, at no cost.
   *
   * @example
   * ```ts
   * new BatchingMiddleware({ onEvent: (e) => e.type === "unbatched" && console.log(e.url, e.reason) });
   * ```
   */
  onEvent?: (event: BatchingEvent) => void;
  /**
   * Where to write one line per event: a function or an object with `debug` (console, pino, …).
   * Without it, lines go to stderr when the `DEBUG` environment variable names
   * `msgraph-batching` (Node only). Default: none.
   */
  logger?: BatchingLogger;
  /**
   * Identical GETs issued in the same window (same URL, same sub-request headers, same identity
   * and transport options) travel once, and every caller gets its own `Response` of the answer.
   * Writes are never de-duplicated, nor requests ordered with `id`/`dependsOn`.
   * @defaultValue false
   */
  dedupe?: boolean;
}

/** The options of the Kiota handler and the batching fetch: the middleware's, with `shouldBatch` in fetch terms. */
export interface BatchingAdapterOptions extends Omit<BatchingMiddlewareOptions, "shouldBatch"> {
  /** Return false to send a request unbatched. Called once per Graph request. */
  shouldBatch?: (request: RequestCandidate) => boolean;
}

export interface ResolvedOptions {
  readonly maxBatchSize: number;
  readonly windowMs: number;
  readonly maxConcurrentBatches: number;
  /** Batches in flight before the service has answered: min(32, maxConcurrentBatches). */
  readonly initialConcurrentBatches: number;
  readonly hosts: ReadonlySet<string>;
  readonly shouldBatch?: (request: BatchCandidate) => boolean;
  readonly retry: Required<RetryOptions>;
  readonly maxBodyBytes: number;
  /** onEvent and the log in one; undefined when nobody listens. */
  readonly emit?: (event: BatchingEvent) => void;
  readonly dedupe: boolean;
}

/** The defaults of the options, in one place (docs and tests read them from here). */
export const DEFAULTS = {
  /** Requests per `$batch` call: Graph's limit. */
  maxBatchSize: 20,
  /** Same-tick window. */
  windowMs: 0,
  /** Ceiling on `$batch` calls in flight. */
  maxConcurrentBatches: 256,
  /** `$batch` calls in flight before the service has answered (slow start begins here). */
  initialConcurrentBatches: 32,
  /** Retries of a throttled or unavailable sub-request. */
  maxRetries: 3,
  /** Longest wait before a retry (ms). */
  maxDelayMs: 180_000,
  /** First back-off step without Retry-After (ms). */
  baseDelayMs: 1_000,
  /** Larger bodies are sent unbatched (bytes). */
  maxBodyBytes: 1024 * 1024,
} as const;

function integer(name: string, value: number | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new BatchingConfigError(`${name} must be an integer from ${min} to ${max}; got ${String(value)}`);
  }
  return value;
}

function finite(name: string, value: number | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value < min) {
    throw new BatchingConfigError(`${name} must be a finite number >= ${min}; got ${String(value)}`);
  }
  return value;
}

const OPTION_NAMES = ["maxBatchSize", "windowMs", "maxConcurrentBatches", "hosts", "shouldBatch", "retry", "maxBodyBytes", "onEvent", "logger", "dedupe"] as const satisfies readonly (keyof BatchingMiddlewareOptions)[];
const RETRY_NAMES = ["maxRetries", "maxDelayMs", "baseDelayMs"] as const satisfies readonly (keyof RetryOptions)[];
const REQUEST_OPTION_NAMES = ["enabled", "maxRetries", "id", "dependsOn"] as const satisfies readonly (keyof BatchingOptionsInit)[];

/**
 * A misspelt option (`maxConcurentBatches`) would otherwise be ignored without a word, and the
 * middleware would run with the default the user meant to change.
 */
function rejectUnknown(options: object, known: readonly string[], where: string): void {
  for (const name of Object.keys(options)) {
    if (known.includes(name)) continue;
    const suggestion = closest(name, known);
    throw new BatchingConfigError(
      `${where} has no option '${name}'${suggestion ? `; did you mean '${suggestion}'?` : ""} (valid: ${known.join(", ")})`,
    );
  }
}

/** Validates once, at construction, so that a bad option fails loudly before any request is queued. */
export function resolveOptions(options: BatchingMiddlewareOptions = {}): ResolvedOptions {
  if (options === null || typeof options !== "object") {
    throw new BatchingConfigError("BatchingMiddleware options must be an object");
  }
  rejectUnknown(options, OPTION_NAMES, "BatchingMiddleware options");
  if (options.retry !== undefined && (options.retry === null || typeof options.retry !== "object")) {
    throw new BatchingConfigError("retry must be an object: { maxRetries, maxDelayMs, baseDelayMs }");
  }
  if (options.retry) rejectUnknown(options.retry, RETRY_NAMES, "retry");
  if (options.onEvent !== undefined && typeof options.onEvent !== "function") {
    throw new BatchingConfigError("onEvent must be a function");
  }
  const logger = options.logger as unknown;
  if (logger !== undefined && typeof logger !== "function" && typeof (logger as { debug?: unknown } | null)?.debug !== "function") {
    throw new BatchingConfigError("logger must be a function or an object with a debug method");
  }
  if (options.dedupe !== undefined && typeof options.dedupe !== "boolean") {
    throw new BatchingConfigError(`dedupe must be true or false; got ${String(options.dedupe)}`);
  }
  const hosts = new Set<string>();
  for (const host of options.hosts ?? []) {
    if (typeof host !== "string" || host === "" || /[/?#\s]/.test(host)) {
      throw new BatchingConfigError(`hosts takes "host" or "host:port" (no scheme, no path); got ${JSON.stringify(host)}`);
    }
    hosts.add(host.toLowerCase());
  }
  if (options.shouldBatch !== undefined && typeof options.shouldBatch !== "function") {
    throw new BatchingConfigError("shouldBatch must be a function");
  }
  const retry = options.retry ?? {};
  const maxConcurrentBatches = integer("maxConcurrentBatches", options.maxConcurrentBatches, DEFAULTS.maxConcurrentBatches, 1, Number.MAX_SAFE_INTEGER);
  return {
    maxBatchSize: integer("maxBatchSize", options.maxBatchSize, DEFAULTS.maxBatchSize, 1, 20),
    windowMs: finite("windowMs", options.windowMs, DEFAULTS.windowMs, 0),
    maxConcurrentBatches,
    initialConcurrentBatches: Math.min(DEFAULTS.initialConcurrentBatches, maxConcurrentBatches),
    hosts,
    shouldBatch: options.shouldBatch,
    retry: {
      maxRetries: integer("retry.maxRetries", retry.maxRetries, DEFAULTS.maxRetries, 0, 10),
      maxDelayMs: finite("retry.maxDelayMs", retry.maxDelayMs, DEFAULTS.maxDelayMs, 0),
      baseDelayMs: finite("retry.baseDelayMs", retry.baseDelayMs, DEFAULTS.baseDelayMs, 0),
    },
    maxBodyBytes: integer("maxBodyBytes", options.maxBodyBytes, DEFAULTS.maxBodyBytes, 0, Number.MAX_SAFE_INTEGER),
    emit: eventSink(options.onEvent, options.logger, environmentDebug()),
    dedupe: options.dedupe ?? false,
  };
}

/** What `new BatchingOptions(...)` takes. */
export interface BatchingOptionsInit {
  /**
   * false: send this request unbatched, as if the middleware were not there.
   * @defaultValue true
   */
  enabled?: boolean;
  /** Overrides `retry.maxRetries` for this request. */
  maxRetries?: number;
  /** A name for this request, unique among the requests issued with it, for others' `dependsOn`. */
  id?: string;
  /** Run after these requests (by `id`), issued in the same window. Becomes Graph's `dependsOn`. */
  dependsOn?: string | readonly string[];
}

/**
 * Marks BatchingOptions across copies of this library: an app that loads both its CommonJS and its
 * ES build (one by `require`, one by `import`) has two BatchingOptions classes, and `instanceof`
 * would silently ignore options made with the other one.
 */
const BATCHING_OPTIONS = Symbol.for("msgraph-batching-middleware.BatchingOptions");

/** Whether `option` is a BatchingOptions, from this copy of the library or another. */
export function isBatchingOptions(option: unknown): option is BatchingOptions {
  return option instanceof BatchingOptions || (typeof option === "object" && option !== null && (option as Record<symbol, unknown>)[BATCHING_OPTIONS] === true);
}

/**
 * Per-request options, passed like the SDK's own handler options.
 *
 * @example
 * ```ts
 * await client.api("/me/photo/$value").middlewareOptions([new BatchingOptions({ enabled: false })]).get();
 * ```
 */
export class BatchingOptions implements MiddlewareOptions {
  /** false: this request is sent unbatched. */
  readonly enabled: boolean;
  /** This request's retries, instead of the middleware's `retry.maxRetries`. */
  readonly maxRetries?: number;
  /** This request's name for others' `dependsOn`. */
  readonly id?: string;
  /** The `id`s of the requests this one runs after (empty: none). */
  readonly dependsOn: readonly string[];
  /** Brand (see isBatchingOptions). */
  readonly [BATCHING_OPTIONS] = true;

  /**
   * @param init - the request's options; all optional.
   * @throws `BatchingConfigError` for an unknown field, a `maxRetries` outside 0 to 10, an empty `id` or `dependsOn` entry.
   */
  constructor(init: BatchingOptionsInit = {}) {
    if (init === null || typeof init !== "object") throw new BatchingConfigError("BatchingOptions takes an object: { enabled, maxRetries, id, dependsOn }");
    rejectUnknown(init, REQUEST_OPTION_NAMES, "BatchingOptions");
    this.enabled = init.enabled ?? true;
    if (init.maxRetries !== undefined) integer("BatchingOptions.maxRetries", init.maxRetries, 0, 0, 10);
    this.maxRetries = init.maxRetries;
    if (init.id !== undefined && (typeof init.id !== "string" || init.id === "")) {
      throw new BatchingConfigError("BatchingOptions.id must be a non-empty string");
    }
    this.id = init.id;
    const dependsOn = init.dependsOn === undefined ? [] : typeof init.dependsOn === "string" ? [init.dependsOn] : [...init.dependsOn];
    for (const dep of dependsOn) {
      if (typeof dep !== "string" || dep === "") throw new BatchingConfigError("BatchingOptions.dependsOn takes non-empty ids");
    }
    this.dependsOn = dependsOn;
  }
}
