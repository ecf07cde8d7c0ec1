/** Command-line parsing for cli.ts, kept apart so that it can be tested without a process. */
import type { EmulatorOptions, FaultOptions, ScopedThrottleOptions, ThrottleOptions } from "./types";

export const USAGE = `Usage: msgraph-batching-middleware-emulator [options]   (in this repository: npm run emulator -- [options])

  --port N            TCP port (default 8080; 0 picks a free one)
  --host H            interface (default 127.0.0.1)
  --latency MS        round-trip latency per HTTP call (default 0)
  --service-time MS   time per executed request (default 0)
  --jitter MS         random extra 0..MS per execution (default 0)
  --seed N            data and randomness seed (default 1)
  --users N           number of users (default 30)
  --groups N          number of groups (default 10)
  --throttle JSON     token bucket, e.g. '{"capacity":100,"refillPerSecond":50}'
  --scoped-throttle JSON
                      scoped throttling (docs/emulator.md): Outlook's requests per app and
                      mailbox at once (mailboxConcurrency, default 4; '{}' turns it on) and token
                      buckets per scope, e.g. '{"mailboxConcurrency":4,"mailboxRetryAfterSeconds":1,
                      "buckets":{"mailbox:u-0002":{"capacity":5,"refillPerSecond":2}}}'
  --faults JSON       fault rates, e.g. '{"outer503Rate":0.05,"batchNextLinkRate":0.2}'
  --cors ORIGINS      origins allowed to call from a page: '*' or a comma-separated list
                      (default '*' on loopback); 'off' turns CORS off
  --help              this text`;

export type CliCommand = { kind: "help" } | { kind: "run"; options: EmulatorOptions };

const NUMERIC_FLAGS: Record<string, (options: EmulatorOptions, value: number) => void> = {
  "--port": (o, v) => (o.port = v),
  "--latency": (o, v) => (o.latencyMs = v),
  "--service-time": (o, v) => (o.serviceTimeMs = v),
  "--jitter": (o, v) => (o.serviceJitterMs = v),
  "--seed": (o, v) => (o.seed = v),
  "--users": (o, v) => (o.data = { ...o.data, users: v }),
  "--groups": (o, v) => (o.data = { ...o.data, groups: v }),
};

/** Throws an Error with a readable message on bad input. */
export function parseArgs(argv: readonly string[]): CliCommand {
  const options: EmulatorOptions = { port: 8080 };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === "--help" || flag === "-h") return { kind: "help" };
    const value = argv[++i];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    const setNumber = NUMERIC_FLAGS[flag];
    if (setNumber) {
      const number = Number(value);
      if (!Number.isFinite(number) || number < 0) throw new Error(`${flag} expects a non-negative number, got '${value}'`);
      setNumber(options, number);
    } else if (flag === "--host") {
      options.host = value;
    } else if (flag === "--throttle") {
      options.throttle = parseJson<ThrottleOptions>(flag, value);
    } else if (flag === "--scoped-throttle") {
      options.scopedThrottle = parseJson<ScopedThrottleOptions>(flag, value);
    } else if (flag === "--cors") {
      options.cors = value === "off" ? false : { origin: value === "*" ? "*" : value.split(",").map((origin) => origin.trim()) };
    } else if (flag === "--faults") {
      options.faults = parseJson<FaultOptions>(flag, value);
    } else {
      throw new Error(`Unknown option ${flag}`);
    }
  }
  return { kind: "run", options };
}

function parseJson<T>(flag: string, value: string): T {
  try {
    return JSON.parse(value) as T;
  } catch {
    throw new Error(`${flag} expects JSON, got '${value}'`);
  }
}
