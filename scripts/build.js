#!/usr/bin/env node
/**
 * Builds dist/ for both module systems from one compilation:
 *   dist/cjs    CommonJS, compiled by tsc (the implementation)
 *   dist/types  type declarations
 *   dist/esm    thin ES module wrappers that re-export the CommonJS build by name
 * One implementation means one copy of the middleware's state even when an application mixes
 * `import` and `require` (no dual-package hazard), and the named exports are listed from the
 * compiled modules, so they cannot drift from the source.
 */
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const dist = path.join(root, "dist");
const entries = ["index", "emulator/index", "adapters/fetch/index", "adapters/kiota/index"];

fs.rmSync(dist, { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", path.join(root, "tsconfig.build.json")], { stdio: "inherit" });

fs.mkdirSync(path.join(dist, "esm"), { recursive: true });
fs.writeFileSync(path.join(dist, "esm", "package.json"), JSON.stringify({ type: "module" }, null, 2) + "\n");
for (const entry of entries) {
  const cjsFile = path.join(dist, "cjs", `${entry}.js`);
  const names = Object.keys(require(cjsFile)).filter((name) => name !== "__esModule" && name !== "default");
  const target = path.join(dist, "esm", `${entry}.js`);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const relative = path.relative(path.dirname(target), cjsFile).split(path.sep).join("/");
  const lines = [
    `import cjs from "${relative.startsWith(".") ? relative : `./${relative}`}";`,
    `export const { ${names.join(", ")} } = cjs;`,
    "",
  ];
  fs.writeFileSync(target, lines.join("\n"));
}
console.log(`built dist/ (cjs, esm wrappers, types) for ${entries.join(", ")}`);
