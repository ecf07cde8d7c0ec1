/**
 * The emulator's scoped throttling: which scope a request counts against, buckets per scope,
 * Outlook's concurrency per app and mailbox (a batch's own requests queue, other calls get 429),
 * throttledByScope and the execution gauges. Plain fetch against a started emulator.
 */
import { startEmulator, throttlingScopeOf, type Emulator, type EmulatorOptions } from "../../src/emulator";
import { parseArgs, USAGE } from "../../src/emulator/cli-args";
import { MailboxSlots } from "../../src/emulator/mailbox-slots";
import { expectGraphError, postBatch, sleep, type SubResponse } from "./helpers";

let emulator: Emulator | undefined;
async function start(options: EmulatorOptions): Promise<Emulator> {
  emulator = await startEmulator(options);
  return emulator;
}
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

/** An unbatched GET: status, Retry-After and the error code of a 429. */
async function get(path: string, app?: string): Promise<{ status: number; retryAfter: string | null; code?: string }> {
  const response = await fetch(`${emulator!.url}/v1.0${path}`, { headers: app ? { Authorization: app } : {} });
  const body = await response.json();
  return { status: response.status, retryAfter: response.headers.get("retry-after"), code: body.error?.code };
}

const gets = (count: number, url: string) => Array.from({ length: count }, (_, i) => ({ id: String(i + 1), method: "GET", url }));
const statusesOf = (responses: SubResponse[]) => responses.map((r) => r.status);

async function waitFor(probe: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await sleep(5);
  }
}

describe("throttlingScopeOf", () => {
  test.each([
    // Outlook, per mailbox; ids lower-cased, /me is meId, the query is ignored.
    ["/users/U-0002/messages?$top=5", "mailbox:u-0002"],
    ["/users/u-0002/mailFolders/inbox/messages/m-1", "mailbox:u-0002"],
    ["/users/u-0003/events", "mailbox:u-0003"],
    ["/users/u-0003/calendarView?startDateTime=x", "mailbox:u-0003"],
    ["/users/u-0003/contacts", "mailbox:u-0003"],
    ["/users/u-0003/photo/$value", "mailbox:u-0003"],
    ["/users/u-0003/mailboxSettings", "mailbox:u-0003"],
    ["users/u-0003/messages", "mailbox:u-0003"],
    ["/me/events", "mailbox:u-0001"],
    ["/ME/mailFolders/inbox/messages", "mailbox:u-0001"],
    ["/me/photo/$value", "mailbox:u-0001"],
    // Group mailboxes.
    ["/groups/G-01/conversations", "mailbox:group:g-01"],
    ["/groups/g-01/threads/t/posts", "mailbox:group:g-01"],
    ["/groups/g-01/calendarView", "mailbox:group:g-01"],
    // Directory.
    ["/users", "directory"],
    ["/users?$top=5", "directory"],
    ["/users/u-0003", "directory"],
    ["/users/u-0003/memberOf", "directory"],
    ["/users/u-0003/manager", "directory"],
    ["/me", "directory"],
    ["/me?$select=id", "directory"],
    ["/groups", "directory"],
    ["/groups/g-01/members", "directory"],
    ["/directoryObjects/x", "directory"],
    ["/applications", "directory"],
    ["/servicePrincipals/x", "directory"],
    ["/devices", "directory"],
    ["/organization", "directory"],
    ["/directoryRoles", "directory"],
    ["/contacts", "directory"], // organisational contacts, not a mailbox's
    // SharePoint and OneDrive.
    ["/me/drive/root/children", "sharepoint"],
    ["/users/u-0002/drive/items/i-0002-001/content", "sharepoint"],
    ["/drives/d/items/x", "sharepoint"],
    ["/sites/root", "sharepoint"],
    ["/shares/u!abc/driveItem", "sharepoint"],
    // Teams.
    ["/teams/T-1/channels", "team:t-1"],
    ["/chats", "teams"],
    ["/chats/19:abc/messages", "teams"],
    ["/teamwork", "teams"],
    // The rest.
    ["/security/alerts", "other"],
    ["/", "other"],
  ])("%s is in scope %s", (path, scope) => {
    expect(throttlingScopeOf(path, "U-0001")).toBe(scope);
  });
});

describe("buckets per scope", () => {
  it("throttle only their own scope, per app, and leave the app-wide bucket alone", async () => {
    const em = await start({
      throttle: { capacity: 3, refillPerSecond: 0, retryAfterSeconds: 9 },
      scopedThrottle: { buckets: { "mailbox:u-0002": { capacity: 2, refillPerSecond: 0, retryAfterSeconds: 3 } } },
    });
    const hot = [];
    for (let i = 0; i < 5; i++) hot.push(await get("/users/u-0002/messages"));
    expect(hot.map((r) => r.status)).toEqual([200, 200, 429, 429, 429]);
    expect(hot[2]).toMatchObject({ retryAfter: "3", code: "TooManyRequests" });
    // The same mailbox spelt otherwise: by userPrincipalName, in upper case, another Outlook resource.
    const upn = em.directory.findUser("u-0002")!.userPrincipalName;
    expect((await get(`/users/${upn}/messages`)).status).toBe(429);
    expect((await get("/users/U-0002/events")).status).toBe(429);

    // Another mailbox, the directory: all three tokens of the app-wide bucket are still there.
    const others = [await get("/users/u-0003/messages"), await get("/users/u-0002"), await get("/groups")];
    expect(others.map((r) => r.status)).toEqual([200, 200, 200]);
    // ...and it is live: the fourth such request finds it empty.
    expect(await get("/users")).toMatchObject({ status: 429, retryAfter: "9" });
    // Another app has a bucket of its own for the hot mailbox.
    expect((await get("/users/u-0002/messages", "Bearer other-app")).status).toBe(200);

    expect(em.stats.throttledByScope).toEqual({ "mailbox:u-0002": 5, directory: 1 });
    expect(em.stats.throttled).toBe(6);
  });

  it("throttle sub-requests of their scope inside a 200 batch", async () => {
    const em = await start({ scopedThrottle: { buckets: { directory: { capacity: 1, refillPerSecond: 0, retryAfterSeconds: 2 } } } });
    const answer = await postBatch(em, [
      { id: "1", method: "GET", url: "/users/u-0002" },
      { id: "2", method: "GET", url: "/users/u-0003" },
      { id: "3", method: "GET", url: "/users/u-0002/messages" },
      { id: "4", method: "GET", url: "/me/drive/items/i-0001-001" },
    ]);
    expect(answer.status).toBe(200);
    const byStatus = statusesOf(answer.body.responses).sort();
    expect(byStatus).toEqual([200, 200, 200, 429]);
    const throttled = (answer.body.responses as SubResponse[]).find((r) => r.status === 429)!;
    expect(["1", "2"]).toContain(throttled.id);
    expect(throttled.headers?.["Retry-After"]).toBe("2");
    expect(em.stats.throttledByScope).toEqual({ directory: 1 });
  });
});

describe("Outlook's concurrency per app and mailbox", () => {
  it("refuses unbatched requests beyond 4 at once with 429 and Retry-After", async () => {
    const em = await start({ serviceTimeMs: 50, scopedThrottle: { mailboxRetryAfterSeconds: 2 } });
    const answers = await Promise.all(Array.from({ length: 6 }, () => get("/users/u-0002/messages")));
    const refused = answers.filter((a) => a.status === 429);
    expect(refused).toHaveLength(2);
    expect(answers.filter((a) => a.status === 200)).toHaveLength(4);
    for (const answer of refused) expect(answer).toMatchObject({ retryAfter: "2", code: "ApplicationThrottled" });
    expect(em.stats).toMatchObject({ throttled: 2, throttledByScope: { "mailbox:u-0002": 2 }, singleRequests: 4, peakSubRequestConcurrency: 4, inFlightSubRequests: 0 });
  });

  it("queues one batch's own requests to a mailbox, 4 at a time, instead of refusing them", async () => {
    const em = await start({ serviceTimeMs: 50, scopedThrottle: {} });
    const started = Date.now();
    const answer = await postBatch(em, gets(6, "/users/u-0002/messages"));
    const elapsed = Date.now() - started;
    expect(statusesOf(answer.body.responses)).toEqual(Array(6).fill(200));
    expect(elapsed).toBeGreaterThanOrEqual(95); // two rounds: 4, then 2
    expect(em.stats).toMatchObject({ throttled: 0, throttledByScope: {}, subRequests: 6, peakSubRequestConcurrency: 4 });
  });

  it("refuses a second batch while a first one holds the mailbox's 4 slots", async () => {
    const em = await start({ serviceTimeMs: 300, scopedThrottle: {} });
    const first = postBatch(em, gets(4, "/users/u-0003/messages?$top=1"));
    await waitFor(() => em.stats.inFlightSubRequests === 4);
    const second = await postBatch(em, gets(4, "/users/u-0003/messages?$top=2"));
    // Refused at once, without executing, while the first batch is still running.
    expect(em.stats.inFlightSubRequests).toBe(4);
    expect(second.status).toBe(200);
    for (const response of second.body.responses as SubResponse[]) {
      expect(response).toMatchObject({ status: 429, headers: { "Retry-After": "1" } });
      expectGraphError(response.body, "ApplicationThrottled");
    }
    expect(statusesOf((await first).body.responses)).toEqual([200, 200, 200, 200]);
    expect(em.stats).toMatchObject({ throttledByScope: { "mailbox:u-0003": 4 }, subRequests: 4, inFlightSubRequests: 0, peakSubRequestConcurrency: 4 });

    // Slots are per app: another app's batch to the same mailbox is not refused.
    const mine = postBatch(em, gets(4, "/users/u-0003/messages"), "v1.0", { Authorization: "Bearer a" });
    await waitFor(() => em.stats.inFlightSubRequests === 4);
    const theirs = await postBatch(em, gets(4, "/users/u-0003/messages"), "v1.0", { Authorization: "Bearer b" });
    expect(statusesOf(theirs.body.responses)).toEqual([200, 200, 200, 200]);
    expect(statusesOf((await mine).body.responses)).toEqual([200, 200, 200, 200]);
    expect(em.stats.peakSubRequestConcurrency).toBe(8);
  });

  it("lets a batch that holds a slot wait for more even when other calls fill the mailbox", async () => {
    const em = await start({ serviceTimeMs: 200, scopedThrottle: { mailboxConcurrency: 2 } });
    const single = get("/users/u-0002/messages"); // holds one of the two slots
    await waitFor(() => em.stats.inFlightSubRequests === 1);
    const batch = postBatch(em, gets(3, "/users/u-0002/messages")); // takes the other, queues two
    await waitFor(() => em.stats.inFlightSubRequests === 2);
    expect((await get("/users/u-0002/events")).status).toBe(429); // a third call holds no slot
    expect((await single).status).toBe(200);
    expect(statusesOf((await batch).body.responses)).toEqual([200, 200, 200]);
    expect(em.stats).toMatchObject({ throttledByScope: { "mailbox:u-0002": 1 }, executed: 4, peakSubRequestConcurrency: 2 });
  });

  it("holds only its own mailbox: other mailboxes and the directory go on", async () => {
    const em = await start({ serviceTimeMs: 40, scopedThrottle: { mailboxConcurrency: 1 } });
    const paths = ["/users/u-0002/messages", "/me/messages", "/users/u-0003/messages", "/users/u-0001/events", "/users/u-0002", "/groups"];
    const answers = await Promise.all(paths.map((path) => get(path)));
    // /me is u-0001: /me/messages and /users/u-0001/events compete for its one slot.
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 429]);
    expect(em.stats.throttledByScope).toEqual({ "mailbox:u-0001": 1 });
  });

  it("is off without scopedThrottle, and with mailboxConcurrency 0", async () => {
    for (const options of [{}, { scopedThrottle: { mailboxConcurrency: 0 } }]) {
      const em = await start({ serviceTimeMs: 50, ...options });
      const answers = await Promise.all(Array.from({ length: 6 }, () => get("/users/u-0002/messages")));
      expect(answers.map((a) => a.status)).toEqual(Array(6).fill(200));
      expect(em.stats.peakSubRequestConcurrency).toBe(6);
      await em.close();
    }
  });
});

describe("MailboxSlots", () => {
  it("hands a freed slot to the releasing call's own waiter first, and refuses calls that hold none", async () => {
    const slots = new MailboxSlots(2);
    const [batchA, batchB, single] = [{}, {}, {}];
    expect(await slots.acquire("m", batchA)).toBe(true);
    expect(await slots.acquire("m", batchB)).toBe(true);
    const order: string[] = [];
    const waitingB = slots.acquire("m", batchB).then((granted) => order.push(`B:${granted}`));
    const waitingA = slots.acquire("m", batchA).then((granted) => order.push(`A:${granted}`));
    expect(await slots.acquire("m", single)).toBe(false);
    expect(await slots.acquire("other mailbox", single)).toBe(true);
    slots.release("m", batchA); // A's own waiter gets it, although B waited longer
    await waitingA;
    expect(order).toEqual(["A:true"]);
    expect(await slots.acquire("m", single)).toBe(false); // still full: the slot went straight over
    slots.release("m", single); // nothing held there: a no-op for "m"
    slots.release("m", batchA); // A has no waiter left: B's longest waiter gets it
    await waitingB;
    expect(order).toEqual(["A:true", "B:true"]);
    slots.release("m", batchB);
    slots.release("m", batchB);
    expect(await slots.acquire("m", single)).toBe(true);
  }, 2000);
});

describe("injected throttling", () => {
  it("counts into throttledByScope under each request's scope", async () => {
    const em = await start({ faults: { subRequestThrottleRate: 1 } });
    await postBatch(em, [
      { id: "1", method: "GET", url: "/users/u-0002/messages" },
      { id: "2", method: "GET", url: "/me/events" },
      { id: "3", method: "GET", url: "/me/drive/items/i-0001-001" },
      { id: "4", method: "GET", url: "/users" },
      { id: "5", method: "GET", url: "/groups/g-0001" },
    ]);
    await get("/teams/t-1/channels");
    expect(em.stats.throttledByScope).toEqual({ "mailbox:u-0002": 1, "mailbox:u-0001": 1, sharepoint: 1, directory: 2, "team:t-1": 1 });
    expect(em.stats.throttled).toBe(6);
  });
});

describe("stats", () => {
  it("keep the inFlightSubRequests gauge through resetStats, and restart its peak from it", async () => {
    const em = await start({ serviceTimeMs: 200 });
    const batch = postBatch(em, gets(3, "/me"));
    await waitFor(() => em.stats.inFlightSubRequests === 3);
    em.resetStats();
    expect(em.stats).toMatchObject({ inFlightSubRequests: 3, peakSubRequestConcurrency: 3, subRequests: 0 });
    await batch;
    expect(em.stats).toMatchObject({ inFlightSubRequests: 0, peakSubRequestConcurrency: 3, subRequests: 3 });
  });
});

describe("options", () => {
  it.each<[string, EmulatorOptions]>([
    ["a negative mailboxConcurrency", { scopedThrottle: { mailboxConcurrency: -1 } }],
    ["a fractional mailboxConcurrency", { scopedThrottle: { mailboxConcurrency: 1.5 } }],
    ["a negative mailboxRetryAfterSeconds", { scopedThrottle: { mailboxRetryAfterSeconds: -1 } }],
    ["a bucket with a negative capacity", { scopedThrottle: { buckets: { directory: { capacity: -1, refillPerSecond: 1 } } } }],
    ["a bucket without refillPerSecond", { scopedThrottle: { buckets: { directory: { capacity: 1 } as never } } }],
    ["a bucket with a negative Retry-After", { scopedThrottle: { buckets: { directory: { capacity: 1, refillPerSecond: 1, retryAfterSeconds: -2 } } } }],
    ["a bucket named like no scope", { scopedThrottle: { buckets: { "mailbox/u-0002": { capacity: 1, refillPerSecond: 1 } } } }],
    ["a bucket named twice", { scopedThrottle: { buckets: { "mailbox:u-0002": { capacity: 1, refillPerSecond: 1 }, "MAILBOX:U-0002": { capacity: 1, refillPerSecond: 1 } } } }],
    ["buckets that are not an object", { scopedThrottle: { buckets: [] as never } }],
    ["scopedThrottle that is not an object", { scopedThrottle: 4 as never }],
    ["an app-wide negative Retry-After", { throttle: { capacity: 1, refillPerSecond: 1, retryAfterSeconds: -1 } }],
  ])("rejects %s with a RangeError", async (_label, options) => {
    await expect(startEmulator(options)).rejects.toThrow(RangeError);
  });

  it("names the offending option", async () => {
    await expect(startEmulator({ scopedThrottle: { mailboxConcurrency: -1 } })).rejects.toThrow(/scopedThrottle\.mailboxConcurrency/);
    await expect(startEmulator({ scopedThrottle: { buckets: { "mailbox/u-0002": { capacity: 1, refillPerSecond: 1 } } } })).rejects.toThrow(
      /'mailbox\/u-0002' is not a throttling scope/,
    );
  });

  it("accepts scopes of every kind, in any case", async () => {
    const bucket = { capacity: 1, refillPerSecond: 1 };
    const names = ["directory", "SharePoint", "teams", "other", "mailbox:u-0002", "mailbox:group:g-0001", "team:t-1", "mailbox:first.last@contoso.com"];
    await start({ scopedThrottle: { buckets: Object.fromEntries(names.map((name) => [name, bucket])) } });
  });
});

describe("CLI", () => {
  it("reads --scoped-throttle as JSON and documents it", () => {
    const json = '{"mailboxConcurrency":2,"buckets":{"mailbox:u-0002":{"capacity":5,"refillPerSecond":2}}}';
    expect(parseArgs(["--scoped-throttle", json])).toEqual({ kind: "run", options: { port: 8080, scopedThrottle: JSON.parse(json) } });
    expect(() => parseArgs(["--scoped-throttle", "{mailbox"])).toThrow(/--scoped-throttle expects JSON/);
    expect(USAGE).toContain("--scoped-throttle JSON");
  });
});
