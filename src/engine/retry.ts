/** When to send a sub-request again, and how long to wait first. Pure functions. */

/** Statuses that mean "not now": throttled, or the service briefly unavailable. */
export const TRANSIENT_STATUSES: ReadonlySet<number> = new Set([429, 503, 504]);

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Requests that can be sent twice without changing the outcome. Only the safe methods: PUT and
 * DELETE are idempotent on paper, but a DELETE sent twice answers 404 the second time, which is
 * not what the caller would have seen.
 */
export function isIdempotent(method: string): boolean {
  return SAFE_METHODS.has(method);
}

/**
 * Whether a transient sub-response may be retried for this method. 429 and 503 are refusals
 * before any work was done, so writes are retried too; a 504 means the backend may have done the
 * work without answering in time, so a write is not sent again.
 */
export function isRetryable(method: string, status: number): boolean {
  if (!TRANSIENT_STATUSES.has(status)) return false;
  return status !== 504 || isIdempotent(method);
}

/** Parses Retry-After (delta-seconds or HTTP-date) into milliseconds from `now`. */
export function parseRetryAfter(value: string | undefined | null, now: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Exponential back-off with full jitter on the upper half: base * 2^(attempt-1) * [0.5, 1). */
export function backoffDelay(attempt: number, baseDelayMs: number, random: () => number): number {
  const ceiling = baseDelayMs * 2 ** Math.max(0, attempt - 1);
  return Math.round(ceiling * (0.5 + random() / 2));
}
