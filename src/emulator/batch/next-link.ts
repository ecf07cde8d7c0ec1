/**
 * Parts of batch answers waiting to be fetched through a top-level nextLink.
 * Clients that never follow a link must not make memory grow, so parts expire
 * and the store has a size cap; expiry is checked lazily on insert, which
 * needs no timer (nothing to cancel on close).
 */
import type { SubResponse } from "./codec";

interface PendingPart {
  responses: SubResponse[];
  expiresAt: number;
}

export class NextLinkStore {
  private readonly parts = new Map<string, PendingPart>();
  private counter = 0;

  constructor(
    private readonly ttlMs = 5 * 60_000,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Keeps the responses and returns the token that fetches them. */
  save(responses: SubResponse[]): string {
    this.evict();
    const token = `part-${++this.counter}`;
    this.parts.set(token, { responses, expiresAt: this.now() + this.ttlMs });
    return token;
  }

  /** The responses behind a token, once: a token is consumed by its fetch. */
  take(token: string): SubResponse[] | undefined {
    const part = this.parts.get(token);
    this.parts.delete(token);
    if (!part || part.expiresAt <= this.now()) return undefined;
    return part.responses;
  }

  /** Map order is insertion order, so the oldest entries come first. */
  private evict(): void {
    const now = this.now();
    for (const [token, part] of this.parts) {
      if (part.expiresAt > now && this.parts.size < this.maxEntries) break;
      this.parts.delete(token);
    }
  }
}
