/**
 * What the engine tells an observer: plain objects discriminated by `type`, handed to `onEvent`
 * synchronously, at the moment the thing happens. They carry URLs, methods, counts and times,
 * never a header value or a body: a listener that logs them cannot leak a token or user data
 * beyond the URL the caller built.
 *
 * The engine builds an event only when someone listens (`emit` is undefined otherwise), so an
 * unobserved middleware pays nothing for this (bench/micro.ts measures it).
 */

/**
 * Why a request went down the chain as it was, not in a `$batch`:
 * - `opted-out`: `BatchingOptions({ enabled: false })` (`batching: false` in the batching fetch), or
 *   a Kiota request that asked for header or body inspection or chaos;
 * - `not-graph`: its host is not Graph's, not in the client's `customHosts`, not in `hosts`, or its
 *   URL has no version segment;
 * - `batch-endpoint`: it is a `$batch` call itself, or below `/$batch`: Graph does not nest batches;
 * - `should-batch`: the `shouldBatch` option said no;
 * - `too-large`: its body is over `maxBodyBytes`;
 * - `body`: its body cannot travel in a batch faithfully (a stream, FormData, no Content-Type,
 *   JSON that does not parse, …);
 * - `alone`: it was the only request of its window, and a batch of one costs the same round trip;
 * - `request-object`: it was issued as a `Request` object rather than a URL and options: its body
 *   stream and some of its options (an undici `dispatcher`, say) cannot be read back, so it goes as
 *   it is rather than risk travelling differently.
 */
export type UnbatchedReason = "opted-out" | "not-graph" | "batch-endpoint" | "should-batch" | "too-large" | "body" | "alone" | "request-object";

/** A request was sent on its own. */
export interface UnbatchedEvent {
  /** Discriminant. */
  readonly type: "unbatched";
  /** The request's absolute URL. */
  readonly url: string;
  /** Upper-case HTTP method. */
  readonly method: string;
  /** Why it was not batched. */
  readonly reason: UnbatchedReason;
}

/** A `$batch` call left. */
export interface BatchSentEvent {
  /** Discriminant. */
  readonly type: "batch-sent";
  /** Numbers the batches of one middleware, from 1; `batch-answered` carries the same number. */
  readonly batchId: number;
  /** The `$batch` URL. */
  readonly url: string;
  /** Sub-requests in it. */
  readonly size: number;
  /** How long its oldest request waited between being issued and leaving (ms). */
  readonly oldestWaitMs: number;
}

/** A `$batch` call's answer is in (or it failed). */
export interface BatchAnsweredEvent {
  /** Discriminant. */
  readonly type: "batch-answered";
  /** The number of its `batch-sent` event. */
  readonly batchId: number;
  /** The `$batch` call's HTTP status; 0 when it failed without one (a network error, an abort). */
  readonly status: number;
  /** From sending to the answer (nextLink pages included), ms. */
  readonly durationMs: number;
  /** Sub-requests refused with 429 (or answered with Retry-After). */
  readonly throttled: number;
  /** Sub-requests that will be sent again. */
  readonly retried: number;
}

/** A caller got its answer: every request the middleware saw ends with exactly one of these. */
export interface SettledEvent {
  /** Discriminant. */
  readonly type: "settled";
  /** The request's absolute URL. */
  readonly url: string;
  /** Upper-case HTTP method. */
  readonly method: string;
  /** The status of the `Response` the caller got; absent when its promise rejected. */
  readonly status?: number;
  /** The `name` of the error the caller's promise rejected with (`AbortError`, `TypeError`, …). */
  readonly error?: string;
  /** Times it was sent (1 when it was answered the first time). 0: never sent (aborted first). */
  readonly attempts: number;
  /** It travelled inside a `$batch` call. */
  readonly batched: boolean;
  /** It shared another identical request's sub-request (`dedupe`). */
  readonly shared?: boolean;
}

/** A throttling scope (a mailbox, the directory, …) is held after a 429. */
export interface ScopePausedEvent {
  /** Discriminant. */
  readonly type: "scope-paused";
  /** `mailbox:{id}`, `directory`, `sharepoint`, `team:{id}`, `teams`, `other` (docs/design.md). */
  readonly scope: string;
  /** How long from now it is held, ms. */
  readonly retryAfterMs: number;
}

/** A paused scope's requests may leave again (emitted when the first of them is next considered). */
export interface ScopeResumedEvent {
  /** Discriminant. */
  readonly type: "scope-resumed";
  /** The scope, as in its `scope-paused` event. */
  readonly scope: string;
}

/** The number of `$batch` calls allowed in flight changed (slow start, or a `$batch` refused whole). */
export interface LimitChangedEvent {
  /** Discriminant. */
  readonly type: "limit-changed";
  /** `$batch` calls allowed in flight from now on. */
  readonly limit: number;
}

/** Everything `onEvent` receives. */
export type BatchingEvent =
  | UnbatchedEvent
  | BatchSentEvent
  | BatchAnsweredEvent
  | SettledEvent
  | ScopePausedEvent
  | ScopeResumedEvent
  | LimitChangedEvent;

/** A snapshot of a middleware's state and counters, from `stats()`. */
export interface BatchingStats {
  /** Requests waiting to be sent: in the window, in line, or waiting to be retried. */
  readonly queued: number;
  /** `$batch` calls in flight (requests sent alone not counted). */
  readonly inFlight: number;
  /** `$batch` calls allowed in flight now (slow start grows it up to `maxConcurrentBatches`). */
  readonly limit: number;
  /** Throttling scopes held by a Retry-After right now. */
  readonly pausedScopes: number;
  /** `$batch` calls sent, retries of their requests included. */
  readonly batchesSent: number;
  /** Distinct requests sent inside a `$batch` call. */
  readonly requestsBatched: number;
  /** Requests sent on their own (opted out, not Graph, alone in their window, …). */
  readonly requestsUnbatched: number;
  /** Sub-requests sent again after a 429, 503 or 504. */
  readonly retries: number;
  /** Requests that shared an identical request's sub-request (`dedupe`) instead of being sent. */
  readonly deduplicated: number;
}
