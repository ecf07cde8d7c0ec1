/**
 * The concurrency controller seen from the service: the emulator's own count of HTTP calls in
 * flight when each `$batch` arrives. Clean answers widen the window (slow start); a throttled
 * scope is paced at the rate the service accepted, so far fewer batches fly after a 429.
 */
import { startEmulator, type Emulator } from "../../src/emulator";
import { emulatorClient } from "../helpers/emulatorClients";

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

/** Each $batch arrival: the calls in flight at that moment (itself included: it is counted before the hook) and the 429s so far. */
function recordArrivals(options: Parameters<typeof startEmulator>[0]) {
  const arrivals: { inFlight: number; throttledBefore: number }[] = [];
  const started = startEmulator({
    ...options,
    onRequest: (info) => {
      if (info.isBatch && emulator) arrivals.push({ inFlight: emulator.stats.inFlight, throttledBefore: emulator.stats.throttled });
    },
  });
  return { arrivals, started };
}

test("clean answers let more batches fly: 32 at first, then more (the default ceiling is 256)", async () => {
  const { arrivals, started } = recordArrivals({ latencyMs: 60, data: { users: 2400 } });
  emulator = await started;
  const client = emulatorClient(emulator);
  const ids = emulator.directory.users.map((u) => u.id);
  const users = await Promise.all(ids.map((id) => client.api(`/users/${id}`).get()));
  expect(users.map((u) => u.id)).toEqual(ids);
  expect(arrivals).toHaveLength(120);
  expect(Math.max(...arrivals.slice(0, 32).map((a) => a.inFlight))).toBeLessThanOrEqual(32);
  const peak = Math.max(...arrivals.map((a) => a.inFlight));
  expect(peak).toBeGreaterThan(32);
  expect(peak).toBeGreaterThanOrEqual(48); // the window doubles per clean round trip
});

test("after the directory is throttled, far fewer batches fly at once, and every caller is answered", async () => {
  const { arrivals, started } = recordArrivals({ latencyMs: 40, data: { users: 1000 }, throttle: { capacity: 100, refillPerSecond: 200 } });
  emulator = await started;
  const client = emulatorClient(emulator);
  const ids = emulator.directory.users.map((u) => u.id);
  const users = await Promise.all(ids.map((id) => client.api(`/users/${id}`).get()));
  expect(users.map((u) => u.id)).toEqual(ids);
  const before = arrivals.filter((a) => a.throttledBefore === 0);
  const after = arrivals.filter((a) => a.throttledBefore > 0);
  expect(Math.max(...before.map((a) => a.inFlight))).toBeGreaterThanOrEqual(16);
  expect(after.length).toBeGreaterThan(0);
  expect(Math.max(...after.map((a) => a.inFlight))).toBeLessThanOrEqual(4);
  // Gentler than unbatched code: 1,000 requests against a bucket of 100 cost fewer 429s than requests.
  expect(emulator.stats.throttled).toBeLessThan(1000);
});
