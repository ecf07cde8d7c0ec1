/**
 * End to end in a real headless Chromium (Debian's `chromium`, driven by puppeteer-core): the real
 * SDK and the middleware bundled for the browser, calling the emulator from another origin, and
 * the demo page rendered. Without a Chromium it is skipped with one line saying how to get one;
 * `npm run test:browser` (REQUIRE_BROWSER=1) fails instead.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "puppeteer-core";
import { startEmulator, type Emulator } from "../../src/emulator";
import { startBrowserDemo } from "../../samples/browser/server";
import { bundle, serveStatic, type StaticServer } from "../../samples/browser/static-server";
import { findChromium, INSTALL_HINT, launch } from "./chromium";

const chromium = findChromium();
const required = process.env.REQUIRE_BROWSER === "1";
if (!chromium && !required) process.stderr.write(`browser tests skipped: no Chromium found; ${INSTALL_HINT}\n`);
const describeInBrowser = chromium || required ? describe : describe.skip;

jest.setTimeout(60_000);

describeInBrowser("in headless Chromium", () => {
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  let site: StaticServer;
  let emulator: Emulator;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!chromium) throw new Error(`No Chromium found: ${INSTALL_HINT}`);
    ({ browser, close: closeBrowser } = await launch(chromium));
    const script = await bundle(path.join(__dirname, "page.ts"));
    site = await serveStatic({
      "/": { type: "text/html", body: '<!doctype html><html><body><script type="module" src="/page.js"></script></body></html>' },
      "/page.js": { type: "text/javascript", body: script },
      "/favicon.ico": { type: "image/x-icon", body: "" },
    });
    emulator = await startEmulator({ data: { users: 45 } });
    page = await browser.newPage();
    page.on("pageerror", (error) => pageErrors.push(String(error)));
    await page.goto(site.url);
    await page.waitForFunction(() => document.body.dataset.ready === "yes");
  });

  afterAll(async () => {
    await closeBrowser?.();
    await site?.close();
    await emulator?.close();
  });

  beforeEach(() => emulator.resetStats());
  afterEach(() => expect(pageErrors).toEqual([]));

  const inPage = <T>(name: string, ...args: unknown[]): Promise<T> =>
    page.evaluate((check: string, values: unknown[]) => (window as unknown as Record<string, Record<string, (...a: unknown[]) => unknown>>).checks[check](...values), name, args) as Promise<T>;

  test("the page is on another origin, and the SDK's browser chain has no RedirectHandler", async () => {
    expect(new URL(site.url).port).not.toBe(String(emulator.port));
    // esbuild may prefix class names with "_" when it hoists them.
    const chain = (await inPage<string[]>("chain")).map((name) => name.replace(/^_/, ""));
    expect(chain).toEqual(["BatchingMiddleware", "AuthenticationHandler", "RetryHandler", "TelemetryHandler", "HTTPMessageHandler"]);
  });

  test("45 GETs travel as 3 $batch calls, and each caller gets its own user", async () => {
    const ids = emulator.directory.users.map((u) => u.id);
    expect(await inPage<string[]>("users", emulator.url, ids)).toEqual(ids);
    expect(emulator.stats.httpCalls).toMatchObject({ batch: 3, single: 0 });
    expect(emulator.stats.subRequests).toBe(45);
  });

  test("a 404 inside a batch is a GraphError", async () => {
    const result = await inPage<{ isGraphError: boolean; statusCode: number; code: string; other: string }>("notFound", emulator.url);
    expect(result).toEqual({ isGraphError: true, statusCode: 404, code: "Request_ResourceNotFound", other: emulator.directory.users[0].id });
    expect(emulator.stats.httpCalls.batch).toBe(1);
  });

  test("a photo arrives as its exact bytes", async () => {
    const id = emulator.directory.users[3].id;
    const result = await inPage<{ contentType: string; bytes: number[] }>("photo", emulator.url, id);
    const expected = emulator.directory.photo(id)!;
    expect(result.contentType).toBe(expected.contentType);
    expect(Buffer.from(result.bytes).equals(Buffer.from(expected.bytes))).toBe(true);
    expect(emulator.stats.httpCalls.batch).toBe(1);
  });

  test("an aborted request rejects with AbortError; the others are answered", async () => {
    const ids = emulator.directory.users.slice(0, 3).map((u) => u.id);
    expect(await inPage<string[]>("abort", emulator.url, ids)).toEqual([ids[0], "aborted", ids[2]]);
    expect(emulator.stats.subRequests).toBe(2);
  });

  test("the demo page runs the example three ways and draws them", async () => {
    const demo = await startBrowserDemo({ groups: 30, latencyMs: 40 });
    try {
      const demoPage = await browser.newPage();
      await demoPage.setViewport({ width: 1080, height: 1100 });
      await demoPage.goto(demo.url);
      await demoPage.waitForFunction(() => document.body.dataset.done, { timeout: 45_000 });
      const rendered = await demoPage.evaluate(() => ({
        done: document.body.dataset.done,
        bars: document.querySelectorAll("#timelines rect.bar").length,
        rows: Array.from(document.querySelectorAll("#totals tbody tr")).map((row) => Array.from(row.querySelectorAll("td")).map((cell) => cell.textContent)),
        identical: document.querySelector("#identical")!.textContent,
      }));
      expect(rendered.done).toBe("yes");
      expect(rendered.identical).toMatch(/^Identical data from every run: yes/);
      // 60 requests a run, and their HTTP calls: 60 unbatched, 3 in $batch calls, twice.
      expect(rendered.bars).toBe(60 * 3 + 60 + 3 + 3);
      expect(rendered.rows.map((row) => row.slice(0, 3))).toEqual([
        ["SDK, unbatched, all at once", "60", "60"],
        ["BatchingMiddleware", "60", "3"],
        ["createBatchingFetch", "60", "3"],
      ]);
      const screenshot = path.join(os.tmpdir(), "msgraph-batching-demo.png");
      await demoPage.screenshot({ path: screenshot, fullPage: true });
      expect(fs.statSync(screenshot).size).toBeGreaterThan(20_000);
    } finally {
      await demo.close();
    }
  });
});
