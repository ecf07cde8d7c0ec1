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
    throttledByScope: {},
    peakSubRequestConcurrency: 0,
    inFlightSubRequests: 0,
    outerFaults: 0,
    resets: 0,
    maxBatchSize: 0,
    peakConcurrency: 0,
    inFlight: 0,
  };
}

/**
 * Zeroes the counters in place, so a reference taken earlier stays live.
 * inFlight and inFlightSubRequests are gauges of calls and requests still being handled: zeroing
 * them would drive them negative when they finish, so they are kept, and their peaks restart from them.
 */
export function resetStats(stats: EmulatorStats): void {
  const { inFlight, inFlightSubRequests } = stats;
  Object.assign(stats, createStats(), {
    inFlight,
    peakConcurrency: inFlight,
    inFlightSubRequests,
    peakSubRequestConcurrency: inFlightSubRequests,
  });
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

export function executionStarted(stats: EmulatorStats): void {
  stats.inFlightSubRequests++;
  stats.peakSubRequestConcurrency = Math.max(stats.peakSubRequestConcurrency, stats.inFlightSubRequests);
}

export function executionFinished(stats: EmulatorStats): void {
  stats.inFlightSubRequests--;
}

/** A 429 to a sub-request or unbatched request, whatever limit (or fault) produced it. */
export function recordThrottle(stats: EmulatorStats, scope: string): void {
  stats.throttled++;
  stats.throttledByScope[scope] = (stats.throttledByScope[scope] ?? 0) + 1;
}
