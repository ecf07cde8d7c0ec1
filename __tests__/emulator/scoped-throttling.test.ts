/** The emulator's scoped throttling: buckets per scope and Outlook's 4 requests per mailbox. */
import { startEmulator, throttlingScopeOf, type Emulator } from "../../src/emulator";
import { postBatch } from "./helpers";

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

test.each([
  ["/users/U-0002/messages?$top=5", "mailbox:u-0002"],
  ["/me/events", "mailbox:u-0001"],
  ["/me/mailFolders/inbox/messages", "mailbox:u-0001"],
  ["/users/u-0003/contacts", "mailbox:u-0003"],
  ["/groups/g-01/conversations", "mailbox:group:g-01"],
  ["/users/u-0003", "directory"],
  ["/users/u-0003/memberOf", "directory"],
  ["/me", "directory"],
  ["/groups/g-01/members", "directory"],
  ["/me/drive/root/children", "sharepoint"],
  ["/drives/d/items/x", "sharepoint"],
  ["/teams/T-1/channels", "team:t-1"],
  ["/chats", "teams"],
  ["/security/alerts", "other"],
])("scope of %s is %s", (path, scope) => {
  expect(throttlingScopeOf(path, "u-0001")).toBe(scope);
});

test("a bucket of its own throttles only its scope, and is not the app-wide bucket", async () => {
  emulator = await startEmulator({
    throttle: { capacity: 100, refillPerSecond: 0 },
    scopedThrottle: { buckets: { "mailbox:u-0002": { capacity: 2, refillPerSecond: 0, retryAfterSeconds: 3 } } },
  });
  const get = (path: string) => fetch(`${emulator!.url}/v1.0${path}`).then((r) => ({ status: r.status, retryAfter: r.headers.get("retry-after") }));
  const hot = [];
  for (let i = 0; i < 4; i++) hot.push(await get("/users/u-0002/messages"));
  expect(hot.map((r) => r.status)).toEqual([200, 200, 429, 429]);
  expect(hot[2].retryAfter).toBe("3");
  const others = await Promise.all([get("/users/u-0003/messages"), get("/users/u-0002"), get("/groups")]);
  expect(others.map((r) => r.status)).toEqual([200, 200, 200]);
  expect(emulator.stats.throttledByScope).toEqual({ "mailbox:u-0002": 2 });
});

test("Outlook's 4 per mailbox: a fifth concurrent call is refused, while one batch's own requests queue", async () => {
  emulator = await startEmulator({ serviceTimeMs: 60, scopedThrottle: {} });
  const url = `${emulator.url}/v1.0/users/u-0002/messages`;
  const unbatched = await Promise.all(Array.from({ length: 6 }, () => fetch(url).then((r) => r.status)));
  expect(unbatched.filter((s) => s === 429)).toHaveLength(2);
  expect(emulator.stats.throttledByScope).toEqual({ "mailbox:u-0002": 2 });

  const started = Date.now();
  const batch = await postBatch(emulator, Array.from({ length: 8 }, (_, i) => ({ id: String(i + 1), method: "GET", url: "/users/u-0002/messages" })));
  expect(batch.body.responses.map((r: { status: number }) => r.status)).toEqual(Array(8).fill(200));
  expect(Date.now() - started).toBeGreaterThanOrEqual(110); // two rounds of 4
  expect(emulator.stats.peakExecuting).toBe(4);

  emulator.resetStats();
  const four = (n: number) => Array.from({ length: 4 }, (_, i) => ({ id: String(i + 1), method: "GET", url: `/users/u-0003/messages?n=${n}` }));
  const [first, second] = await Promise.all([postBatch(emulator, four(1)), postBatch(emulator, four(2))]);
  const statuses = [...first.body.responses, ...second.body.responses].map((r: { status: number }) => r.status);
  expect(statuses.filter((s) => s === 429)).toHaveLength(4);
  expect(emulator.stats.throttled).toBe(4);
});

test("other mailboxes and the directory are not held by a busy mailbox", async () => {
  emulator = await startEmulator({ serviceTimeMs: 40, scopedThrottle: { mailboxConcurrency: 1 } });
  const statuses = await Promise.all(
    ["/users/u-0002/messages", "/users/u-0002/messages", "/users/u-0003/messages", "/users/u-0004/messages", "/users/u-0002", "/groups"].map((p) =>
      fetch(`${emulator!.url}/v1.0${p}`).then((r) => r.status),
    ),
  );
  expect(statuses.sort()).toEqual([200, 200, 200, 200, 200, 429]);
  expect(emulator.stats.throttledByScope).toEqual({ "mailbox:u-0002": 1 });
});
