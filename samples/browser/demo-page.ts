/**
 * The demo page's script (bundled by esbuild with the real SDK and the middleware): the groups
 * example run three ways in this browser, each drawn as a timeline.
 */
import {
  AuthenticationHandler,
  Client,
  Context,
  HTTPMessageHandler,
  Middleware,
  RetryHandler,
  TelemetryHandler,
} from "@microsoft/microsoft-graph-client";
import { BatchingMiddleware } from "../../src";
import { createBatchingFetch } from "../../src/adapters/fetch";
import { membersAndOwners, type GroupRoster } from "../groups";

interface Config {
  emulator: string;
  groupIds: string[];
  latencyMs: number;
}

interface Bar {
  start: number;
  end: number;
  batch?: boolean;
}

interface Run {
  label: string;
  requests: Bar[];
  calls: Bar[];
  wallMs: number;
  rosters: GroupRoster[];
}

const config = (window as unknown as { DEMO_CONFIG: Config }).DEMO_CONFIG;
const query = new URLSearchParams(location.search);
const groups = Number(query.get("groups") ?? config.groupIds.length);
const authProvider = { getAccessToken: async () => "demo-token" };
const emulatorHost = new URL(config.emulator).host;

/** Just before the HTTP handler: every HTTP call the browser makes, from start to answer. */
class CallRecorder implements Middleware {
  private next?: Middleware;
  constructor(private readonly calls: Bar[], private readonly t0: () => number) {}
  setNext(next: Middleware): void {
    this.next = next;
  }
  async execute(context: Context): Promise<void> {
    const bar: Bar = { start: this.t0(), end: NaN, batch: String(context.request).endsWith("/$batch") };
    this.calls.push(bar);
    try {
      await this.next!.execute(context);
    } finally {
      bar.end = this.t0();
    }
  }
}

/** The SDK's browser chain (no RedirectHandler in browsers), optionally with batching first. */
function client(calls: Bar[], t0: () => number, batching: boolean): Client {
  const chain: Middleware[] = [
    ...(batching ? [new BatchingMiddleware({ hosts: [emulatorHost] })] : []),
    new AuthenticationHandler(authProvider),
    new RetryHandler(),
    new TelemetryHandler(),
    new CallRecorder(calls, t0),
    new HTTPMessageHandler(),
  ];
  return Client.initWithMiddleware({ baseUrl: config.emulator, middleware: chain });
}

/** The same example with the batching fetch: plain fetch calls, no SDK. */
async function withBatchingFetch(ids: readonly string[], calls: Bar[], t0: () => number, run: <T>(call: () => Promise<T>) => Promise<T>): Promise<GroupRoster[]> {
  const recordingFetch: typeof fetch = async (input, init) => {
    const bar: Bar = { start: t0(), end: NaN, batch: String(input).endsWith("/$batch") };
    calls.push(bar);
    try {
      return await fetch(input, init);
    } finally {
      bar.end = t0();
    }
  };
  const graphFetch = createBatchingFetch(recordingFetch, { hosts: [emulatorHost] });
  const page = (path: string) =>
    run(() => graphFetch(`${config.emulator}/v1.0${path}?$select=id,displayName`, { headers: { Authorization: "Bearer demo-token" } }).then((r) => r.json() as Promise<{ value: { id: string }[] }>));
  return Promise.all(
    ids.map(async (id) => {
      const [members, owners] = await Promise.all([page(`/groups/${id}/members`), page(`/groups/${id}/owners`)]);
      return { id, members: members.value.map((m) => m.id), owners: owners.value.map((o) => o.id) };
    }),
  );
}

async function measure(label: string, ids: readonly string[], how: "plain" | "middleware" | "fetch"): Promise<Run> {
  const requests: Bar[] = [];
  const calls: Bar[] = [];
  const started = performance.now();
  const t0 = () => performance.now() - started;
  const run = <T>(call: () => Promise<T>): Promise<T> => {
    const bar: Bar = { start: t0(), end: NaN };
    requests.push(bar);
    return call().finally(() => (bar.end = t0()));
  };
  const rosters = how === "fetch" ? await withBatchingFetch(ids, calls, t0, run) : await membersAndOwners(client(calls, t0, how === "middleware"), ids, run);
  return { label, requests, calls, wallMs: t0(), rosters };
}

const SVG = "http://www.w3.org/2000/svg";

function element<K extends keyof SVGElementTagNameMap>(name: K, attributes: Record<string, string | number>): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  return node;
}

/** One run: its requests above, its HTTP calls below, on a time axis shared by all runs. */
function timeline(run: Run, scaleMs: number): HTMLElement {
  const width = 960;
  const left = 110;
  const panel = 110;
  const x = (ms: number) => left + ((width - left - 10) * ms) / scaleMs;
  const svg = element("svg", { width, height: 2 * panel + 40, role: "img", "aria-label": `${run.label} timeline` });
  const lanes: [string, Bar[], number][] = [
    [`${run.requests.length} requests`, run.requests, 10],
    [`${run.calls.length} HTTP calls`, run.calls, panel + 30],
  ];
  for (const [title, bars, top] of lanes) {
    svg.append(Object.assign(element("text", { x: 0, y: top + 12 }), { textContent: title }));
    const row = Math.min(8, panel / Math.max(1, bars.length));
    bars.forEach((bar, i) => {
      const colour = bars === run.requests ? "#9aa5b1" : bar.batch ? "#e8772e" : "#2f6fde";
      svg.append(element("rect", { class: "bar", x: x(bar.start), y: top + i * row, width: Math.max(1, x(bar.end) - x(bar.start)), height: Math.max(0.6, row * 0.8), fill: colour }));
    });
  }
  const axis = element("text", { x: width - 10, y: 2 * panel + 36, "text-anchor": "end" });
  axis.textContent = `${Math.round(scaleMs)} ms`;
  svg.append(axis);
  const box = document.createElement("div");
  box.className = "run";
  const heading = document.createElement("h2");
  heading.textContent = run.label;
  box.append(heading, svg);
  return box;
}

function render(runs: Run[]): void {
  const unbatched = runs[0];
  const body = document.querySelector("#totals tbody")!;
  body.replaceChildren(
    ...runs.map((run) => {
      const row = document.createElement("tr");
      const ratio = `${(unbatched.wallMs / run.wallMs).toFixed(1)}x`;
      for (const text of [run.label, String(run.requests.length), String(run.calls.length), `${Math.round(run.wallMs)} ms`, ratio]) {
        const cell = document.createElement("td");
        cell.textContent = text;
        row.append(cell);
      }
      return row;
    }),
  );
  const scale = Math.max(...runs.map((r) => r.wallMs));
  document.querySelector("#timelines")!.replaceChildren(...runs.map((run) => timeline(run, scale)));
}

async function main(): Promise<void> {
  const button = document.querySelector<HTMLButtonElement>("#run")!;
  button.disabled = true;
  document.body.dataset.done = "";
  const ids = config.groupIds.slice(0, groups);
  const runs: Run[] = [];
  try {
    for (const [label, how] of [
      ["SDK, unbatched, all at once", "plain"],
      ["BatchingMiddleware", "middleware"],
      ["createBatchingFetch", "fetch"],
    ] as const) {
      runs.push(await measure(label, ids, how));
      render(runs);
    }
    const same = runs.every((run) => JSON.stringify(run.rosters) === JSON.stringify(runs[0].rosters));
    document.querySelector("#identical")!.textContent = `Identical data from every run: ${same ? "yes" : "NO"} (${runs[0].rosters.length} groups).`;
    document.body.dataset.done = same ? "yes" : "different";
  } catch (error) {
    document.querySelector("#identical")!.textContent = `Failed: ${String(error)}`;
    document.body.dataset.done = "failed";
  } finally {
    button.disabled = false;
  }
}

document.querySelector("#run")!.addEventListener("click", () => void main());
void main();
