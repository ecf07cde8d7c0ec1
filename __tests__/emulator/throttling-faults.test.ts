/** Token-bucket throttling, injected faults, top-level nextLink release, latency. */
import { startEmulator, type Emulator, type EmulatorOptions } from "../../src/emulator";
import { TokenBuckets } from "../../src/emulator/throttle";
import { byId, expectGraphError, jsonRequest, postBatch, sleep, type SubRequest, type SubResponse } from "./helpers";

const get = (id: string, url = "/me"): SubRequest => ({ id, method: "GET", url });
const gets = (count: number) => Array.from({ length: count }, (_, i) => get(String(i + 1), `/users/u-000${i + 1}`));
const statuses = (responses: SubResponse[]) => responses.map((r) => r.status).sort();

let emulator: Emulator | undefined;
async function start(options: EmulatorOptions): Promise<Emulator> {
  emulator = await startEmulator(options);
  return emulator;
}
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

describe("token bucket", () => {
  it("throttles sub-requests inside a 200 batch, and unbatched calls, per app", async () => {
    const em = await start({ throttle: { capacity: 3, refillPerSecond: 0.01 } });
    const answer = await postBatch(em, gets(5), "v1.0", { Authorization: "Bearer app-a" });
    expect(answer.status).toBe(200);
    const responses: SubResponse[] = answer.body.responses;
    expect(statuses(responses)).toEqual([200, 200, 200, 429, 429]);
    for (const throttled of responses.filter((r) => r.status === 429)) {
      expect(Number(throttled.headers?.["Retry-After"])).toBeGreaterThanOrEqual(1);
      expectGraphError(throttled.body, "TooManyRequests");
    }
    expect(em.stats).toMatchObject({ subRequests: 3, executed: 3, throttled: 2 });

    const single = await fetch(`${em.url}/v1.0/me`, { headers: { Authorization: "Bearer app-a" } });
    expect(single.status).toBe(429);
    expect(Number(single.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expectGraphError(await single.json(), "TooManyRequests");

    // Another app has its own bucket.
    const other = await fetch(`${em.url}/v1.0/me`, { headers: { Authorization: "Bearer app-b" } });
    expect(other.status).toBe(200);
    expect(em.stats).toMatchObject({ singleRequests: 1, executed: 4, throttled: 3 });
  });

  it("refills over time and uses the configured Retry-After", async () => {
    const em = await start({ throttle: { capacity: 1, refillPerSecond: 1, retryAfterSeconds: 7 } });
    expect((await fetch(`${em.url}/v1.0/me`)).status).toBe(200);
    const throttled = await fetch(`${em.url}/v1.0/me`);
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get("retry-after")).toBe("7");
    await sleep(1100); // one token per second
    expect((await fetch(`${em.url}/v1.0/me`)).status).toBe(200);
  });

  it("refills continuously up to the capacity, and computes Retry-After from the refill rate", () => {
    let now = 0;
    const buckets = new TokenBuckets({ capacity: 2, refillPerSecond: 0.5 }, () => now);
    expect(buckets.take("app")).toEqual({ granted: true });
    expect(buckets.take("app")).toEqual({ granted: true });
    expect(buckets.take("app")).toEqual({ granted: false, retryAfterSeconds: 2 });
    now = 1000; // half a token back: still throttled, one more second to wait
    expect(buckets.take("app")).toEqual({ granted: false, retryAfterSeconds: 1 });
    now = 2000;
    expect(buckets.take("app")).toEqual({ granted: true });
    now = 60_000; // never more than the capacity
    expect(buckets.take("app").granted).toBe(true);
    expect(buckets.take("app").granted).toBe(true);
    expect(buckets.take("app").granted).toBe(false);
  });
});

describe("injected sub-request throttling", () => {
  it("answers 429 without executing anything, with the configured Retry-After", async () => {
    const em = await start({ seed: 1, faults: { subRequestThrottleRate: 1, retryAfterSeconds: 0 } });
    const answer = await postBatch(em, [
      get("read"),
      { id: "write", method: "POST", url: "/me/messages", headers: { "Content-Type": "application/json" }, body: { subject: "x" } },
    ]);
    expect(answer.status).toBe(200);
    for (const response of answer.body.responses as SubResponse[]) {
      expect(response).toMatchObject({ status: 429, headers: { "Retry-After": "0" } });
    }
    expect(em.stats).toMatchObject({ executed: 0, throttled: 2 });
    expect(em.stats.writes).toEqual({});
    expect(em.directory.messages("u-0001")).toHaveLength(5);
  });
});

describe("outer faults", () => {
  it.each([
    [429, "outer429Rate", "1"],
    [503, "outer503Rate", "1"],
    [504, "outer504Rate", null],
  ] as const)("fails the whole call with %i before executing", async (status, rate, retryAfter) => {
    const em = await start({ faults: { [rate]: 1 } });
    const answer = await postBatch(em, gets(3));
    expect(answer.status).toBe(status);
    expect(answer.headers.get("retry-after")).toBe(retryAfter);
    expectGraphError(answer.body);
    const single = await fetch(`${em.url}/v1.0/me`);
    expect(single.status).toBe(status);
    expect(em.stats).toMatchObject({ executed: 0, outerFaults: 2, httpCalls: { total: 2, batch: 1, single: 1 } });
  });

  it("resets the connection before executing: fetch fails and nothing ran", async () => {
    const em = await start({ faults: { resetRate: 1 } });
    await expect(
      fetch(`${em.url}/v1.0/me/messages`, { method: "POST", headers: { "Content-Type": "application/json" }, body: '{"subject":"x"}' }),
    ).rejects.toThrow("fetch failed");
    expect(em.stats).toMatchObject({ executed: 0, outerFaults: 1, resets: 1 });
    expect(em.stats.writes).toEqual({});
    expect(em.directory.messages("u-0001")).toHaveLength(5);
  });

  it("resets after executing when asked: the write happened although the client saw an error", async () => {
    const em = await start({ faults: { resetRate: 1, resetAfterExecute: true } });
    const request = jsonRequest("1", "POST", "/me/messages", { subject: "ghost" });
    await expect(postBatch(em, [request])).rejects.toThrow("fetch failed");
    expect(em.stats).toMatchObject({ subRequests: 1, outerFaults: 1, resets: 1 });
    expect(em.stats.writes).toEqual({ "POST /me/messages": 1 });
    expect(em.directory.messages("u-0001").map((m) => m.subject)).toContain("ghost");
  });

  it("replays the same faults for the same seed", async () => {
    const run = async (seed: number) => {
      const em = await startEmulator({ seed, faults: { outer503Rate: 0.3, outer504Rate: 0.2 } });
      const seen: number[] = [];
      for (let i = 0; i < 30; i++) seen.push((await fetch(`${em.url}/v1.0/me`)).status);
      await em.close();
      return seen;
    };
    const first = await run(99);
    expect(await run(99)).toEqual(first);
    expect(new Set(first)).toEqual(new Set([200, 503, 504]));
    expect(await run(100)).not.toEqual(first);
  });

  it("delays slow calls", async () => {
    const em = await start({ faults: { slowRate: 1, slowMs: 150 } });
    const started = performance.now();
    expect((await fetch(`${em.url}/v1.0/me`)).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
  });
});

describe("top-level nextLink", () => {
  it("releases a batch answer in parts until every response is delivered", async () => {
    const em = await start({ faults: { batchNextLinkRate: 1 } });
    const first = await postBatch(em, gets(5));
    expect(first.status).toBe(200);
    const parts: SubResponse[][] = [first.body.responses];
    const links: string[] = [];
    let next: string | undefined = first.body.nextLink;
    while (next) {
      expect(next).toMatch(new RegExp(`^${em.url}/v1\\.0/\\$batch/next/`));
      links.push(next);
      const part = await fetch(next);
      expect(part.status).toBe(200);
      const body = await part.json();
      parts.push(body.responses);
      next = body.nextLink;
    }
    expect(parts.map((part) => part.length)).toEqual([3, 1, 1]);
    const all = parts.flat();
    expect(all.map((r) => r.id).sort()).toEqual(["1", "2", "3", "4", "5"]);
    expect(byId(all, "4").body.id).toBe("u-0004");
    expect(em.stats.httpCalls).toMatchObject({ total: 3, batch: 1, batchNextLink: 2 });
    expect(em.stats.subRequests).toBe(5);

    // A link works once.
    const reused = await fetch(links[0]);
    expect(reused.status).toBe(404);
    expectGraphError(await reused.json());
  });
});

describe("latency and service time", () => {
  it("adds the latency to every HTTP call, batched or not", async () => {
    const em = await start({ latencyMs: 120 });
    let started = performance.now();
    await fetch(`${em.url}/v1.0/me`);
    expect(performance.now() - started).toBeGreaterThanOrEqual(115);
    started = performance.now();
    await postBatch(em, gets(2));
    expect(performance.now() - started).toBeGreaterThanOrEqual(115);
  });

  it("adds the service time to each execution", async () => {
    const em = await start({ serviceTimeMs: 100 });
    const started = performance.now();
    await fetch(`${em.url}/v1.0/me`);
    expect(performance.now() - started).toBeGreaterThanOrEqual(95);
  });
});
