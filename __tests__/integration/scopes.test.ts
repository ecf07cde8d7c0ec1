/**
 * Throttling scopes end to end: the real Client and BatchingMiddleware against the emulator's
 * scoped throttling. A throttled mailbox holds its own requests only, and throttles of different
 * mailboxes do not add their Retry-Afters up.
 */
import { startEmulator, type Emulator } from "../../src/emulator";
import { emulatorClient } from "../helpers/emulatorClients";

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

/** Issues every path at once; resolves with each one's settle time (ms from the start) and outcome. */
async function timed(client: ReturnType<typeof emulatorClient>, paths: string[]) {
  const start = Date.now();
  return Promise.all(paths.map((path) => client.api(path).get().then(
    () => ({ path, ok: true, ms: Date.now() - start }),
    (error: { statusCode?: number }) => ({ path, ok: false, status: error.statusCode, ms: Date.now() - start }),
  )));
}

test("one hot mailbox among ten: only its requests wait for its Retry-After", async () => {
  emulator = await startEmulator({
    latencyMs: 20,
    data: { users: 12 },
    scopedThrottle: { buckets: { "mailbox:u-0002": { capacity: 2, refillPerSecond: 4, retryAfterSeconds: 2 } } },
  });
  const users = emulator.directory.users.slice(1, 11).map((u) => u.id);
  const paths = [...users.flatMap((id) => Array.from({ length: 4 }, () => `/users/${id}/messages`)), ...users.map((id) => `/users/${id}`)];
  const results = await timed(emulatorClient(emulator), paths);
  expect(results.every((r) => r.ok)).toBe(true);
  const hot = results.filter((r) => r.path.startsWith("/users/u-0002/"));
  const others = results.filter((r) => !r.path.startsWith("/users/u-0002/"));
  expect(Math.min(...hot.map((r) => r.ms))).toBeLessThan(1000); // two got through at once
  expect(Math.max(...hot.map((r) => r.ms))).toBeGreaterThanOrEqual(1900);
  expect(Math.max(...others.map((r) => r.ms))).toBeLessThan(1000);
  expect(emulator.stats.throttledByScope).toEqual({ "mailbox:u-0002": 2 });
});

test("throttles of five different mailboxes do not add up; the directory's throttle holds the directory", async () => {
  const buckets = Object.fromEntries(["u-0002", "u-0003", "u-0004", "u-0005", "u-0006"].map((id) => [`mailbox:${id}`, { capacity: 1, refillPerSecond: 10, retryAfterSeconds: 1 }]));
  emulator = await startEmulator({ latencyMs: 20, data: { users: 40 }, throttle: { capacity: 10, refillPerSecond: 100, retryAfterSeconds: 1 }, scopedThrottle: { buckets } });
  const client = emulatorClient(emulator);
  const mailboxes = Object.keys(buckets).map((scope) => scope.slice("mailbox:".length));
  const directory = emulator.directory.users.slice(10, 30).map((u) => `/users/${u.id}`);
  const start = Date.now();
  const results = await timed(client, [...mailboxes.flatMap((id) => [`/users/${id}/messages`, `/users/${id}/messages?$top=1`]), ...directory]);
  const wall = Date.now() - start;
  expect(results.every((r) => r.ok)).toBe(true);
  // Five mailboxes throttled once each for 1 s, in parallel: one second, not five.
  expect(emulator.stats.throttledByScope).toMatchObject(Object.fromEntries(Object.keys(buckets).map((scope) => [scope, 1])));
  expect(wall).toBeGreaterThanOrEqual(900);
  expect(wall).toBeLessThan(2500);
  // 20 directory requests against a bucket of 10: the 10 refused waited out the directory's pause.
  expect(emulator.stats.throttledByScope.directory).toBe(10);
  const directoryTimes = results.filter((r) => directory.includes(r.path)).map((r) => r.ms).sort((a, b) => a - b);
  expect(directoryTimes[19]).toBeGreaterThanOrEqual(900);
});

test("throttles of different mailboxes arriving one after another do not add their Retry-Afters up", async () => {
  // Mailbox k holds k tokens: its (k+1)-th request, one round trip later than mailbox k-1's, is
  // refused for 1 s. A pause shared by everyone would stack five of them.
  const ids = ["u-0002", "u-0003", "u-0004", "u-0005", "u-0006"];
  const buckets = Object.fromEntries(ids.map((id, k) => [`mailbox:${id}`, { capacity: k + 1, refillPerSecond: 1.5, retryAfterSeconds: 1 }]));
  emulator = await startEmulator({ latencyMs: 20, scopedThrottle: { buckets } });
  const client = emulatorClient(emulator);
  const start = Date.now();
  await Promise.all(
    ids.map(async (id, k) => {
      for (let i = 0; i <= k + 1; i++) await client.api(`/users/${id}/messages?$top=${i + 1}`).get();
    }),
  );
  const wall = Date.now() - start;
  expect(Object.values(emulator.stats.throttledByScope).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(5);
  expect(wall).toBeGreaterThanOrEqual(950);
  expect(wall).toBeLessThan(2500);
});
