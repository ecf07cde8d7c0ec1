/**
 * The published shape, from the repository: `npm run build` emits dist/ usable from CommonJS and
 * ES modules through the `exports` map, with type declarations, for every entry. The packed
 * tarball, installed in a consumer project, is tried in consumer.test.ts.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(__dirname, "..");
const node = (args: string[]) => execFileSync(process.execPath, args, { cwd: root, encoding: "utf8" });

beforeAll(() => {
  node([path.join(root, "scripts/build.js")]);
}, 120_000);

test("CommonJS and ES module consumers each get a build of their own, with the same exports", () => {
  const script = `
    const cjs = require("msgraph-batching-middleware");
    import("msgraph-batching-middleware").then((esm) => {
      console.log(JSON.stringify({
        cjs: Object.keys(cjs).filter((n) => n !== "__esModule").sort(),
        esm: Object.keys(esm).sort(),
        realEsm: esm.BatchingMiddleware !== cjs.BatchingMiddleware,
        names: [new cjs.BatchResponseError("x").name, new esm.BatchResponseError("x").name],
      }));
    });`;
  const result = JSON.parse(node(["-e", script]));
  expect(result.cjs).toEqual(expect.arrayContaining(["BatchingMiddleware", "BatchingOptions", "createBatchingMiddlewareChain", "BatchError", "BatchingConfigError", "DEFAULTS"]));
  expect(result.esm).toEqual(result.cjs);
  expect(result.realEsm).toBe(true);
  expect(result.names).toEqual(["BatchResponseError", "BatchResponseError"]);
  // The ES build is ES modules, not a wrapper over the CommonJS one.
  expect(fs.readFileSync(path.join(root, "dist/esm/index.js"), "utf8")).not.toMatch(/require\(|from "\.\.\/cjs/);
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
      console.log(JSON.stringify({ cjs: typeof createBatchingFetch, esm: typeof esm.createBatchingFetch, statuses: answers.map((a) => a.status), batches: emulator.stats.httpCalls.batch }));
      await emulator.close();
    });`;
  expect(JSON.parse(node(["-e", script]))).toEqual({ cjs: "function", esm: "function", statuses: [200, 200], batches: 1 });
});

test("the kiota subpath loads from both module systems without importing Kiota", () => {
  const script = `
    const cjs = require("msgraph-batching-middleware/kiota");
    import("msgraph-batching-middleware/kiota").then((esm) => {
      const kiotaLoaded = Object.keys(require.cache).some((file) => file.includes("@microsoft/kiota"));
      const options = new cjs.BatchingHandlerOptions({ enabled: false });
      console.log(JSON.stringify({ cjs: typeof cjs.BatchingHandler, esm: typeof esm.BatchingHandler, key: options.getKey(), enabled: options.enabled, kiotaLoaded }));
    });`;
  expect(JSON.parse(node(["-e", script]))).toEqual({ cjs: "function", esm: "function", key: "MsGraphBatchingHandlerOptionsKey", enabled: false, kiotaLoaded: false });
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
    for (const condition of ["import", "require"]) {
      const { types, default: code } = pkg.exports[entry][condition] as { types: string; default: string };
      expect(fs.existsSync(path.join(root, types))).toBe(true);
      expect(fs.existsSync(path.join(root, code))).toBe(true);
    }
  }
  expect(fs.readFileSync(path.join(root, "dist/esm/index.d.ts"), "utf8")).toMatch(/from "\.\/adapters\/graph-client\/BatchingMiddleware\.js"/);
  expect(fs.readFileSync(path.join(root, "dist/cjs/index.d.ts"), "utf8")).toMatch(/from "\.\/adapters\/graph-client\/BatchingMiddleware"/);
});

test("source maps carry their sources: src/ is not shipped", () => {
  for (const file of ["dist/cjs/engine/engine.js.map", "dist/esm/index.js.map"]) {
    const map = JSON.parse(fs.readFileSync(path.join(root, file), "utf8")) as { sources: string[]; sourcesContent?: (string | null)[] };
    expect(map.sourcesContent?.length).toBe(map.sources.length);
    expect(map.sourcesContent!.every((content) => typeof content === "string" && content.length > 0)).toBe(true);
  }
});

/**
 * The packed tarball, installed in a new consumer project as a user would get it (peers linked
 * from this repository: nothing is downloaded), imported every way a consumer imports it.
 */
describe("the packed tarball in a consumer project", () => {
  const os = require("node:os") as typeof import("node:os");
  let consumer: string;
  let tarball: string;
  const inConsumer = (args: string[]) => execFileSync(process.execPath, args, { cwd: consumer, encoding: "utf8" });
  const bin = (name: string) => path.join(root, "node_modules", ".bin", name);

  beforeAll(() => {
    consumer = fs.mkdtempSync(path.join(os.tmpdir(), "msgraph-batching-consumer-"));
    const packed = execFileSync("npm", ["pack", "--ignore-scripts", "--silent", "--pack-destination", consumer], { cwd: root, encoding: "utf8" }).trim().split("\n").pop()!;
    tarball = path.join(consumer, packed);
    const installed = path.join(consumer, "node_modules", "msgraph-batching-middleware");
    fs.mkdirSync(installed, { recursive: true });
    execFileSync("tar", ["-xzf", tarball, "-C", installed, "--strip-components=1"]);
    fs.symlinkSync(path.join(root, "node_modules", "@microsoft"), path.join(consumer, "node_modules", "@microsoft"), "dir");
    fs.writeFileSync(path.join(consumer, "package.json"), JSON.stringify({ name: "consumer", private: true }));
  }, 120_000);

  afterAll(() => fs.rmSync(consumer, { recursive: true, force: true }));

  test("ships dist and docs, not src, tests or the API reference", () => {
    const files = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" }).split("\n").filter(Boolean);
    expect(files.some((f) => f.startsWith("package/src/"))).toBe(false);
    expect(files.some((f) => f.startsWith("package/__tests__/"))).toBe(false);
    expect(files.some((f) => f.startsWith("package/docs/api/"))).toBe(false);
    expect(files).toEqual(expect.arrayContaining(["package/dist/esm/index.js", "package/dist/cjs/index.js", "package/dist/cjs/emulator/cli.js", "package/README.md"]));
  });

  test("publint and attw (every entry point, every resolution mode) find nothing", () => {
    expect(execFileSync(bin("publint"), ["--strict", path.join(consumer, "node_modules", "msgraph-batching-middleware")], { encoding: "utf8" })).toMatch(/All good!/);
    const report = JSON.parse(execFileSync(bin("attw"), [tarball, "--format", "json"], { encoding: "utf8" })) as { analysis: { problems: unknown[]; entrypoints: Record<string, unknown> } };
    expect(Object.keys(report.analysis.entrypoints).sort()).toEqual([".", "./emulator", "./fetch", "./kiota", "./package.json"]);
    expect(report.analysis.problems).toEqual([]);
  }, 60_000);

  test("the emulator's CLI is a bin that runs", () => {
    const installed = path.join(consumer, "node_modules", "msgraph-batching-middleware");
    const { bin: bins } = JSON.parse(fs.readFileSync(path.join(installed, "package.json"), "utf8")) as { bin: Record<string, string> };
    const cli = path.join(installed, bins["msgraph-batching-middleware-emulator"]);
    expect(fs.readFileSync(cli, "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
    expect(fs.statSync(cli).mode & 0o111).not.toBe(0);
    expect(execFileSync(cli, ["--help"], { encoding: "utf8" })).toMatch(/^Usage: .*--port N/s);
  });

  test("require: every entry, and batching works", () => {
    const script = `
      const { BatchingMiddleware } = require("msgraph-batching-middleware");
      const { BatchingHandler } = require("msgraph-batching-middleware/kiota");
      const { createBatchingFetch } = require("msgraph-batching-middleware/fetch");
      const { startEmulator } = require("msgraph-batching-middleware/emulator");
      startEmulator().then(async (emulator) => {
        const graphFetch = createBatchingFetch(fetch, { hosts: ["127.0.0.1:" + emulator.port] });
        await Promise.all(["/me", "/users"].map((p) => graphFetch(emulator.url + "/v1.0" + p)));
        console.log(JSON.stringify([typeof BatchingMiddleware, typeof BatchingHandler, emulator.stats.httpCalls.batch]));
        await emulator.close();
      });`;
    expect(JSON.parse(inConsumer(["-e", script]))).toEqual(["function", "function", 1]);
  });

  test("import: the real SDK batches through the ES build, and BatchingOptions cross between the two builds", () => {
    fs.writeFileSync(
      path.join(consumer, "esm.mjs"),
      `
      import { createRequire } from "node:module";
      import { Client } from "@microsoft/microsoft-graph-client";
      import { createBatchingMiddlewareChain, BatchingOptions } from "msgraph-batching-middleware";
      import { createBatchingFetch } from "msgraph-batching-middleware/fetch";
      import { BatchingHandler } from "msgraph-batching-middleware/kiota";
      import { startEmulator } from "msgraph-batching-middleware/emulator";
      const cjs = createRequire(import.meta.url)("msgraph-batching-middleware");
      const emulator = await startEmulator();
      const auth = { getAccessToken: async () => "t" };
      const hosts = ["127.0.0.1:" + emulator.port];
      const client = Client.initWithMiddleware({ baseUrl: emulator.url, middleware: createBatchingMiddlewareChain(auth, { hosts }) });
      const ids = emulator.directory.users.slice(0, 3).map((u) => u.id);
      const users = await Promise.all(ids.map((id) => client.api("/users/" + id).get()));
      const batches = emulator.stats.httpCalls.batch;
      // Middleware from the CommonJS build, options from the ES one: still honoured.
      const mixed = Client.initWithMiddleware({ baseUrl: emulator.url, middleware: cjs.createBatchingMiddlewareChain(auth, { hosts }) });
      emulator.resetStats();
      await Promise.all(ids.map((id, i) => mixed.api("/users/" + id).middlewareOptions(i === 0 ? [new BatchingOptions({ enabled: false })] : []).get()));
      console.log(JSON.stringify({ users: users.map((u) => u.id), batches, mixed: emulator.stats.httpCalls, fetch: typeof createBatchingFetch, kiota: typeof BatchingHandler }));
      await emulator.close();
      `,
    );
    const result = JSON.parse(inConsumer(["esm.mjs"]));
    expect(result).toMatchObject({ batches: 1, mixed: { batch: 1, single: 1 }, fetch: "function", kiota: "function" });
    expect(result.users).toHaveLength(3);
  });

  const tsc = (config: object, files: Record<string, string>) => {
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(consumer, name), text);
    fs.writeFileSync(path.join(consumer, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: true, noEmit: true, skipLibCheck: true, lib: ["ES2022", "DOM"], types: [], ...config }, files: Object.keys(files) }));
    try {
      execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", consumer], { encoding: "utf8" });
      return "";
    } catch (error) {
      return String((error as { stdout?: string }).stdout);
    }
  };
  const typed = `
    import { BatchingMiddleware, type BatchingEvent } from "msgraph-batching-middleware";
    import { createBatchingFetch } from "msgraph-batching-middleware/fetch";
    import { BatchingHandlerOptions } from "msgraph-batching-middleware/kiota";
    import { startEmulator, type EmulatorOptions } from "msgraph-batching-middleware/emulator";
    const events: BatchingEvent[] = [];
    export const middleware = new BatchingMiddleware({ maxBatchSize: 10, onEvent: (e) => events.push(e) });
    export const queued: number = createBatchingFetch(fetch).stats().queued;
    export const options = new BatchingHandlerOptions({ enabled: false });
    export const start = (o: EmulatorOptions) => startEmulator(o);
    // @ts-expect-error: the types are real, not any
    new BatchingMiddleware({ maxBatchSize: "ten" });
  `;

  test.each([
    ["node16, from ESM", { module: "node16", moduleResolution: "node16" }, "index.mts"],
    ["node16, from CommonJS", { module: "node16", moduleResolution: "node16" }, "index.cts"],
    ["bundler", { module: "esnext", moduleResolution: "bundler" }, "index.ts"],
    ["node10 (moduleResolution node), subpaths included", { module: "commonjs", moduleResolution: "node" }, "index.ts"],
  ])("TypeScript %s type-checks a consumer", (_label, config, file) => {
    expect(tsc(config, { [file]: typed })).toBe("");
  }, 60_000);

  test("TypeScript node16 from ESM refuses a default import, which has no value at run time", () => {
    expect(tsc({ module: "node16", moduleResolution: "node16" }, { "default.mts": 'import batching from "msgraph-batching-middleware";\nexport const x = batching;\n' })).toMatch(/has no default export/);
  }, 60_000);

  test("esbuild bundles it for the browser (no Node built-in, under 15 kB gzipped added to a Graph app) and for Node as ESM", async () => {
    const esbuild = await import("esbuild");
    const zlib = await import("node:zlib");
    fs.writeFileSync(path.join(consumer, "base.js"), 'import { Client, MiddlewareFactory } from "@microsoft/microsoft-graph-client";\nClient.initWithMiddleware({ middleware: MiddlewareFactory.getDefaultMiddlewareChain({ getAccessToken: async () => "t" }) }).api("/me").get();\n');
    fs.writeFileSync(path.join(consumer, "app.js"), 'import { Client } from "@microsoft/microsoft-graph-client";\nimport { createBatchingMiddlewareChain } from "msgraph-batching-middleware";\nClient.initWithMiddleware({ middleware: createBatchingMiddlewareChain({ getAccessToken: async () => "t" }) }).api("/me").get();\n');
    const browser = async (entry: string) => {
      const result = await esbuild.build({ entryPoints: [path.join(consumer, entry)], bundle: true, format: "esm", platform: "browser", minify: true, write: false, metafile: true, logLevel: "silent" });
      const inputs = Object.keys(result.metafile.inputs);
      return { gzip: zlib.gzipSync(result.outputFiles[0].contents, { level: 9 }).length, inputs };
    };
    const [base, app] = [await browser("base.js"), await browser("app.js")];
    expect(app.inputs.some((input) => input.includes("msgraph-batching-middleware/dist/esm/"))).toBe(true);
    expect(app.inputs.some((input) => input.includes("/lib/src/"))).toBe(false); // the SDK's ES build, not its CommonJS
    expect(app.inputs.filter((input) => input.startsWith("node:") || input.includes("(disabled)"))).toEqual([]);
    expect(app.gzip - base.gzip).toBeLessThan(15_000);

    const nodeBundle = path.join(consumer, "bundled.mjs");
    await esbuild.build({ entryPoints: [path.join(consumer, "esm.mjs")], bundle: true, format: "esm", platform: "node", outfile: nodeBundle, logLevel: "silent", banner: { js: 'import { createRequire as __cr } from "node:module"; const require = __cr(import.meta.url);' } });
    expect(JSON.parse(inConsumer([nodeBundle]))).toMatchObject({ batches: 1 });
  }, 60_000);
});
