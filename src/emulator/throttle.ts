/**
 * Per-app token buckets, the usual model of Graph's throttling: a burst up to
 * `capacity`, then a sustained `refillPerSecond`.
 */
import type { ThrottleOptions } from "./types";

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export type TakeResult = { granted: true } | { granted: false; retryAfterSeconds: number };

/** Distinct apps remembered at most; the oldest is forgotten (memory stays bounded). */
const MAX_APPS = 10_000;

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly options: ThrottleOptions,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Takes a token from the app's bucket, or says how long to wait. */
  take(app: string): TakeResult {
    const bucket = this.refilled(app);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { granted: true };
    }
    return { granted: false, retryAfterSeconds: this.retryAfter(bucket) };
  }

  private refilled(app: string): Bucket {
    const now = this.now();
    let bucket = this.buckets.get(app);
    if (!bucket) {
      if (this.buckets.size >= MAX_APPS) this.buckets.delete(this.buckets.keys().next().value as string);
      bucket = { tokens: this.options.capacity, updatedAt: now };
      this.buckets.set(app, bucket);
      return bucket;
    }
    const elapsedSeconds = (now - bucket.updatedAt) / 1000;
    bucket.tokens = Math.min(this.options.capacity, bucket.tokens + elapsedSeconds * this.options.refillPerSecond);
    bucket.updatedAt = now;
    return bucket;
  }

  /** The configured value, else the whole seconds until one token is back (at least 1). */
  private retryAfter(bucket: Bucket): number {
    if (this.options.retryAfterSeconds !== undefined) return this.options.retryAfterSeconds;
    if (this.options.refillPerSecond <= 0) return 1;
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.options.refillPerSecond));
  }
}
