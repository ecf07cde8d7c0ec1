/**
 * npm run bench [-- --size small|default|full] [--latency MS] [--out docs/benchmarks.md] ...
 *
 * Runs every contender on every workload against the Graph emulator (in a child process, over
 * real HTTP), checks that they all got the same answers, runs the in-process micro-benchmark and
 * its CPU profile, and writes the markdown report and its SVG chart.
 */
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { evaluateAims, renderChart, renderMarkdown } from "./report";
import { runSuite, type SuiteOptions } from "./suite";
import type { Family, Size } from "./workloads";

const USAGE = `Usage: npm run bench -- [options]

  --size S            small | default | full (default: default). full also runs what
                      default skips (the unbatched 6-in-flight contender at N = 10000)
  --full              same as --size full
  --latency MS        round trip per HTTP call (default 50)
  --service-time MS   emulator time per executed request (default 0)
  --jitter MS         random extra 0..MS per executed request (default 0)
  --seed N            emulator data seed (default 1)
  --out FILE          markdown report (default docs/benchmarks.md); the chart goes beside it
                      as <name>.svg
  --json FILE         also write the raw results as JSON
  --contenders LIST   comma-separated keys: sdk-all,sdk-6,sdk-batch,sdk-batch-fixed,mw,mw-1,mw-unbounded
  --workloads LIST    comma-separated families: get,groups,mixed,throttled,mailbox
  --gc-between-runs   a full GC before each run: comparable peak RSS, but inflated CPU
                      figures (V8 regrows its young generation afterwards)
  --no-micro          skip the micro-benchmark (and its profile)
  --no-profile        skip the CPU profile
  --profile-out FILE  where to write the .cpuprofile (default: the OS temp directory)
  --help              this text`;

export interface CliOptions {
  suite: SuiteOptions;
  out: string;
  json?: string;
}

const SIZES: readonly Size[] = ["small", "default", "full"];
const FAMILIES: readonly Family[] = ["get", "groups", "mixed", "throttled", "mailbox"];

/** Throws with a readable message on bad input; returns undefined for --help. */
export function parseArgs(argv: readonly string[]): CliOptions | undefined {
  const suite: SuiteOptions = { size: "default", latencyMs: 50, warmup: true };
  let out = path.join("docs", "benchmarks.md");
  let json: string | undefined;
  let profileOut = path.join(os.tmpdir(), "msgraph-batching-micro.cpuprofile");
  let profile = true;
  const number = (flag: string, value: string | undefined): number => {
    const n = Number(value);
    if (value === undefined || !Number.isFinite(n) || n < 0) throw new Error(`${flag} takes a non-negative number; got ${value}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case "--help":
      case "-h":
        return undefined;
      case "--size": {
        const size = value() as Size;
        if (!SIZES.includes(size)) throw new Error(`--size takes ${SIZES.join(" | ")}; got ${size}`);
        suite.size = size;
        break;
      }
      case "--full":
        suite.size = "full";
        break;
      case "--latency":
        suite.latencyMs = number(flag, value());
        break;
      case "--service-time":
        suite.serviceTimeMs = number(flag, value());
        break;
      case "--jitter":
        suite.serviceJitterMs = number(flag, value());
        break;
      case "--seed":
        suite.seed = number(flag, value());
        break;
      case "--out":
        out = value();
        break;
      case "--json":
        json = value();
        break;
      case "--contenders":
        suite.contenders = value().split(",").map((s) => s.trim()).filter(Boolean);
        break;
      case "--workloads": {
        const families = value().split(",").map((s) => s.trim()) as Family[];
        const unknown = families.filter((f) => !FAMILIES.includes(f));
        if (unknown.length > 0) throw new Error(`--workloads takes ${FAMILIES.join(",")}; got ${unknown.join(",")}`);
        suite.families = families;
        break;
      }
      case "--gc-between-runs":
        suite.gcBetweenRuns = true;
        break;
      case "--no-micro":
        suite.micro = false;
        profile = false;
        break;
      case "--no-profile":
        profile = false;
        break;
      case "--profile-out":
        profileOut = value();
        break;
      default:
        throw new Error(`unknown option ${flag}`);
    }
  }
  suite.profile = profile ? { out: profileOut } : false;
  return { suite, out, json };
}

/** The command as the user typed it (npm sets npm_lifecycle_event for `npm run bench`). */
function commandLine(argv: readonly string[]): string {
  const args = argv.join(" ");
  if (process.env.npm_lifecycle_event === "bench") return `npm run bench${args ? ` -- ${args}` : ""}`;
  return `npx ts-node --transpile-only bench/run.ts${args ? ` ${args}` : ""}`;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  let cli: CliOptions | undefined;
  try {
    cli = parseArgs(argv);
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (!cli) {
    console.log(USAGE);
    return;
  }
  const started = Date.now();
  const result = await runSuite({ ...cli.suite, command: commandLine(argv), log: (line) => console.log(line) });

  const chartFile = cli.out.replace(/\.md$/i, "") + ".svg";
  await mkdir(path.dirname(path.resolve(cli.out)), { recursive: true });
  await writeFile(cli.out, renderMarkdown(result, path.basename(chartFile)));
  await writeFile(chartFile, renderChart(result));
  if (cli.json) await writeFile(cli.json, JSON.stringify(result, null, 2));

  console.log("");
  for (const aim of evaluateAims(result)) {
    console.log(`aim: ${aim.aim}\n  ${aim.measured} -> ${aim.met === undefined ? "not judged" : aim.met ? "met" : "NOT met"}`);
  }
  console.log(`\nwrote ${cli.out} and ${chartFile} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  // Answers that differ between contenders are a correctness failure, not a performance figure.
  if (result.runs.some((r) => r.check.status === "different")) {
    console.error("some contenders answered differently: see the report");
    process.exitCode = 1;
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
