/**
 * The results check: every contender must give the callers the same answers. Items are compared
 * one by one as JSON, after replacing the emulator's address (each run has a fresh emulator on a
 * new port, and `@odata.context` carries it). A failed item (a 429 after retries, a 400 from a
 * broken batch) is counted apart: it is not a different answer, it is no answer.
 */
import type { Item } from "./workloads";

export type CheckStatus = "reference" | "equal" | "partial" | "failed" | "different" | "error" | "skipped";

export interface Check {
  status: CheckStatus;
  /** Items that failed in this run. */
  failed: number;
  /** Items answered differently from the reference. */
  different: number;
  text: string;
}

/** One string per item, or null for a failed item; comparable across emulator instances. */
export function normalise(items: readonly Item[], emulatorUrl: string): (string | null)[] {
  return items.map((item) => (item.ok ? JSON.stringify(item.value ?? null).split(emulatorUrl).join("{emulator}") : null));
}

/** Failures of a run by status, e.g. "500 × 429". */
export function describeFailures(items: readonly Item[]): string {
  const counts = new Map<string, number>();
  for (const item of items) {
    if (item.ok) continue;
    const key = `${item.status || "no status"} ${item.code}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts.entries()].map(([key, count]) => `${count} × ${key}`).join(", ");
}

export function compare(items: readonly (string | null)[], reference: readonly (string | null)[], failures: string): Check {
  if (items.length !== reference.length) {
    return { status: "different", failed: 0, different: Math.abs(items.length - reference.length), text: `DIFFERENT: ${items.length} items, reference has ${reference.length}` };
  }
  let failed = 0;
  let different = 0;
  for (let i = 0; i < items.length; i++) {
    if (items[i] === null) failed++;
    else if (reference[i] !== null && items[i] !== reference[i]) different++;
  }
  if (different > 0) return { status: "different", failed, different, text: `DIFFERENT: ${different} of ${items.length} answers` };
  if (failed === items.length) return { status: "failed", failed, different, text: `failed: ${failures}` };
  if (failed > 0) return { status: "partial", failed, different, text: `equal where answered; ${failures}` };
  return { status: "equal", failed, different, text: "equal" };
}
