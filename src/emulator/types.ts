/**
 * Public types of the Graph emulator. Kept free of implementation imports so
 * that `index.ts` can re-export them without pulling in the server code.
 */
import type { CorsOptions } from "./cors";
import type { Directory } from "./data/directory";

/** Sizes of the generated data set. Everything is derived from the seed. */
export interface EmulatorDataOptions {
  /** Number of users (default 30). `/me` is the first one. */
  users?: number;
  /** Number of groups (default 10). */
  groups?: number;
  /** Members per group (default 8, capped at the number of users). */
  membersPerGroup?: number;
  /** Owners per group (default 2, capped at the number of users). */
  ownersPerGroup?: number;
  /** Messages in each user's mailbox (default 5). */
  messagesPerUser?: number;
  /** Drive items of each user (default 3). */
  driveItemsPerUser?: number;
}

/** Token bucket per app (the `Authorization` header value, or "anonymous"). */
export interface ThrottleOptions {
  /** Tokens in a full bucket; every executed request takes one. */
  capacity: number;
  /** Tokens added per second, continuously. */
  refillPerSecond: number;
  /** `Retry-After` of a throttled answer. Default: seconds until a token is back (at least 1). */
  retryAfterSeconds?: number;
}

/**
 * Graph's scoped throttling (docs/emulator.md has the scope table): Outlook's per-mailbox
 * concurrency limit and token buckets of their own for chosen scopes.
 */
export interface ScopedThrottleOptions {
  /**
   * Outlook: requests of one app executing at once against one mailbox; beyond it a request
   * answers 429 with Retry-After, unless its own `$batch` already runs requests of that mailbox
   * (Graph queues those itself, so they wait instead). Default 4. 0 turns the limit off.
   */
  mailboxConcurrency?: number;
  /** Retry-After (seconds) of a mailbox-concurrency 429. Default 1. */
  mailboxRetryAfterSeconds?: number;
  /**
   * Token buckets per throttling scope name (see throttlingScopeOf), e.g.
   * `{ "mailbox:u-0007": { capacity: 5, refillPerSecond: 2, retryAfterSeconds: 2 } }`. A request
   * whose scope has a bucket here is charged to that bucket (per app) instead of the app-wide
   * `throttle` bucket.
   */
  buckets?: Record<string, ThrottleOptions>;
}

/** Injected failures. All rates are probabilities in [0, 1], drawn from the seeded PRNG. */
export interface FaultOptions {
  /** A sub-request (or unbatched request) answers 429 without executing. */
  subRequestThrottleRate?: number;
  /** `Retry-After` (seconds) of injected throttling, sub-request or outer. Default 1; 0 allowed. */
  retryAfterSeconds?: number;
  /** An HTTP call fails whole with 429 (with `Retry-After`) before executing anything. */
  outer429Rate?: number;
  /** An HTTP call fails whole with 503 (with `Retry-After`) before executing anything. */
  outer503Rate?: number;
  /** An HTTP call fails whole with 504 before executing anything. */
  outer504Rate?: number;
  /** The connection is destroyed without an answer. */
  resetRate?: number;
  /** false (default): reset before executing; true: execute first, then reset (ambiguous failure). */
  resetAfterExecute?: boolean;
  /** An HTTP call is delayed by an extra `slowMs`. */
  slowRate?: number;
  /** Extra delay of a slow call (default 0). */
  slowMs?: number;
  /** A `$batch` answer is released in parts through a top-level `nextLink`. */
  batchNextLinkRate?: number;
}

/** What the `onRequest` hook learns about each HTTP call. */
export interface RequestInfo {
  /** Upper-case HTTP method. */
  method: string;
  /** URL path as received, including the version segment (e.g. "/v1.0/$batch"). */
  path: string;
  /** A POST to `.../$batch` (not a nextLink GET). */
  isBatch: boolean;
}

/**
 * Options of `startEmulator`; all optional. Invalid values make it reject with a RangeError.
 *
 * @example
 * ```ts
 * const emulator = await startEmulator({ latencyMs: 80, scopedThrottle: {}, data: { users: 100 } });
 * ```
 */
export interface EmulatorOptions {
  /** TCP port (default 0: a free port is picked). */
  port?: number;
  /** Interface to listen on (default "127.0.0.1"). */
  host?: string;
  /** Seeds the data generator and the PRNG behind jitter and faults (default 1). */
  seed?: number;
  /** Sizes of the generated data set (see EmulatorDataOptions for the defaults). */
  data?: EmulatorDataOptions;
  /** Round-trip latency of every HTTP call: half on the way in, half on the way out (default 0). */
  latencyMs?: number;
  /** Time to execute one sub-request or unbatched request (default 0). */
  serviceTimeMs?: number;
  /** Uniform random extra 0..jitter per execution (default 0). */
  serviceJitterMs?: number;
  /** App-wide token bucket, charged by every request whose scope has no bucket of its own. Off unless given. */
  throttle?: ThrottleOptions;
  /** Scoped throttling (Outlook's 4 per mailbox, buckets per scope). Off unless given. */
  scopedThrottle?: ScopedThrottleOptions;
  /** Injected failures and throttling, by rate. Default: none. */
  faults?: FaultOptions;
  /** Called synchronously when an HTTP call arrives, before any fault or delay. */
  onRequest?: (info: RequestInfo) => void;
  /**
   * CORS for pages on other origins: `{ origin: "*" }`, `{ origin: ["http://localhost:3000"] }`,
   * or false. Default: any origin when listening on loopback, off otherwise.
   */
  cors?: CorsOptions | false;
}

/** HTTP calls received, by kind. */
export interface HttpCallStats {
  /** Every HTTP call received. */
  total: number;
  /** POST .../$batch. */
  batch: number;
  /** GET on a top-level batch nextLink. */
  batchNextLink: number;
  /** Unbatched resource requests (anything else under a version segment). */
  single: number;
  /** GET on a download URL (the target of a /content redirect). */
  download: number;
}

/** What the emulator has seen and done since it started (or since `resetStats()`). */
export interface EmulatorStats {
  /** HTTP calls received, by kind. */
  httpCalls: HttpCallStats;
  /** Sub-requests executed via $batch (throttled and 424 ones are not executed). */
  subRequests: number;
  /** Unbatched resource requests executed. */
  singleRequests: number;
  /** subRequests + singleRequests. */
  executed: number;
  /** Executed writes keyed by `${METHOD} ${path}` (path as sent, without version and query). */
  writes: Record<string, number>;
  /** 429 answers to sub-requests or unbatched requests (token bucket, mailbox concurrency or injected). */
  throttled: number;
  /**
   * The same 429s by throttling scope (`directory`, `mailbox:u-0001`, …; see throttlingScopeOf),
   * whether a bucket, the mailbox concurrency or an injected fault produced them.
   */
  throttledByScope: Record<string, number>;
  /**
   * Most requests (sub-requests and unbatched) executing at the same time: holding their service
   * time, after throttling and any wait for a mailbox slot.
   */
  peakSubRequestConcurrency: number;
  /** Requests (sub-requests and unbatched) executing right now (a gauge, like inFlight). */
  inFlightSubRequests: number;
  /** Injected outer 429/503/504 answers and connection resets. */
  outerFaults: number;
  /** Connection resets among them (each one leaves its callers without an answer). */
  resets: number;
  /** Largest `requests` array received in a $batch (even one rejected for being too large). */
  maxBatchSize: number;
  /** Most HTTP calls being handled at the same time. */
  peakConcurrency: number;
  /** HTTP calls being handled right now. */
  inFlight: number;
}

/** A running emulator, from `startEmulator`. */
export interface Emulator {
  /** "http://127.0.0.1:PORT": no trailing slash, no version. */
  readonly url: string;
  /** The TCP port it listens on. */
  readonly port: number;
  /** Live counters, mutated as requests arrive. */
  readonly stats: EmulatorStats;
  /** Zero all counters (inFlight and inFlightSubRequests are gauges and keep their values). */
  resetStats(): void;
  /** The in-memory data, for assertions in tests. */
  readonly directory: Directory;
  /** Stop listening, destroy open sockets and cancel pending timers. */
  close(): Promise<void>;
}
