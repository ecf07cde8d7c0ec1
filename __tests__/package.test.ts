/**
 * The published shape: `npm run build` emits dist/ usable from CommonJS and ES modules through
 * the `exports` map, with type declarations, for the main entry and the emulator subpath.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(__dirname, "..");
const node = (args: string[]) => execFileSync(process.execPath, args, { cwd: root, encoding: "utf8" });

beforeAll(() => {
  node([path.join(root, "scripts/build.js")]);
}, 120_000);

test("CommonJS and ES module consumers get the same implementation by package name", () => {
  const script = `
    const cjs = require("msgraph-batching-middleware");
    import("msgraph-batching-middleware").then((esm) => {
      const names = ["BatchingMiddleware", "BatchingOptions", "createBatchingMiddlewareChain", "BatchError", "BatchTransportError"];
      console.log(JSON.stringify({
        cjs: names.filter((n) => typeof cjs[n] === "function"),
        esm: names.filter((n) => typeof esm[n] === "function"),
        same: esm.BatchingMiddleware === cjs.BatchingMiddleware,
      }));
    });`;
  const result = JSON.parse(node(["-e", script]));
  expect(result.cjs).toHaveLength(5);
  expect(result.esm).toEqual(result.cjs);
  expect(result.same).toBe(true);
});

test("the emulator subpath works from both module systems", () => {
  const script = `
    const { startEmulator } = require("msgraph-batching-middleware/emulator");
    import("msgraph-batching-middleware/emulator").then(async (esm) => {
      const emulator = await esm.startEmulator();
      const res = await fetch(emulator.url + "/v1.0/me");
      console.log(JSON.stringify({ cjs: typeof startEmulator, status: res.status }));
      await emulator.close();
    });`;
  expect(JSON.parse(node(["-e", script]))).toEqual({ cjs: "function", status: 200 });
});

test("the fetch subpath works from both module systems, batching by package name", () => {
  const script = `
    const { createBatchingFetch } = require("msgraph-batching-middleware/fetch");
    import("msgraph-batching-middleware/fetch").then(async (esm) => {
      const { startEmulator } = require("msgraph-batching-middleware/emulator");
      const emulator = await startEmulator();
      const graphFetch = esm.createBatchingFetch(fetch, { hosts: ["127.0.0.1:" + emulator.port] });
      const answers = await Promise.all(["/me", "/users"].map((p) => graphFetch(emulator.url + "/v1.0" + p)));
      console.log(JSON.stringify({ cjs: typeof createBatchingFetch, same: esm.createBatchingFetch === createBatchingFetch, statuses: answers.map((a) => a.status), batches: emulator.stats.httpCalls.batch }));
      await emulator.close();
    });`;
  expect(JSON.parse(node(["-e", script]))).toEqual({ cjs: "function", same: true, statuses: [200, 200], batches: 1 });
});

test("the kiota subpath loads from both module systems without importing Kiota", () => {
  const script = `
    const cjs = require("msgraph-batching-middleware/kiota");
    import("msgraph-batching-middleware/kiota").then((esm) => {
      const kiotaLoaded = Object.keys(require.cache).some((file) => file.includes("@microsoft/kiota"));
      const options = new cjs.BatchingHandlerOptions({ enabled: false });
      console.log(JSON.stringify({ cjs: typeof cjs.BatchingHandler, same: esm.BatchingHandler === cjs.BatchingHandler, key: options.getKey(), enabled: options.enabled, kiotaLoaded }));
    });`;
  expect(JSON.parse(node(["-e", script]))).toEqual({ cjs: "function", same: true, key: "MsGraphBatchingHandlerOptionsKey", enabled: false, kiotaLoaded: false });
});

test("the engine imports no SDK: only the adapters know one", () => {
  const dir = path.join(root, "src/engine");
  for (const file of fs.readdirSync(dir)) {
    const source = fs.readFileSync(path.join(dir, file), "utf8");
    expect({ file, sdk: /from "@microsoft\//.test(source) }).toEqual({ file, sdk: false });
  }
});

test("type declarations are emitted for every entry", () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
  for (const entry of [".", "./emulator", "./fetch", "./kiota"]) {
    const types = pkg.exports[entry].types as string;
    expect(fs.existsSync(path.join(root, types))).toBe(true);
  }
  expect(fs.readFileSync(path.join(root, "dist/types/index.d.ts"), "utf8")).toMatch(/BatchingMiddleware/);
});
