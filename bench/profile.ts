/**
 * CPU profiles through node:inspector (no --cpu-prof flag needed, so it works under
 * `npm run bench`, whose node flags we do not control), and a summary of where the time goes:
 * self time per function and per area (middleware, Graph SDK, undici's Response, ...).
 *
 *   npx ts-node --transpile-only bench/profile.ts [--out FILE.cpuprofile]
 * profiles the micro-benchmark (bench/micro.ts) with batching and prints the summary.
 */
import { Session } from "node:inspector";
import { writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { quiesce } from "./measure";
import { MICRO_VARIANTS, MicroBench } from "./micro";

/** The subset of a V8 CPU profile (Profiler.Profile) that the summary reads. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }; children?: number[] }[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

function post<T>(session: Session, method: string, params?: object): Promise<T> {
  return new Promise((resolve, reject) =>
    session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result as T))),
  );
}

/** Runs `work` under the sampling profiler (100 µs interval: the functions we look at take a few µs). */
export async function profile<T>(work: () => Promise<T>, intervalMicros = 100): Promise<{ result: T; profile: CpuProfile }> {
  const session = new Session();
  session.connect();
  try {
    await post(session, "Profiler.enable");
    await post(session, "Profiler.setSamplingInterval", { interval: intervalMicros });
    await post(session, "Profiler.start");
    const outcome = await work().then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    // Stopped whatever happened: a profiler left running would slow down everything after it.
    const { profile: recorded } = await post<{ profile: CpuProfile }>(session, "Profiler.stop");
    if (!outcome.ok) throw outcome.error;
    return { result: outcome.value, profile: recorded };
  } finally {
    session.disconnect();
  }
}

export interface ProfileLine {
  name: string;
  where: string;
  area: string;
  selfMs: number;
  share: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** Busy time (everything but "(idle)"). */
  busyMs: number;
  top: ProfileLine[];
  areas: { area: string; selfMs: number; share: number }[];
}

const ROOT = path.resolve(__dirname, "..");

/** Where a function lives, relative to the repository, "node:..." for Node's own code, "" for V8 natives. */
function locate(url: string): string {
  if (!url) return "";
  const file = url.startsWith("file://") ? decodeURIComponent(new URL(url).pathname) : url;
  return file.startsWith(ROOT) ? path.relative(ROOT, file) : file;
}

/** The part of the stack a function belongs to, so that the summary reads "who costs what". */
export function areaOf(name: string, where: string): string {
  if (name === "(garbage collector)") return "garbage collection";
  if (name === "(idle)" || name === "(program)" || name === "(root)") return name;
  if (where.startsWith("src/")) return "BatchingMiddleware (src/)";
  if (where.startsWith("bench/")) return "bench harness (fake transport, workload)";
  if (where.includes("node_modules/@microsoft/microsoft-graph-client")) return "Graph SDK";
  if (where.includes("node_modules/tslib")) return "Graph SDK (tslib async helpers)";
  // A Response body is a web ReadableStream: building one goes through js_transferable
  // (makeTransferable), and a string body is first encoded to bytes (internal/encoding).
  if (/undici|internal\/webstreams|internal\/streams|js_transferable|internal\/encoding/.test(where)) return "undici (Response, Headers, body streams)";
  if (where.startsWith("node:") || where.startsWith("internal/")) return "Node internals (timers, promises, events)";
  if (where === "") return "V8 builtins (JSON, RegExp, ...)";
  return "other";
}

/** Self time per function (samples × their time deltas), the top `limit`, and totals per area. */
export function summarise(profile: CpuProfile, limit = 15): ProfileSummary {
  const selfMicros = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  // timeDeltas[i] is the time before sample i; the time a sample stands for is the gap after it.
  for (let i = 0; i < samples.length; i++) {
    const micros = deltas[i + 1] ?? 0;
    selfMicros.set(samples[i], (selfMicros.get(samples[i]) ?? 0) + micros);
  }
  const byFunction = new Map<string, { name: string; where: string; micros: number }>();
  for (const node of profile.nodes) {
    const micros = selfMicros.get(node.id);
    if (!micros) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const name = functionName || "(anonymous)";
    const file = locate(url);
    const where = file ? `${file}:${lineNumber + 1}` : "";
    const key = `${name}@${where}`;
    const entry = byFunction.get(key) ?? { name, where, micros: 0 };
    entry.micros += micros;
    byFunction.set(key, entry);
  }
  const entries = [...byFunction.values()];
  const totalMicros = entries.reduce((sum, e) => sum + e.micros, 0);
  const busyMicros = entries.filter((e) => e.name !== "(idle)").reduce((sum, e) => sum + e.micros, 0);
  const share = (micros: number) => (busyMicros > 0 ? micros / busyMicros : 0);
  const top = entries
    .filter((e) => e.name !== "(idle)")
    .sort((a, b) => b.micros - a.micros)
    .slice(0, limit)
    .map((e) => ({ name: e.name, where: e.where, area: areaOf(e.name, e.where), selfMs: e.micros / 1000, share: share(e.micros) }));
  const areaMicros = new Map<string, number>();
  for (const e of entries) {
    if (e.name === "(idle)") continue;
    const area = areaOf(e.name, e.where);
    areaMicros.set(area, (areaMicros.get(area) ?? 0) + e.micros);
  }
  const areas = [...areaMicros.entries()]
    .map(([area, micros]) => ({ area, selfMs: micros / 1000, share: share(micros) }))
    .sort((a, b) => b.selfMs - a.selfMs);
  return { totalMs: totalMicros / 1000, busyMs: busyMicros / 1000, top, areas };
}

export async function saveProfile(profile: CpuProfile, file: string): Promise<void> {
  await writeFile(file, JSON.stringify(profile));
}

/** Plain-text rendering for the console. */
export function formatSummary(summary: ProfileSummary): string {
  const lines = [`busy ${summary.busyMs.toFixed(0)} ms of ${summary.totalMs.toFixed(0)} ms sampled`, "", "by area:"];
  for (const a of summary.areas) lines.push(`  ${(a.share * 100).toFixed(1).padStart(5)}%  ${a.selfMs.toFixed(1).padStart(8)} ms  ${a.area}`);
  lines.push("", "top self time:");
  for (const t of summary.top) lines.push(`  ${(t.share * 100).toFixed(1).padStart(5)}%  ${t.selfMs.toFixed(1).padStart(8)} ms  ${t.name}  ${t.where}`);
  return lines.join("\n");
}

/**
 * Profiles the micro-benchmark's batched variant (SDK + BatchingMiddleware + instant transport):
 * the profile then shows the middleware's own cost with nothing else in the process.
 */
export async function profileMicro(options: { requests?: number; minMs?: number; out?: string } = {}) {
  const variant = MICRO_VARIANTS.find((v) => v.key === "bare-batched")!;
  const bench = new MicroBench(variant, options.requests ?? 1000);
  // Warmed up outside the profile, so that it shows steady state rather than the JIT at work.
  await quiesce();
  for (let i = 0; i < 5; i++) await bench.iteration();
  const { result, profile: recorded } = await profile(() => bench.round(options.minMs ?? 2000, 2));
  if (options.out) await saveProfile(recorded, options.out);
  return { label: variant.label, cpuMicrosPerRequest: result.cpuMicrosPerRequest, summary: summarise(recorded), file: options.out };
}

if (require.main === module) {
  const index = process.argv.indexOf("--out");
  const out = index >= 0 ? process.argv[index + 1] : path.join(os.tmpdir(), "msgraph-batching-micro.cpuprofile");
  profileMicro({ out }).then(
    ({ label, cpuMicrosPerRequest, summary, file }) => {
      console.log(`${label}: ${cpuMicrosPerRequest.toFixed(1)} µs CPU per request (profiled, so slower than unprofiled)`);
      console.log(formatSummary(summary));
      console.log(`\nprofile written to ${file} (open it in Chrome DevTools > Performance)`);
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
