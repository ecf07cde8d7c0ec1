/**
 * The soak run (scripts/soak.ts) in a process of its own, so that "the process exits by itself"
 * is observed, not assumed. SOAK_REQUESTS=100000 npm test -- soak runs it bigger.
 */
import { spawn } from "node:child_process";
import path from "node:path";

const requests = Number(process.env.SOAK_REQUESTS ?? 10_000);

test(`soak: ${requests} mixed requests with faults, nothing lost, nothing run twice`, async () => {
  const root = path.resolve(__dirname, "..");
  const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "scripts/soak.ts", "--requests", String(requests)], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const limitMs = 240_000;
  const killer = setTimeout(() => child.kill("SIGKILL"), limitMs);
  const [code, signal] = await new Promise<[number | null, string | null]>((resolve) => child.on("exit", (c, s) => resolve([c, s])));
  clearTimeout(killer);

  // Killed means it did not exit by itself (a timer or socket left open, or a caller never settled).
  expect({ signal, stderr: stderr.slice(-2000) }).toEqual({ signal: null, stderr: expect.any(String) });
  const summary = JSON.parse(stdout.trim().split("\n").pop()!);
  expect(summary).toMatchObject({ requests, wrong: 0, writesNotExactlyOnce: 0, writesExecutedTwice: 0, unhandledRejections: 0 });
  expect(summary.ok + summary.ambiguous).toBe(requests);
  // The faults really happened: throttled sub-requests, outer failures and partial batches.
  expect(summary.throttled).toBeGreaterThan(requests * 0.05);
  expect(summary.outerFaults).toBeGreaterThan(0);
  expect(summary.ambiguous).toBeLessThanOrEqual(20 * summary.resets);
  expect(summary.httpCalls.batchNextLink).toBeGreaterThan(0);
  expect(summary.writesSucceeded).toBeGreaterThan(requests * 0.25);
  expect(code).toBe(0);
}, 300_000);
