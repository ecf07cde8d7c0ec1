/**
 * The browser demo: the embedded emulator, and a page on its own origin that runs the groups
 * example in the browser three ways and draws what each cost. Started by
 * `npm run demo -- --browser`, and by the browser test (which takes a screenshot of it).
 */
import path from "node:path";
import { startEmulator, type Emulator } from "../../src/emulator";
import { bundle, serveStatic } from "./static-server";

export interface BrowserDemoOptions {
  /** Groups in the example: two requests each (default 200). */
  groups?: number;
  /** Round trip of every HTTP call to the emulator (default 80 ms). */
  latencyMs?: number;
  /** Port of the page (default: any free port). */
  port?: number;
  seed?: number;
}

export interface BrowserDemo {
  /** Open this in a browser. */
  readonly url: string;
  readonly emulator: Emulator;
  close(): Promise<void>;
}

export async function startBrowserDemo(options: BrowserDemoOptions = {}): Promise<BrowserDemo> {
  const groups = options.groups ?? 200;
  const latencyMs = options.latencyMs ?? 80;
  const emulator = await startEmulator({
    seed: options.seed ?? 1,
    latencyMs,
    serviceTimeMs: 10,
    serviceJitterMs: 20,
    data: { users: Math.max(50, groups * 2), groups, membersPerGroup: 8, ownersPerGroup: 2 },
  });
  try {
    const script = await bundle(path.join(__dirname, "demo-page.ts"));
    const groupIds = emulator.directory.groups.slice(0, groups).map((g) => g.id);
    const config = JSON.stringify({ emulator: emulator.url, groupIds, latencyMs });
    const html = PAGE.replace("__CONFIG__", config.replace(/</g, "\\u003c"));
    const site = await serveStatic({ "/": { type: "text/html; charset=utf-8", body: html }, "/demo.js": { type: "text/javascript", body: script }, "/favicon.ico": { type: "image/x-icon", body: "" } }, options.port);
    return {
      url: site.url,
      emulator,
      close: async () => {
        await site.close();
        await emulator.close();
      },
    };
  } catch (error) {
    await emulator.close();
    throw error;
  }
}

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>msgraph-batching-middleware: batching in the browser</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #1b1b1b; max-width: 1040px; }
  h1 { font-size: 20px; margin: 0 0 4px; }
  p.lead { margin: 0 0 16px; color: #555; }
  button { font: inherit; padding: 6px 14px; }
  table { border-collapse: collapse; margin: 16px 0; }
  th, td { padding: 4px 12px; text-align: right; border-bottom: 1px solid #ddd; }
  th:first-child, td:first-child { text-align: left; }
  .run { margin: 12px 0 20px; }
  .run h2 { font-size: 15px; margin: 0 0 4px; }
  .legend span { display: inline-block; width: 10px; height: 10px; margin: 0 4px 0 12px; vertical-align: middle; }
  svg text { font: 11px system-ui, sans-serif; fill: #555; }
</style>
</head>
<body>
<h1>Batching at work, in this browser</h1>
<p class="lead">The members and owners of every group (two Graph calls per group), written as plain SDK calls,
run against the local Graph emulator three ways. Each request is a grey bar from the moment it is issued to its answer;
each HTTP call the browser makes is a coloured bar below it. A browser opens 6 connections per host: unbatched calls wait in line.</p>
<button id="run">Run again</button>
<span class="legend"><span style="background:#9aa5b1"></span>request <span style="background:#2f6fde"></span>HTTP call <span style="background:#e8772e"></span>$batch call</span>
<table id="totals"><thead><tr><th>run</th><th>requests</th><th>HTTP calls</th><th>wall time</th><th>speed-up</th></tr></thead><tbody></tbody></table>
<p id="identical"></p>
<div id="timelines"></div>
<script>window.DEMO_CONFIG = __CONFIG__;</script>
<script type="module" src="/demo.js"></script>
</body>
</html>
`;
