/**
 * One bench run: the in-process micro-benchmark and its CPU profile, then every workload with
 * every contender, each run on a fresh emulator, then the results check and the round-trip
 * bounds. bench/run.ts is the command line around it; __tests__/bench.smoke.test.ts runs it with
 * tiny sizes.
 */
import os from "node:os";
import { compare, describeFailures, normalise, type Check } from "./check";
import { CONTENDERS, documentedRelativeRequestError, type Contender } from "./contenders";
import type { HttpCallStats } from "../src/emulator/types";
import { measure, roundTripBound, summariseLatencies, throttledBound, Tracker } from "./measure";
import { runMicro, type MicroOptions, type MicroReport } from "./micro";
import { profileMicro, type ProfileSummary } from "./profile";
import { RemoteEmulator } from "./remote-emulator";
import { getUsers, mixed, plan, type EmulatorTiming, type Family, type Item, type Size, type Workload } from "./workloads";

export interface SuiteOptions {
  size: Size;
  latencyMs: number;
  serviceTimeMs?: number;
  serviceJitterMs?: number;
  seed?: number;
  /** Contender keys to run (default: all). */
  contenders?: readonly string[];
  /** Workload families to run (default: all). */
  families?: readonly Family[];
  /** false: no micro-benchmark. */
  micro?: MicroOptions | false;
  /** false: no CPU profile. `out`: where to write the .cpuprofile. */
  profile?: { out?: string } | false;
  /** Unmeasured runs of every contender first, so that the first measured one is not charged for the JIT. */
  warmup?: boolean;
  /**
   * Runs per cell when the first run took less than `repeatBelowMs` (default 3 and 2000 ms): the
   * median run is reported. Long runs are stable enough once, and repeating them would blow the
   * time budget; throttled runs are never repeated (they are dominated by Retry-After).
   */
  repeat?: number;
  repeatBelowMs?: number;
  /** A full GC before each run: comparable peak RSS, inflated CPU figures (default false; see measure.ts). */
  gcBetweenRuns?: boolean;
  /** Progress lines. */
  log?: (line: string) => void;
  /** The command line that produced the run, for the report. */
  command?: string;
}

export interface RunRecord {
  workload: string;
  family: Family;
  title: string;
  requests: number;
  size: number;
  contender: string;
  number: string;
  label: string;
  /** Why the run did not happen. */
  skipped?: string;
  /** The run threw as a whole (e.g. the groups sample rejected). */
  error?: string;
  /** Of the median run, when the cell was run several times. */
  wallMs: number;
  /** Runs of this cell, and the fastest and slowest wall time among them. */
  repeats: number;
  wallMinMs: number;
  wallMaxMs: number;
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  /** Client CPU (this process) per request, µs. */
  cpuMicrosPerRequest: number;
  /** The emulator's CPU per request, µs (its own process). */
  serverCpuMicrosPerRequest: number;
  peakRssMiB: number;
  httpCalls: HttpCallStats;
  peakConcurrency: number;
  /** 429 answers the emulator sent (sub-requests and unbatched requests). */
  throttled: number;
  boundMs: number;
  boundRatio: number;
  /** Requests that failed, as their callers saw it. */
  failed: number;
  /** Mailbox family: ms until the last request of the other mailboxes settled (contenders with a client). */
  othersMs?: number;
  firstError?: string;
  check: Check;
}

export interface SuiteResult {
  machine: { cpu: string; cores: number; node: string; date: string; platform: string };
  command: string;
  size: Size;
  latencyMs: number;
  serviceTimeMs: number;
  serviceJitterMs: number;
  /** One round trip: latency + service time (jitter excluded: the bound is a lower bound). */
  rttMs: number;
  contenders: readonly Contender[];
  workloads: readonly Workload[];
  runs: RunRecord[];
  micro?: MicroReport;
  profile?: { summary: ProfileSummary; file?: string; cpuMicrosPerRequest: number };
  notes: string[];
}

/** A run that hangs must not hang the bench: generous, since throttled runs wait for Retry-After. */
function timeoutFor(boundMs: number): number {
  return Math.max(180_000, boundMs * 30);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function boundFor(workload: Workload, contender: Contender, rttMs: number): number {
  const roundTrips = roundTripBound(workload.requests, contender.concurrency, contender.batched, rttMs);
  const throttle = workload.throttle;
  return throttle ? throttledBound(workload.requests, throttle.capacity, throttle.refillPerSecond, roundTrips) : roundTrips;
}

const EMPTY_CALLS: HttpCallStats = { total: 0, batch: 0, batchNextLink: 0, single: 0, download: 0 };

/** The fields that say which cell of the report a run record belongs to. */
function recordIdentity(workload: Workload, contender: Contender) {
  return {
    workload: workload.key,
    family: workload.family,
    title: workload.title,
    requests: workload.requests,
    size: workload.size,
    contender: contender.key,
    number: contender.number,
    label: contender.label,
  };
}

function skippedRecord(workload: Workload, contender: Contender, reason: string, boundMs: number): RunRecord {
  return {
    ...recordIdentity(workload, contender),
    skipped: reason,
    wallMs: NaN,
    repeats: 0,
    wallMinMs: NaN,
    wallMaxMs: NaN,
    requestsPerSecond: NaN,
    p50: NaN,
    p95: NaN,
    p99: NaN,
    cpuMicrosPerRequest: NaN,
    serverCpuMicrosPerRequest: NaN,
    peakRssMiB: NaN,
    httpCalls: EMPTY_CALLS,
    peakConcurrency: 0,
    throttled: 0,
    boundMs,
    boundRatio: NaN,
    failed: 0,
    check: { status: "skipped", failed: 0, different: 0, text: `skipped: ${reason}` },
  };
}

/** One measured run on a fresh emulator. Returns the record and the normalised items for the check. */
async function runOne(
  emulator: RemoteEmulator,
  workload: Workload,
  contender: Contender,
  rttMs: number,
  gcFirst?: boolean,
): Promise<{ record: RunRecord; items?: (string | null)[]; failures: string }> {
  const boundMs = boundFor(workload, contender, rttMs);
  const data = await emulator.start(workload.emulator.options, workload.emulator.data);
  const session = contender.open(data);
  const tracker = new Tracker();
  const measured = await measure(() =>
    withTimeout(session.run(workload, tracker), timeoutFor(boundMs)).then(
      (items): { items: Item[] } => ({ items }),
      (error: unknown): { error: string } => ({ error: error instanceof Error ? error.message : String(error) }),
    ),
    gcFirst,
  );
  const remote = await emulator.stats();
  const latencies = summariseLatencies(tracker.latencies);
  const outcome = measured.value;
  const items = "items" in outcome ? normalise(outcome.items, data.url) : undefined;
  const failures = "items" in outcome ? describeFailures(outcome.items) : "";
  const record: RunRecord = {
    ...recordIdentity(workload, contender),
    error: "error" in outcome ? outcome.error : undefined,
    wallMs: measured.wallMs,
    repeats: 1,
    wallMinMs: measured.wallMs,
    wallMaxMs: measured.wallMs,
    requestsPerSecond: workload.requests / (measured.wallMs / 1000),
    p50: latencies.p50,
    p95: latencies.p95,
    p99: latencies.p99,
    cpuMicrosPerRequest: measured.cpuMicros / workload.requests,
    serverCpuMicrosPerRequest: remote.cpuMicros / workload.requests,
    peakRssMiB: measured.peakRssBytes / 2 ** 20,
    httpCalls: remote.stats.httpCalls,
    peakConcurrency: remote.stats.peakConcurrency,
    throttled: remote.stats.throttled,
    boundMs,
    // No ratio at 0 ms latency: the bound is then 0 and every contender "infinitely" above it.
    boundRatio: boundMs > 0 ? measured.wallMs / boundMs : NaN,
    failed: tracker.failed,
    othersMs: workload.othersMs?.(),
    firstError: tracker.firstError ?? ("error" in outcome ? outcome.error : undefined),
    // Filled in once every contender of the workload has run.
    check: { status: "error", failed: 0, different: 0, text: "" },
  };
  return { record, items, failures };
}

type RunResult = Awaited<ReturnType<typeof runOne>>;

function sameItems(a: readonly (string | null)[] | undefined, b: readonly (string | null)[] | undefined): boolean {
  return a !== undefined && b !== undefined && a.length === b.length && a.every((item, i) => item === b[i]);
}

/** Runs a cell once, or `repeat` times if it is quick; keeps the run with the median wall time. */
async function runRepeated(
  emulator: RemoteEmulator,
  workload: Workload,
  contender: Contender,
  rttMs: number,
  repeat: number,
  repeatBelowMs: number,
  gcFirst?: boolean,
): Promise<RunResult> {
  const attempts = [await runOne(emulator, workload, contender, rttMs, gcFirst)];
  const quick = attempts[0].record.wallMs < repeatBelowMs && !workload.throttle && workload.family !== "mailbox";
  while (quick && attempts.length < repeat) attempts.push(await runOne(emulator, workload, contender, rttMs, gcFirst));
  const sorted = [...attempts].sort((a, b) => a.record.wallMs - b.record.wallMs);
  const chosen = sorted[Math.floor((sorted.length - 1) / 2)];
  chosen.record.repeats = attempts.length;
  chosen.record.wallMinMs = sorted[0].record.wallMs;
  chosen.record.wallMaxMs = sorted[sorted.length - 1].record.wallMs;
  // Every repeat starts from the same fresh emulator: the answers must not vary.
  if (attempts.some((a) => a.items !== undefined && !sameItems(a.items, chosen.items))) {
    chosen.record.error = "the answers varied between repeats of this run";
    chosen.items = undefined;
  }
  return chosen;
}

/** Compares every run of a workload with the first one that answered everything. */
function checkWorkload(results: RunResult[]): void {
  const reference = results.find((r) => r.items && r.items.every((item) => item !== null));
  for (const result of results) {
    const { record, items } = result;
    if (record.skipped) continue;
    if (!items) {
      record.check = { status: "error", failed: record.failed, different: 0, text: `failed: ${record.error}` };
    } else if (!reference) {
      record.check = { status: "failed", failed: record.failed, different: 0, text: `unchecked: no contender answered everything; ${result.failures}` };
    } else if (result === reference) {
      record.check = { status: "reference", failed: 0, different: 0, text: "equal (reference)" };
    } else {
      record.check = compare(items, reference.items!, result.failures);
    }
  }
}

function format(record: RunRecord): string {
  if (record.skipped) return `skipped (${record.skipped})`;
  const ms = record.wallMs >= 1000 ? `${(record.wallMs / 1000).toFixed(2)} s` : `${record.wallMs.toFixed(0)} ms`;
  const spread = record.repeats > 1 ? ` (median of ${record.repeats}: ${record.wallMinMs.toFixed(0)}–${record.wallMaxMs.toFixed(0)} ms)` : "";
  const bound = Number.isFinite(record.boundRatio) ? `, ${record.boundRatio.toFixed(2)}× bound` : "";
  const failed = record.failed > 0 ? `, ${record.failed} failed` : "";
  return `${ms}${spread}, ${record.httpCalls.total} HTTP calls${bound}, ${record.cpuMicrosPerRequest.toFixed(0)} µs CPU/req${failed}`;
}

export async function runSuite(options: SuiteOptions): Promise<SuiteResult> {
  const log = options.log ?? (() => undefined);
  const timing: EmulatorTiming = {
    latencyMs: options.latencyMs,
    serviceTimeMs: options.serviceTimeMs ?? 0,
    serviceJitterMs: options.serviceJitterMs ?? 0,
    seed: options.seed ?? 1,
  };
  const rttMs = timing.latencyMs + timing.serviceTimeMs;
  const contenders = CONTENDERS.filter((c) => !options.contenders || options.contenders.includes(c.key));
  const { workloads: planned, skipAbove } = plan(options.size, timing);
  const workloads = planned.filter((w) => !options.families || options.families.includes(w.family));
  const notes: string[] = [];
  const runs: RunRecord[] = [];
  const repeat = options.repeat ?? 3;
  const repeatBelowMs = options.repeatBelowMs ?? 2000;

  const relativeError = documentedRelativeRequestError();
  if (relativeError) {
    notes.push(
      `The documentation's \`new Request("/users/…")\` throws on Node ${process.version} (\`${relativeError}\`): ` +
        "contender 3 therefore uses absolute URLs, which BatchRequestContent 3.0.7 sends with their `/v1.0` segment.",
    );
  }

  // The micro-benchmark first, while the heap is small: after the 10,000-request runs its GC
  // costs (a quarter of its time) would be those of a bloated heap.
  let micro: MicroReport | undefined;
  if (options.micro !== false) {
    log("micro-benchmark (instant transport, no HTTP)...");
    micro = await runMicro(options.micro ?? {});
    for (const r of micro.results) log(`  ${r.label}: ${r.clientMicrosPerRequest.toFixed(1)} µs client CPU/req, ${Math.round(r.requestsPerSecond)} req/s`);
  }
  let profile: SuiteResult["profile"];
  if (options.profile) {
    log("CPU profile of the micro-benchmark with batching...");
    const microOptions = options.micro === false ? {} : options.micro ?? {};
    const profiled = await profileMicro({ requests: microOptions.requests, out: options.profile.out });
    profile = { summary: profiled.summary, file: profiled.file, cpuMicrosPerRequest: profiled.cpuMicrosPerRequest };
  }

  const emulator = await RemoteEmulator.launch();
  try {
    if (options.warmup !== false) {
      log("warming up every contender (unmeasured)...");
      const warm = { ...timing, latencyMs: 0, serviceTimeMs: 0, serviceJitterMs: 0 };
      for (const contender of contenders) {
        for (const workload of [getUsers(20, warm), mixed(4, warm)]) {
          const data = await emulator.start(workload.emulator.options, workload.emulator.data);
          await contender.open(data).run(workload, new Tracker()).catch(() => undefined);
        }
      }
    }

    for (const workload of workloads) {
      log(`${workload.title} (${workload.requests} requests)`);
      const results: RunResult[] = [];
      for (const contender of contenders) {
        const limit = skipAbove[contender.key];
        if (limit !== undefined && workload.requests > limit) {
          const record = skippedRecord(workload, contender, `above ${limit} requests; run with --size full`, boundFor(workload, contender, rttMs));
          results.push({ record, failures: "" });
          log(`  ${contender.number}. ${contender.label}: ${format(record)}`);
          continue;
        }
        const result = await runRepeated(emulator, workload, contender, rttMs, repeat, repeatBelowMs, options.gcBetweenRuns);
        results.push(result);
        log(`  ${contender.number}. ${contender.label}: ${format(result.record)}`);
      }
      checkWorkload(results);
      for (const { record } of results) runs.push(record);
      const unequal = results.filter(({ record }) => !["reference", "equal", "skipped"].includes(record.check.status));
      log(`  results: ${unequal.length === 0 ? "all equal" : unequal.map(({ record }) => `${record.number} ${record.check.text}`).join("; ")}`);
    }
  } finally {
    await emulator.close();
  }

  return {
    machine: {
      cpu: os.cpus()[0]?.model ?? "unknown",
      cores: os.cpus().length,
      node: process.version,
      date: new Date().toISOString(),
      platform: `${os.type()} ${os.release()} ${os.arch()}`,
    },
    command: options.command ?? "npm run bench",
    size: options.size,
    latencyMs: timing.latencyMs,
    serviceTimeMs: timing.serviceTimeMs,
    serviceJitterMs: timing.serviceJitterMs,
    rttMs,
    contenders,
    workloads,
    runs,
    micro,
    profile,
    notes,
  };
}
