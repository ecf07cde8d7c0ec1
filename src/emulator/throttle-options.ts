/**
 * Reads and validates `throttle` and `scopedThrottle` into the parts the executor charges.
 * Throws RangeError like the other options: a typo must fail loudly at start, not show up as a
 * benchmark that silently never throttles.
 */
import { nonNegative } from "./faults";
import { MailboxSlots } from "./mailbox-slots";
import { TokenBuckets } from "./throttle";
import { isThrottlingScopeName } from "./throttle-scope";
import type { EmulatorOptions, ThrottleOptions } from "./types";

/** Outlook's documented limit, used when `scopedThrottle` is given without `mailboxConcurrency`. */
const DEFAULT_MAILBOX_CONCURRENCY = 4;

export interface Throttling {
  /** The app-wide bucket; absent when `throttle` is not given. */
  buckets?: TokenBuckets;
  /** Buckets of their own, by lower-case scope name. */
  scopeBuckets: ReadonlyMap<string, TokenBuckets>;
  /** Outlook's concurrency per app and mailbox; absent when off. */
  mailboxSlots?: MailboxSlots;
  mailboxRetryAfterSeconds: number;
}

export function readThrottling(options: Pick<EmulatorOptions, "throttle" | "scopedThrottle">): Throttling {
  const buckets = options.throttle ? new TokenBuckets(checkBucket(options.throttle, "throttle")) : undefined;
  const scoped = options.scopedThrottle;
  if (scoped === undefined) return { buckets, scopeBuckets: new Map(), mailboxRetryAfterSeconds: 1 };
  if (!isObject(scoped)) throw new RangeError(`scopedThrottle must be an object (got ${JSON.stringify(scoped)})`);

  const scopeBuckets = new Map<string, TokenBuckets>();
  if (scoped.buckets !== undefined && !isObject(scoped.buckets)) {
    throw new RangeError(`scopedThrottle.buckets must be an object of scope names (got ${JSON.stringify(scoped.buckets)})`);
  }
  for (const [name, bucket] of Object.entries(scoped.buckets ?? {})) {
    const scope = name.toLowerCase();
    if (!isThrottlingScopeName(scope)) {
      throw new RangeError(
        `scopedThrottle.buckets: '${name}' is not a throttling scope (expected directory, sharepoint, teams, other, mailbox:{userId}, mailbox:group:{groupId} or team:{teamId})`,
      );
    }
    if (scopeBuckets.has(scope)) throw new RangeError(`scopedThrottle.buckets: '${name}' is given twice (scope names ignore case)`);
    scopeBuckets.set(scope, new TokenBuckets(checkBucket(bucket, `scopedThrottle.buckets["${name}"]`)));
  }

  const concurrency = scoped.mailboxConcurrency ?? DEFAULT_MAILBOX_CONCURRENCY;
  if (!(Number.isInteger(concurrency) && concurrency >= 0)) {
    throw new RangeError(`scopedThrottle.mailboxConcurrency must be a non-negative integer (got ${concurrency})`);
  }
  return {
    buckets,
    scopeBuckets,
    mailboxSlots: concurrency > 0 ? new MailboxSlots(concurrency) : undefined,
    mailboxRetryAfterSeconds: nonNegative(scoped.mailboxRetryAfterSeconds ?? 1, "scopedThrottle.mailboxRetryAfterSeconds"),
  };
}

function checkBucket(bucket: ThrottleOptions, name: string): ThrottleOptions {
  if (!isObject(bucket)) throw new RangeError(`${name} must be { capacity, refillPerSecond, retryAfterSeconds? } (got ${JSON.stringify(bucket)})`);
  nonNegative(bucket.capacity, `${name}.capacity`);
  nonNegative(bucket.refillPerSecond, `${name}.refillPerSecond`);
  if (bucket.retryAfterSeconds !== undefined) nonNegative(bucket.retryAfterSeconds, `${name}.retryAfterSeconds`);
  return bucket;
}

function isObject(value: unknown): value is object {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
