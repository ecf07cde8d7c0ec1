#!/usr/bin/env node
/**
 * Builds dist/ for both module systems:
 *   dist/cjs  CommonJS, compiled by tsc, with its declarations (.d.ts, read as CommonJS) and
 *             source maps that carry their sources (src/ is not shipped).
 *   dist/esm  real ES modules, bundled by esbuild per entry with shared chunks, so bundlers
 *             tree-shake them and pick the Graph client's own ES build; the same declarations,
 *             with relative specifiers made explicit (`./options.js`), as Node's ESM resolution
 *             and TypeScript's `node16` want; `{"type":"module"}` makes both read as ESM.
 * Dependencies and peers stay external. The emulator (node: built-ins) is built for Node on its
 * own; the rest is platform-neutral, for browsers as for Node.
 *
 * Two builds mean two copies when an app loads both (`require` here, `import` there): state is
 * per middleware instance anyway, BatchingOptions are recognised across copies by a brand, and
 * errors are matched by `name` (instanceof only holds within one copy; docs/design.md).
 */
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const esbuild = require("esbuild");

const root = path.resolve(__dirname, "..");
const dist = path.join(root, "dist");
const pkg = require(path.join(root, "package.json"));
const external = [...Object.keys(pkg.peerDependencies ?? {}), ...Object.keys(pkg.dependencies ?? {}), "@microsoft/*"];

function cjs() {
  execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", path.join(root, "tsconfig.build.json")], { stdio: "inherit" });
  fs.chmodSync(path.join(dist, "cjs", "emulator", "cli.js"), 0o755);
}

async function esm() {
  const common = { bundle: true, format: "esm", outdir: path.join(dist, "esm"), outbase: path.join(root, "src"), sourcemap: true, target: "es2020", external, logLevel: "warning" };
  await esbuild.build({
    ...common,
    entryPoints: ["index", "adapters/fetch/index", "adapters/kiota/index"].map((entry) => path.join(root, "src", `${entry}.ts`)),
    platform: "neutral",
    splitting: true,
    chunkNames: "chunks/[name]-[hash]",
  });
  await esbuild.build({ ...common, entryPoints: [path.join(root, "src", "emulator", "index.ts")], platform: "node" });
  fs.writeFileSync(path.join(dist, "esm", "package.json"), JSON.stringify({ type: "module" }, null, 2) + "\n");
}

/** `from "./x"` → `from "./x.js"` or `"./x/index.js"`, as ESM resolution requires. */
function esmDeclarations(dir = path.join(dist, "cjs")) {
  for (const name of fs.readdirSync(dir)) {
    const file = path.join(dir, name);
    if (fs.statSync(file).isDirectory()) {
      esmDeclarations(file);
      continue;
    }
    if (!name.endsWith(".d.ts")) continue;
    const text = fs.readFileSync(file, "utf8").replace(/((?:from|import)\s*\(?\s*["'])(\.{1,2}\/[^"']*)(["'])/g, (match, before, specifier, after) => {
      const base = path.resolve(path.dirname(file), specifier);
      if (fs.existsSync(`${base}.d.ts`)) return `${before}${specifier}.js${after}`;
      if (fs.existsSync(path.join(base, "index.d.ts"))) return `${before}${specifier}/index.js${after}`;
      return match;
    });
    const target = path.join(dist, "esm", path.relative(path.join(dist, "cjs"), file));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, text);
  }
}

(async () => {
  fs.rmSync(dist, { recursive: true, force: true });
  cjs();
  await esm();
  esmDeclarations();
  console.log("built dist/cjs (CommonJS + .d.ts) and dist/esm (ES modules + .d.ts) for ., ./fetch, ./kiota, ./emulator");
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
