/**
 * Fault injection. Every decision draws from the seeded PRNG, and only when
 * the corresponding rate is non-zero, so enabling no faults leaves the random
 * stream (and thus jitter) exactly as it would be without this module.
 */
import type { Random } from "./random";
import type { FaultOptions } from "./types";

type RateName =
  | "subRequestThrottleRate"
  | "outer429Rate"
  | "outer503Rate"
  | "outer504Rate"
  | "resetRate"
  | "slowRate"
  | "batchNextLinkRate";

export type OuterFault = { kind: "none" } | { kind: "reset" } | { kind: "status"; status: 429 | 503 | 504 };

export class FaultInjector {
  readonly retryAfterSeconds: number;
  readonly resetAfterExecute: boolean;
  private readonly rates: Record<RateName, number>;
  private readonly slowMs: number;

  constructor(
    options: FaultOptions = {},
    private readonly random: Random,
  ) {
    this.rates = {
      subRequestThrottleRate: rate(options, "subRequestThrottleRate"),
      outer429Rate: rate(options, "outer429Rate"),
      outer503Rate: rate(options, "outer503Rate"),
      outer504Rate: rate(options, "outer504Rate"),
      resetRate: rate(options, "resetRate"),
      slowRate: rate(options, "slowRate"),
      batchNextLinkRate: rate(options, "batchNextLinkRate"),
    };
    const { resetRate, outer429Rate, outer503Rate, outer504Rate } = this.rates;
    if (resetRate + outer429Rate + outer503Rate + outer504Rate > 1) {
      throw new RangeError("faults: resetRate + outer429Rate + outer503Rate + outer504Rate must not exceed 1");
    }
    this.retryAfterSeconds = nonNegative(options.retryAfterSeconds ?? 1, "faults.retryAfterSeconds");
    this.slowMs = nonNegative(options.slowMs ?? 0, "faults.slowMs");
    this.resetAfterExecute = options.resetAfterExecute ?? false;
  }

  /** At most one outer fault per HTTP call: a single draw against the cumulative rates. */
  outerFault(): OuterFault {
    const { resetRate, outer429Rate, outer503Rate, outer504Rate } = this.rates;
    if (resetRate + outer429Rate + outer503Rate + outer504Rate === 0) return { kind: "none" };
    let draw = this.random();
    if ((draw -= resetRate) < 0) return { kind: "reset" };
    if ((draw -= outer429Rate) < 0) return { kind: "status", status: 429 };
    if ((draw -= outer503Rate) < 0) return { kind: "status", status: 503 };
    if ((draw -= outer504Rate) < 0) return { kind: "status", status: 504 };
    return { kind: "none" };
  }

  /** Extra delay of this HTTP call (0 unless the slow fault hits). */
  slowDelay(): number {
    return this.hits(this.rates.slowRate) ? this.slowMs : 0;
  }

  subRequestThrottled(): boolean {
    return this.hits(this.rates.subRequestThrottleRate);
  }

  batchNextLink(): boolean {
    return this.hits(this.rates.batchNextLinkRate);
  }

  private hits(probability: number): boolean {
    return probability > 0 && this.random() < probability;
  }
}

function rate(options: FaultOptions, key: RateName): number {
  const value = options[key] ?? 0;
  if (!(value >= 0 && value <= 1)) {
    throw new RangeError(`faults.${key} must be a probability between 0 and 1 (got ${String(value)})`);
  }
  return value;
}

export function nonNegative(value: number, name: string): number {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${name} must be a non-negative number (got ${value})`);
  return value;
}
