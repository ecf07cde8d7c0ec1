/** Stats, the onRequest hook, close() and the CLI. */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { startEmulator, type RequestInfo } from "../../src/emulator";
import { postBatch, sleep } from "./helpers";

const ROOT = join(__dirname, "..", "..");

describe("stats", () => {
  it("counts HTTP calls, executions, writes and concurrency exactly", async () => {
    const calls: RequestInfo[] = [];
    const emulator = await startEmulator({ serviceTimeMs: 40, onRequest: (info) => calls.push(info) });
    try {
      await postBatch(emulator, [
        { id: "1", method: "GET", url: "/me" },
        { id: "2", method: "PATCH", url: "/me", headers: { "Content-Type": "application/json" }, body: { jobTitle: "X" } },
        { id: "3", method: "GET", url: "/users/nobody" },
      ]);
      await Promise.all([1, 2, 3, 4].map((n) => fetch(`${emulator.url}/v1.0/users/u-000${n}`)));
      const redirect = await fetch(`${emulator.url}/v1.0/me/drive/items/i-0001-001/content`);
      expect(redirect.status).toBe(200); // followed to the download URL

      expect(emulator.stats).toEqual({
        httpCalls: { total: 7, batch: 1, batchNextLink: 0, single: 5, download: 1 },
        subRequests: 3,
        singleRequests: 5,
        executed: 8,
        writes: { "PATCH /me": 1 },
        throttled: 0,
        throttledByScope: {},
        outerFaults: 0,
        resets: 0,
        maxBatchSize: 3,
        peakConcurrency: expect.any(Number),
        inFlight: 0,
        peakSubRequestConcurrency: expect.any(Number),
        inFlightSubRequests: 0,
      });
      expect(emulator.stats.peakConcurrency).toBeGreaterThanOrEqual(2);
      expect(emulator.stats.peakSubRequestConcurrency).toBeGreaterThanOrEqual(3); // the batch's three at once
      expect(calls[0]).toEqual({ method: "POST", path: "/v1.0/$batch", isBatch: true });
      expect(calls[1]).toMatchObject({ method: "GET", isBatch: false });
      expect(calls[calls.length - 1].path).toBe("/_download/i-0001-001");

      const before = emulator.stats;
      emulator.resetStats();
      expect(emulator.stats).toBe(before); // zeroed in place: references stay live
      expect(emulator.stats).toMatchObject({ httpCalls: { total: 0 }, executed: 0, maxBatchSize: 0, peakConcurrency: 0 });
      expect(emulator.stats.writes).toEqual({});
    } finally {
      await emulator.close();
    }
  });
});

describe("close()", () => {
  it("ends pending calls at once instead of waiting for them", async () => {
    const emulator = await startEmulator({ latencyMs: 30_000 });
    const pending = fetch(`${emulator.url}/v1.0/me`);
    await sleep(50);
    expect(emulator.stats.inFlight).toBe(1);
    const started = performance.now();
    await emulator.close();
    expect(performance.now() - started).toBeLessThan(1000);
    await expect(pending).rejects.toThrow("fetch failed");
  });

  it("lets the process exit: no sockets or timers left behind", async () => {
    // A keep-alive socket (the 405) and a call stuck in a 60 s service time.
    const script = `
      const { startEmulator } = require("./src/emulator");
      (async () => {
        const emulator = await startEmulator({ serviceTimeMs: 60000 });
        await (await fetch(emulator.url + "/v1.0/$batch")).text();
        fetch(emulator.url + "/v1.0/me").catch(() => console.log("pending call ended"));
        await new Promise((resolve) => setTimeout(resolve, 100));
        await emulator.close();
        console.log("closed");
      })();`;
    const result = await run(["-r", "ts-node/register/transpile-only", "-e", script], 15_000);
    expect(result.stdout).toContain("closed");
    expect(result.stdout).toContain("pending call ended");
    expect(result.code).toBe(0);
  }, 20_000);
});

describe("CLI", () => {
  it("prints the URL and the data, serves, and closes cleanly on SIGINT", async () => {
    const args = ["-r", "ts-node/register/transpile-only", "src/emulator/cli.ts", "--port", "0", "--users", "12", "--seed", "4"];
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    try {
      await waitFor(() => (stdout.includes("Press Ctrl-C") ? true : undefined), 10_000);
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
      expect(stdout).toMatch(/12 users \(u-0001\.\.u-0012\)/);
      const users = await (await fetch(`${url}/v1.0/users`)).json();
      expect(users.value).toHaveLength(12);
      child.kill("SIGINT");
      expect(await exited).toBe(0);
      expect(stdout).toContain("Closed after 1 HTTP calls");
    } finally {
      child.kill("SIGKILL");
    }
  }, 20_000);
});

/** Runs node with the given arguments from the project root; kills it after `timeoutMs`. */
function run(args: string[], timeoutMs: number): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
    let stdout = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout });
    });
  });
}

async function waitFor<T>(probe: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("timed out");
    await sleep(25);
  }
}
