/** The counters behind `emulator.stats`. */
import type { EmulatorStats } from "./types";

export function createStats(): EmulatorStats {
  return {
    httpCalls: { total: 0, batch: 0, batchNextLink: 0, single: 0, download: 0 },
    subRequests: 0,
    singleRequests: 0,
    executed: 0,
    writes: {},
    throttled: 0,
    outerFaults: 0,
    resets: 0,
    maxBatchSize: 0,
    peakConcurrency: 0,
    inFlight: 0,
  };
}

/**
 * Zeroes the counters in place, so a reference taken earlier stays live.
 * inFlight is a gauge of calls still being handled: zeroing it would drive it
 * negative when they finish, so it is kept, and the peak restarts from it.
 */
export function resetStats(stats: EmulatorStats): void {
  const { inFlight } = stats;
  Object.assign(stats, createStats(), { inFlight, peakConcurrency: inFlight });
}

export function recordWrite(stats: EmulatorStats, key: string): void {
  stats.writes[key] = (stats.writes[key] ?? 0) + 1;
}

export function callStarted(stats: EmulatorStats): void {
  stats.inFlight++;
  stats.peakConcurrency = Math.max(stats.peakConcurrency, stats.inFlight);
}

export function callFinished(stats: EmulatorStats): void {
  stats.inFlight--;
}
