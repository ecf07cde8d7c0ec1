/**
 * What a run is measured by: per-request latency (issue to settlement), wall time, the client's
 * CPU (process.cpuUsage: the emulator runs in another process), peak RSS, and the round-trip
 * lower bound every contender is compared with.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/**
 * A full GC on demand. `npm run bench` gives no way to pass --expose-gc; the flag can still be set
 * at run time, and a fresh context then sees the `gc` function (V8 installs it when a context is
 * created).
 *
 * Used sparingly: right after a forced full GC, V8 has shrunk its young generation and the next
 * ~2,000 requests cost 80-150 µs more CPU each while it grows back (measured on the micro-benchmark),
 * which would charge a run for the measurement itself.
 */
let gcFunction: (() => void) | undefined | null;
export function collectGarbage(): void {
  if (gcFunction === undefined) {
    try {
      setFlagsFromString("--expose-gc");
      gcFunction = runInNewContext("gc") as () => void;
    } catch {
      gcFunction = null;
    }
  }
  gcFunction?.();
}

/** Status of a failed call: GraphError.statusCode, the middleware's BatchError.status, else 0. */
export function statusOf(error: unknown): number {
  const e = error as { statusCode?: unknown; status?: unknown } | undefined;
  if (typeof e?.statusCode === "number" && e.statusCode > 0) return e.statusCode;
  if (typeof e?.status === "number") return e.status;
  return 0;
}

/**
 * Latency of every logical request, from the moment the caller issues it to its settlement, in
 * ms: queueing (a browser-like limit, the window, a batch slot) and retries are part of it, as
 * the caller experiences them.
 */
export class Tracker {
  readonly latencies: number[] = [];
  /** Failed requests by HTTP status (0: no status, e.g. a thrown TypeError). */
  readonly failures = new Map<number, number>();
  firstError?: string;

  /** Starts the clock of one request; call the result once it settled. */
  begin(): (failure?: unknown) => void {
    const started = performance.now();
    let done = false;
    return (failure?: unknown) => {
      if (done) return;
      done = true;
      this.latencies.push(performance.now() - started);
      if (failure !== undefined) this.fail(failure);
    };
  }

  /** Times a call; its value or rejection passes through untouched. */
  track<T>(call: () => Promise<T>): Promise<T> {
    const end = this.begin();
    let promise: Promise<T>;
    try {
      promise = call();
    } catch (error) {
      end(error);
      return Promise.reject(error);
    }
    promise.then(
      () => end(),
      (error: unknown) => end(error ?? new Error("rejected")),
    );
    return promise;
  }

  get failed(): number {
    let count = 0;
    for (const n of this.failures.values()) count += n;
    return count;
  }

  private fail(failure: unknown): void {
    const status = statusOf(failure);
    this.failures.set(status, (this.failures.get(status) ?? 0) + 1);
    if (this.firstError === undefined) {
      const text = (failure as { message?: unknown } | null)?.message;
      const message = typeof text === "string" ? text : String(failure);
      this.firstError = status ? `${status}: ${message}` : message;
    }
  }
}

/** Nearest-rank percentile of an ascending array; NaN when empty. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/**
 * Peak RSS during a run, sampled: process.resourceUsage().maxRSS is the peak of the whole process
 * lifetime and never comes down, so it cannot tell one run from the next.
 */
export class RssSampler {
  private peak = process.memoryUsage.rss();
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(intervalMs = 10) {
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  private sample(): void {
    this.peak = Math.max(this.peak, process.memoryUsage.rss());
  }

  stop(): number {
    clearInterval(this.timer);
    this.sample();
    return this.peak;
  }
}

export interface Measured<T> {
  value: T;
  wallMs: number;
  /** User + system CPU of this process during the run, µs. */
  cpuMicros: number;
  peakRssBytes: number;
}

/**
 * V8 sweeps on background threads after a full GC, and process.cpuUsage() counts every thread:
 * measured at once, a 1-request run would be charged 10-30 ms of someone else's sweeping.
 */
const SETTLE_AFTER_GC_MS = 50;

/** A full GC, then a pause for its background sweeping to end. */
export async function quiesce(): Promise<void> {
  collectGarbage();
  await new Promise((resolve) => setTimeout(resolve, SETTLE_AFTER_GC_MS));
}

/**
 * Wall time, CPU and peak RSS of one run. `gcFirst`: a full GC before it, so that peak RSS does
 * not depend on the garbage of earlier runs, at the price of inflating its CPU (see collectGarbage).
 */
export async function measure<T>(run: () => Promise<T>, gcFirst = false): Promise<Measured<T>> {
  if (gcFirst) await quiesce();
  const rss = new RssSampler();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  try {
    const value = await run();
    const wallMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    return { value, wallMs, cpuMicros: cpu.user + cpu.system, peakRssBytes: rss.stop() };
  } finally {
    rss.stop();
  }
}

export interface LatencySummary {
  p50: number;
  p95: number;
  p99: number;
}

export function summariseLatencies(latencies: readonly number[]): LatencySummary {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) };
}

/** Graph's limit of requests per `$batch`. */
export const BATCH_SIZE = 20;

/**
 * The least time N requests can take when each HTTP call costs one round trip and C calls are in
 * flight: ceil(N / 20 / C) round trips batched, ceil(N / C) unbatched. C = Infinity (everything
 * at once) gives one round trip.
 */
export function roundTripBound(requests: number, concurrency: number, batched: boolean, rttMs: number): number {
  const calls = batched ? requests / BATCH_SIZE : requests;
  return Math.max(1, Math.ceil(calls / concurrency)) * rttMs;
}

/**
 * Under a token bucket no client can finish before the bucket has refilled what the burst did not
 * cover: (N − capacity) / refill seconds, nor before its round trips.
 */
export function throttledBound(requests: number, capacity: number, refillPerSecond: number, roundTripMs: number): number {
  const refillMs = refillPerSecond > 0 ? (Math.max(0, requests - capacity) / refillPerSecond) * 1000 : Infinity;
  return Math.max(roundTripMs, refillMs);
}
