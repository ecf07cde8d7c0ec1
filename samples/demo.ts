/**
 * npm run demo [-- --groups N --latency MS --seed S]
 * npm run demo -- --browser [--port P]
 *
 * Starts the Graph emulator in-process with a realistic round trip, runs the groups example
 * (the members and owners of N groups) with the SDK's default chain and with BatchingMiddleware,
 * and prints what each cost. No tenant, no network. With --browser, serves a page that runs the
 * same example in the browser and draws each request and HTTP call (samples/browser/).
 */
import { Client, MiddlewareFactory } from "@microsoft/microsoft-graph-client";
import { createBatchingMiddlewareChain } from "../src";
import { startEmulator, Emulator } from "../src/emulator";
import { GroupRoster, limitInFlight, membersAndOwners } from "./groups";

function arg(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  if (index < 0) return fallback;
  const value = Number(process.argv[index + 1]);
  if (!Number.isFinite(value) || value < 0) {
    console.error(`--${name} takes a number; got ${process.argv[index + 1]}`);
    process.exit(2);
  }
  return value;
}

const groups = Math.max(1, Math.floor(arg("groups", 200)));
const browser = process.argv.includes("--browser");
const latencyMs = arg("latency", 80);
const seed = arg("seed", 1);
const authProvider = { getAccessToken: async () => "demo-token" };

interface Run {
  label: string;
  requests: number;
  httpCalls: number;
  wallMs: number;
  rosters: GroupRoster[];
}

/** A progress line while a run takes long, so the terminal is not silent. */
function progress(emulator: Emulator, label: string, total: number): () => void {
  const started = Date.now();
  const timer = setInterval(() => {
    const done = emulator.stats.executed;
    const line = `  ${label}: ${done}/${total} requests answered, ${((Date.now() - started) / 1000).toFixed(1)} s`;
    if (process.stdout.isTTY) process.stdout.write(`\r${line}`);
    else console.log(line);
  }, process.stdout.isTTY ? 200 : 2000);
  return () => {
    clearInterval(timer);
    if (process.stdout.isTTY) process.stdout.write("\r\x1b[K");
  };
}

async function measure(emulator: Emulator, label: string, client: Client, groupIds: string[], limit?: number): Promise<Run> {
  emulator.resetStats();
  const stop = progress(emulator, label, groupIds.length * 2);
  const started = performance.now();
  try {
    const rosters = await membersAndOwners(client, groupIds, limit ? limitInFlight(limit) : undefined);
    return { label, requests: groupIds.length * 2, httpCalls: emulator.stats.httpCalls.total, wallMs: performance.now() - started, rosters };
  } finally {
    stop();
  }
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}

async function main(): Promise<void> {
  const emulator = await startEmulator({
    seed,
    latencyMs,
    serviceTimeMs: 10,
    serviceJitterMs: 20,
    data: { users: Math.max(50, groups * 2), groups, membersPerGroup: 8, ownersPerGroup: 2 },
  });
  try {
    const host = `127.0.0.1:${emulator.port}`;
    const groupIds = emulator.directory.groups.slice(0, groups).map((g) => g.id);
    const plain = Client.initWithMiddleware({ baseUrl: emulator.url, middleware: MiddlewareFactory.getDefaultMiddlewareChain(authProvider) });
    // The emulator is on loopback, not a Graph host: `hosts` tells the middleware to batch it.
    const batched = Client.initWithMiddleware({ baseUrl: emulator.url, middleware: createBatchingMiddlewareChain(authProvider, { hosts: [host] }) });

    console.log(`msgraph-batching-middleware demo: the members and owners of ${groups} groups (${groups * 2} requests)`);
    console.log(`Graph emulator at ${emulator.url}: ${latencyMs} ms round trip per HTTP call, 10-30 ms per request\n`);

    // Warm both clients up (JIT, sockets) so that the first measured run is not charged for it.
    await membersAndOwners(plain, groupIds.slice(0, 10));
    await membersAndOwners(batched, groupIds.slice(0, 10));

    const runs = [
      await measure(emulator, "SDK default chain, all at once", plain, groupIds),
      await measure(emulator, "SDK default chain, 6 in flight (a browser)", plain, groupIds, 6),
      await measure(emulator, "BatchingMiddleware, defaults", batched, groupIds),
    ];
    const batchedRun = runs[2];
    const width = Math.max(...runs.map((r) => r.label.length));
    console.log(`${"run".padEnd(width)}  requests  HTTP calls  wall time  batching is`);
    for (const run of runs) {
      const ratio = run === batchedRun ? "" : `${(run.wallMs / batchedRun.wallMs).toFixed(1)}x faster`;
      console.log(`${run.label.padEnd(width)}  ${String(run.requests).padStart(8)}  ${String(run.httpCalls).padStart(10)}  ${formatMs(run.wallMs).padStart(9)}  ${ratio}`);
    }
    const same = runs.every((run) => JSON.stringify(run.rosters) === JSON.stringify(runs[0].rosters));
    console.log(`\nRound trips: ${runs[0].httpCalls} -> ${batchedRun.httpCalls} (${(runs[0].httpCalls / batchedRun.httpCalls).toFixed(0)}x fewer).`);
    console.log(`Identical data from every run: ${same ? "yes" : "NO"}`);
    if (!same) process.exitCode = 1;
  } finally {
    await emulator.close();
  }
}

/** `--browser`: the same example in a page, served until Ctrl-C. */
async function browserDemo(): Promise<void> {
  const { startBrowserDemo } = await import("./browser/server");
  const port = process.argv.includes("--port") ? arg("port", 0) : 0;
  const demo = await startBrowserDemo({ groups, latencyMs, seed, port });
  console.log(`msgraph-batching-middleware browser demo: the members and owners of ${groups} groups`);
  console.log(`Graph emulator at ${demo.emulator.url} (${latencyMs} ms round trip)`);
  console.log(`\nOpen ${demo.url} in a browser. Ctrl-C to stop.`);
  const stop = () => void demo.close().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

(browser ? browserDemo() : main()).catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
