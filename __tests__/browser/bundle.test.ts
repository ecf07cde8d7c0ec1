/**
 * The root entry and the batching fetch bundle for the browser with no Node built-in, and the
 * middleware's own size (minified, gzipped, the Graph client left out) stays within its budget:
 * a size that grows is then a decision, not an accident. Measured 2026-11-30: 15.0 kB for the
 * root entry, 14.4 kB for the batching fetch; README's browser section reports them.
 */
import { builtinModules } from "node:module";
import path from "node:path";
import zlib from "node:zlib";
import * as esbuild from "esbuild";

const ROOT = path.join(__dirname, "..", "..");
const BUDGET_BYTES: Record<string, number> = {
  "src/index.ts": 16_000,
  "src/adapters/fetch/index.ts": 15_500,
};
const NODE_BUILTINS = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`)]);

test.each(Object.keys(BUDGET_BYTES))("%s bundles for the browser without Node built-ins, within its gzipped budget", async (entry) => {
  const result = await esbuild.build({
    entryPoints: [path.join(ROOT, entry)],
    bundle: true,
    format: "esm",
    platform: "browser",
    minify: true,
    write: false,
    metafile: true,
    logLevel: "silent",
    external: ["@microsoft/microsoft-graph-client"],
  });
  expect(result.errors).toEqual([]);
  const imports = Object.values(result.metafile!.inputs).flatMap((input) => input.imports.map((i) => i.path));
  expect(imports.filter((name) => NODE_BUILTINS.has(name))).toEqual([]);
  const external = Object.values(result.metafile!.outputs).flatMap((output) => output.imports.map((i) => i.path));
  expect([...new Set(external)].filter((name) => name !== "@microsoft/microsoft-graph-client")).toEqual([]);

  const code = result.outputFiles[0].contents;
  const gzipped = zlib.gzipSync(code, { level: 9 }).length;
  expect(result.outputFiles[0].text.includes("process.env.")).toBe(false); // read through globalThis only, so bundlers need no shim
  expect(gzipped).toBeLessThanOrEqual(BUDGET_BYTES[entry]);
});

test("error classes keep their names when minified (callers match on them: GraphError.code is the name)", async () => {
  const result = await esbuild.build({
    stdin: {
      contents: 'import * as errors from "./src/errors"; globalThis.__errors = errors;',
      resolveDir: ROOT,
      loader: "ts",
    },
    bundle: true,
    format: "iife",
    platform: "browser",
    minify: true,
    write: false,
    logLevel: "silent",
  });
  const sandbox: { __errors?: Record<string, new (message: string) => Error> } = {};
  new Function("globalThis", result.outputFiles[0].text)(sandbox);
  const names = ["BatchError", "BatchTransportError", "BatchResponseError", "MissingResponseError", "BatchOrderingError", "BatchingConfigError"];
  for (const name of names) {
    const ErrorClass = sandbox.__errors![name];
    expect(ErrorClass.name).not.toBe(name); // minified: the class itself lost its name...
    expect(new ErrorClass("x").name).toBe(name); // ...its errors did not
  }
});
