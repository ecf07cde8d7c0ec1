/**
 * Issue 8 through the real Client chain, on a scripted $batch endpoint: throttling scopes (a 429
 * holds only the requests of its scope), held requests leaving together, Outlook's per-mailbox
 * concurrency, and the slow start of batches in flight.
 */
import nock from "nock";
import { batchedClient } from "./helpers/clients";
import { scriptedBatches, Sub } from "./helpers/scriptedBatches";

const json = { "Content-Type": "application/json" };
const okBody = (sub: Sub) => ({ status: 200, headers: json, body: { url: sub.url } });
const throttled = (seconds: number) => ({ status: 429, headers: { "Retry-After": String(seconds), ...json }, body: { error: { code: "TooManyRequests", message: "slow down" } } });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

/** When each URL was first answered 200 by the scripted endpoint, in ms since `start`. */
function firstSent(batches: { at: number; requests: Sub[] }[], url: string, after = 0): number | undefined {
  return batches.filter((b) => b.at >= after).find((b) => b.requests.some((r) => r.url === url))?.at;
}

test("a throttled mailbox holds only its own requests: other mailboxes and the directory go on", async () => {
  const server = scriptedBatches((sub, attempt) => (sub.url.startsWith("/users/hot/") && attempt === 0 ? throttled(2) : okBody(sub)));
  const client = batchedClient();
  const first = Promise.all([client.api("/users/hot/messages/1").get(), client.api("/users/cool/messages/1").get()]);
  // Wait for the 429 to come back, then issue more work while the hot mailbox is paused.
  while (server.sent("GET", "/users/hot/messages/1") === 0) await sleep(5);
  await sleep(50);
  const t0 = Date.now();
  const later = await Promise.all([
    client.api("/users/cool/messages/2").get(),
    client.api("/users/other/events").get(),
    client.api("/groups/g1/members").get(),
    client.api("/me/messages").get(),
    client.api("/users/hot/messages/2").get(),
  ]);
  const laterDone = Date.now() - t0;
  await first;
  expect(later.map((r) => r.url)).toEqual(["/users/cool/messages/2", "/users/other/events", "/groups/g1/members", "/me/messages", "/users/hot/messages/2"]);
  // The hot mailbox's new request waited for its scope...
  expect(laterDone).toBeGreaterThanOrEqual(1800);
  const hotRetry = firstSent(server.batches, "/users/hot/messages/2")!;
  // ...while the others left at once, without it.
  const coolAt = firstSent(server.batches, "/users/cool/messages/2")!;
  expect(hotRetry - coolAt).toBeGreaterThanOrEqual(1700);
  // The retry of the throttled request and the new request of its mailbox left together.
  const together = server.batches.find((b) => b.requests.some((r) => r.url === "/users/hot/messages/2"))!;
  expect(together.requests.map((r) => r.url)).toContain("/users/hot/messages/1");
});

test("a throttled directory request holds the directory requests issued after it, not a mailbox's", async () => {
  const server = scriptedBatches((sub, attempt) => (sub.url === "/users/hot" && attempt === 0 ? throttled(1) : okBody(sub)));
  const client = batchedClient();
  const first = Promise.all([client.api("/users/hot").get(), client.api("/users/a").get()]);
  while (server.sent("GET", "/users/hot") === 0) await sleep(5);
  await sleep(50);
  const start = Date.now();
  const timed = (url: string) => client.api(url).get().then(() => Date.now() - start);
  const [group, user, mailbox] = await Promise.all([timed("/groups/g1"), timed("/users/b/memberOf"), timed("/users/b/messages")]);
  await first;
  expect(group).toBeGreaterThanOrEqual(850);
  expect(user).toBeGreaterThanOrEqual(850);
  expect(mailbox).toBeLessThan(500);
});

test("a 429 delivered to its caller (retries spent) still pauses its scope; one whose Retry-After is beyond maxDelayMs does not", async () => {
  const refusals: Record<string, number> = { "/users/hot/messages/1": 1, "/users/other/messages/long": 600 };
  const server = scriptedBatches((sub) => (refusals[sub.url] !== undefined ? throttled(refusals[sub.url]) : okBody(sub)));
  const client = batchedClient({ retry: { maxRetries: 0, maxDelayMs: 60_000 } });
  const refused = await Promise.allSettled([client.api("/users/hot/messages/1").get(), client.api("/users/cool/messages/1").get()]);
  expect(refused.map((r) => r.status)).toEqual(["rejected", "fulfilled"]);
  expect((refused[0] as PromiseRejectedResult).reason).toMatchObject({ statusCode: 429 });
  const start = Date.now();
  const timed = (url: string) => client.api(url).get().then(() => Date.now() - start);
  const [hot, cool] = await Promise.all([timed("/users/hot/messages/2"), timed("/users/cool/messages/2")]);
  // The caller got its 429 at once; the request after it waited out the Retry-After it carried...
  expect(hot).toBeGreaterThanOrEqual(850);
  // ...and only its own scope did.
  expect(cool).toBeLessThan(500);
  expect(server.sent("GET", "/users/hot/messages/2")).toBe(1);

  // A wait the caller itself would not be made to take (600 s > maxDelayMs) is not imposed on others.
  const long = await Promise.allSettled([client.api("/users/other/messages/long").get(), client.api("/users/cool/messages/3").get()]);
  expect((long[0] as PromiseRejectedResult).reason).toMatchObject({ statusCode: 429 });
  const again = Date.now();
  await Promise.all([client.api("/users/other/messages/after").get(), client.api("/users/cool/messages/4").get()]);
  expect(Date.now() - again).toBeLessThan(500);
});

test("held requests leave together in full batches when their scope reopens, oldest first", async () => {
  // The first batch of 20 directory requests is throttled whole.
  const server = scriptedBatches((sub, attempt, batchIndex) => (batchIndex === 0 && attempt === 0 ? throttled(1) : okBody(sub)));
  const client = batchedClient();
  const firstUrls = Array.from({ length: 20 }, (_, i) => `/users/first${i}`);
  const first = Promise.all(firstUrls.map((u) => client.api(u).get()));
  while (server.batches.length === 0) await sleep(5);
  await sleep(50);
  // 25 more directory requests issued one at a time during the pause: each alone in its window.
  const laterUrls = Array.from({ length: 25 }, (_, i) => `/users/later${i}`);
  const later: Promise<unknown>[] = [];
  for (const url of laterUrls) {
    later.push(client.api(url).get());
    await sleep(10);
  }
  await Promise.all([first, ...later]);
  const after = server.batches.slice(1);
  // 45 requests in 3 batches (20, 20, 5), not 25 batches of one: they waited together.
  expect(after.map((b) => b.requests.length)).toEqual([20, 20, 5]);
  expect(after.flatMap((b) => b.requests.map((r) => r.url))).toEqual([...firstUrls, ...laterUrls]);
  expect(after[0].at - server.batches[0].at).toBeGreaterThanOrEqual(950);
});

test("Outlook's 4 requests per mailbox: one mailbox's requests never run in more than one batch at once", async () => {
  const server = scriptedBatches(okBody, { delayMs: 40 });
  const client = batchedClient();
  const own = Array.from({ length: 60 }, (_, i) => `/me/messages/m${i}`);
  await Promise.all(own.map((u) => client.api(u).get()));
  expect(server.batches.map((b) => b.requests.length)).toEqual([20, 20, 20]);
  expect(server.peak()).toBe(1);

  nock.cleanAll();
  const spread = scriptedBatches(okBody, { delayMs: 40 });
  const many = Array.from({ length: 60 }, (_, i) => `/users/u${i}/messages/m`);
  await Promise.all(many.map((u) => client.api(u).get()));
  expect(spread.batches).toHaveLength(3);
  expect(spread.peak()).toBe(3);
});

test("slow start: the first wave is 32 batches, and clean answers let more batches fly, up to maxConcurrentBatches", async () => {
  const server = scriptedBatches(okBody, { delayMs: 60 });
  const client = batchedClient({ maxConcurrentBatches: 48 });
  const urls = Array.from({ length: 20 * 120 }, (_, i) => `/users/u${i}`);
  const results = await Promise.all(urls.map((u) => client.api(u).get()));
  expect(results.map((r) => r.url)).toEqual(urls);
  const active = server.batches.map((b) => b.active);
  expect(Math.max(...active.slice(0, 32))).toBe(32);
  // The window grew past its start, and stayed under the ceiling.
  expect(server.peak()).toBeGreaterThan(32);
  expect(server.peak()).toBeLessThanOrEqual(48);
  // Nothing was lost or sent twice on the way.
  expect(server.batches.reduce((n, b) => n + b.requests.length, 0)).toBe(urls.length);

  nock.cleanAll();
  const ceiling = scriptedBatches(okBody, { delayMs: 30 });
  const small = batchedClient({ maxConcurrentBatches: 3 });
  await Promise.all(urls.slice(0, 400).map((u) => small.api(u).get()));
  expect(ceiling.peak()).toBe(3);
});
