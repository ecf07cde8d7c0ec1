/**
 * The middleware's own cost, without HTTP: the last link of the chain is a fake Graph that answers
 * at once (InstantGraph), building the `$batch` response from the request body. What remains is
 * the client's work: the SDK's GraphRequest and response handling, and, with batching, the
 * window, encode, decode and the construction of one `Response` per sub-request.
 *
 * Each variant issues `requests` GETs at once (Promise.all), repeatedly, in rounds that alternate
 * between variants (a slow moment of a shared machine then hits them all); CPU is
 * process.cpuUsage() over each round, and the median round is reported. The fake transport times
 * its own synchronous work (it plays the server: parsing the batch, serialising answers), which
 * is subtracted to give the client's share.
 */
import {
  AuthenticationHandler,
  Client,
  Context,
  Middleware,
  RedirectHandler,
  RetryHandler,
  TelemetryHandler,
} from "@microsoft/microsoft-graph-client";
import { BatchingMiddleware } from "../src";
import { quiesce } from "./measure";

/** The content type Graph (and the emulator) puts on JSON answers: its parameters cost parsing too. */
const GRAPH_JSON = "application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8";
const ORIGIN = "https://graph.microsoft.com";

/** A user as Graph returns it by default (about 400 bytes), so JSON costs are realistic. */
function userJson(id: string): Record<string, unknown> {
  return {
    "@odata.context": `${ORIGIN}/v1.0/$metadata#users/$entity`,
    businessPhones: [],
    displayName: `User ${id}`,
    givenName: "User",
    jobTitle: "Engineer",
    mail: `${id}@contoso.onmicrosoft.com`,
    mobilePhone: null,
    officeLocation: "Paris",
    preferredLanguage: "en-US",
    surname: id,
    userPrincipalName: `${id}@contoso.onmicrosoft.com`,
    id,
  };
}

function idOf(relativeUrl: string): string {
  return relativeUrl.split("?")[0].split("/").pop() ?? "";
}

/** A Graph that answers at once, single requests and `$batch` alike. */
export class InstantGraph implements Middleware {
  /** Time spent in this middleware's synchronous work, in ms: the "server" part of the CPU. */
  spentMs = 0;
  calls = 0;

  async execute(context: Context): Promise<void> {
    const started = performance.now();
    this.calls++;
    const url = String(context.request);
    const relative = url.slice(url.indexOf("/", ORIGIN.length + 1)); // below the version segment
    let body: string;
    if (relative === "/$batch") {
      const batch = JSON.parse(String(context.options?.body)) as { requests: { id: string; url: string }[] };
      const responses = batch.requests.map((request) => ({
        id: request.id,
        status: 200,
        headers: { "Content-Type": GRAPH_JSON },
        body: userJson(idOf(request.url)),
      }));
      body = JSON.stringify({ responses });
    } else {
      body = JSON.stringify(userJson(idOf(relative)));
    }
    context.response = new Response(body, { status: 200, headers: { "Content-Type": GRAPH_JSON } });
    this.spentMs += performance.now() - started;
  }
}

export interface MicroVariant {
  readonly key: string;
  readonly label: string;
  readonly batched: boolean;
  /** "bare": only the fake transport after us. "default": the SDK's handlers too (auth, retry, redirect, telemetry). */
  readonly chain: "bare" | "default";
  /** An onEvent listener that counts events: what observing costs (none: nothing is built). */
  readonly observed?: boolean;
}

export const MICRO_VARIANTS: readonly MicroVariant[] = [
  { key: "bare", label: "SDK, no batching (instant transport only)", batched: false, chain: "bare" },
  { key: "bare-batched", label: "SDK + BatchingMiddleware (instant transport only)", batched: true, chain: "bare" },
  { key: "bare-observed", label: "SDK + BatchingMiddleware with an onEvent listener (instant transport only)", batched: true, chain: "bare", observed: true },
  { key: "default", label: "SDK default handlers, no batching", batched: false, chain: "default" },
  { key: "default-batched", label: "createBatchingMiddlewareChain (default handlers)", batched: true, chain: "default" },
];

export interface MicroOptions {
  /** GETs issued at once per iteration (default 1000). */
  requests?: number;
  /** Rounds; variants take turns, so that a slow moment of the machine hits them all (default 3). */
  rounds?: number;
  /** Per variant and round, measure at least this long (default 1000 ms)... */
  minMs?: number;
  /** ...and at least this many iterations (default 2). */
  minIterations?: number;
  /** Unmeasured iterations first, for the JIT (default 5). */
  warmup?: number;
}

export interface MicroResult {
  key: string;
  label: string;
  requests: number;
  rounds: number;
  iterations: number;
  /** Whole-process CPU per request, µs (median of the rounds). */
  cpuMicrosPerRequest: number;
  /** The fake transport's share, µs per request (what a server would do). */
  transportMicrosPerRequest: number;
  /** cpu − transport: the client's work per request, µs (median of the rounds). */
  clientMicrosPerRequest: number;
  /** Lowest and highest client µs per request over the rounds: the noise. */
  clientRange: [number, number];
  requestsPerSecond: number;
  /** Calls that reached the transport per iteration (N unbatched, ceil(N/20) batched). */
  transportCalls: number;
}

export interface Round {
  cpuMicrosPerRequest: number;
  transportMicrosPerRequest: number;
  requestsPerSecond: number;
  iterations: number;
  transportCalls: number;
}

const authProvider = { getAccessToken: async () => "micro-token" };

function chainFor(variant: MicroVariant, transport: InstantGraph): Middleware[] {
  const handlers: Middleware[] =
    variant.chain === "default"
      ? [new AuthenticationHandler(authProvider), new RetryHandler(), new RedirectHandler(), new TelemetryHandler()]
      : [];
  let events = 0;
  const options = variant.observed ? { onEvent: () => void events++ } : {};
  return [...(variant.batched ? [new BatchingMiddleware(options)] : []), ...handlers, transport];
}

/** One variant's client and fake transport, kept across rounds (warmed up once). */
export class MicroBench {
  private readonly transport = new InstantGraph();
  private readonly client: Client;
  private readonly ids: string[];

  constructor(readonly variant: MicroVariant, readonly requests: number) {
    this.client = Client.initWithMiddleware({ baseUrl: ORIGIN, middleware: chainFor(variant, this.transport) });
    this.ids = Array.from({ length: requests }, (_, i) => `u-${String(i + 1).padStart(5, "0")}`);
  }

  /** One iteration: N GETs at once, checked (a fast wrong answer would be worthless). */
  async iteration(): Promise<void> {
    const { client, ids } = this;
    const users = await Promise.all(ids.map((id) => client.api(`/users/${id}`).get() as Promise<{ id: string }>));
    for (let i = 0; i < ids.length; i++) {
      if (users[i]?.id !== ids[i]) throw new Error(`micro-benchmark: request ${i} answered ${JSON.stringify(users[i])}`);
    }
  }

  /** Steady state: no forced GC here (see collectGarbage in measure.ts for why). */
  async round(minMs: number, minIterations: number): Promise<Round> {
    this.transport.spentMs = 0;
    this.transport.calls = 0;
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    let iterations = 0;
    while (iterations < minIterations || performance.now() - started < minMs) {
      await this.iteration();
      iterations++;
    }
    const wallMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    const total = this.requests * iterations;
    return {
      cpuMicrosPerRequest: (cpu.user + cpu.system) / total,
      transportMicrosPerRequest: (this.transport.spentMs * 1000) / total,
      requestsPerSecond: total / (wallMs / 1000),
      iterations,
      transportCalls: this.transport.calls / iterations,
    };
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function aggregate(bench: MicroBench, rounds: readonly Round[]): MicroResult {
  const client = rounds.map((r) => r.cpuMicrosPerRequest - r.transportMicrosPerRequest);
  return {
    key: bench.variant.key,
    label: bench.variant.label,
    requests: bench.requests,
    rounds: rounds.length,
    iterations: rounds.reduce((sum, r) => sum + r.iterations, 0),
    cpuMicrosPerRequest: median(rounds.map((r) => r.cpuMicrosPerRequest)),
    transportMicrosPerRequest: median(rounds.map((r) => r.transportMicrosPerRequest)),
    clientMicrosPerRequest: median(client),
    clientRange: [Math.min(...client), Math.max(...client)],
    requestsPerSecond: median(rounds.map((r) => r.requestsPerSecond)),
    transportCalls: rounds[0]?.transportCalls ?? 0,
  };
}

/** One variant alone: warm-up, then `rounds` rounds (used by the profile). */
export async function runMicroVariant(variant: MicroVariant, options: MicroOptions = {}): Promise<MicroResult> {
  const bench = new MicroBench(variant, options.requests ?? 1000);
  await quiesce();
  for (let i = 0; i < (options.warmup ?? 5); i++) await bench.iteration();
  const rounds: Round[] = [];
  for (let i = 0; i < (options.rounds ?? 1); i++) rounds.push(await bench.round(options.minMs ?? 1500, options.minIterations ?? 2));
  return aggregate(bench, rounds);
}

export interface MicroReport {
  results: MicroResult[];
  /** Client µs per request that batching adds (bare pair), and with the SDK's default handlers. */
  addedMicrosBare: number;
  addedMicrosDefault: number;
  /** What an onEvent listener adds per request over the same middleware without one. */
  addedMicrosObserved: number;
}

export async function runMicro(options: MicroOptions = {}, variants = MICRO_VARIANTS): Promise<MicroReport> {
  const benches = variants.map((variant) => new MicroBench(variant, options.requests ?? 1000));
  // One GC before everything; the warm-up then also lets the heap grow back to its steady size.
  await quiesce();
  for (const bench of benches) for (let i = 0; i < (options.warmup ?? 5); i++) await bench.iteration();
  const rounds = benches.map((): Round[] => []);
  for (let round = 0; round < (options.rounds ?? 3); round++) {
    for (let i = 0; i < benches.length; i++) rounds[i].push(await benches[i].round(options.minMs ?? 1000, options.minIterations ?? 2));
  }
  const results = benches.map((bench, i) => aggregate(bench, rounds[i]));
  const client = (key: string) => results.find((r) => r.key === key)?.clientMicrosPerRequest ?? NaN;
  return {
    results,
    addedMicrosBare: client("bare-batched") - client("bare"),
    addedMicrosDefault: client("default-batched") - client("default"),
    addedMicrosObserved: client("bare-observed") - client("bare-batched"),
  };
}
