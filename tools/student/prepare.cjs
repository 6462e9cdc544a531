#!/usr/bin/env node
// @ts-check
/**
 * Runs after `npm install` / `npm ci` (the `prepare` script, before the build): configures git's notebook filter
 * (see tools/student/nbstrip.cjs), makes `npx tsc` run the pinned TypeScript and fills the transpile cache. Both
 * tslab's TypeScript 5.0 and the pinned one declare a `tsc` command; npm links whichever it meets last, and 5.0
 * cannot compile `using`.
 */
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const { install } = require("./nbstrip.cjs");

const root = path.resolve(__dirname, "..", "..");
const bin = path.join(root, "node_modules", ".bin");

/** Points node_modules/.bin/<name> (and its Windows shims) at the pinned `typescript` package. */
function pinTypeScriptCommand(/** @type {string} */ name) {
  const target = path.join("..", "typescript", "bin", name);
  if (!fs.existsSync(path.join(bin, target))) return;
  const link = path.join(bin, name);
  try {
    if (fs.lstatSync(link).isSymbolicLink() && fs.readlinkSync(link) !== target) {
      fs.unlinkSync(link);
      fs.symlinkSync(target, link);
    }
  } catch {
    // no such command linked: nothing to fix
  }
  for (const shim of [`${name}.cmd`, `${name}.ps1`, name]) {
    const file = path.join(bin, shim);
    if (!fs.existsSync(file) || fs.lstatSync(file).isSymbolicLink()) continue;
    const text = fs.readFileSync(file, "utf8");
    const fixed = text.replace(/@tslab[\\/]typescript-for-tslab/g, "typescript");
    if (fixed !== text) fs.writeFileSync(file, fixed);
  }
}

/**
 * Transpiles the exercises' files once into the cache `npm test` and `npm run watch` read
 * (tools/student/transpileCache.cjs), so that their first run starts warm; about 1.5 s. A failure only costs time.
 */
function fillTranspileCache() {
  const preload = ["ts-node/register/transpile-only", "./tools/student/transpileCache.cjs", "./tools/student/warmTranspile.cjs"];
  spawnSync(process.execPath, [...preload.flatMap((file) => ["-r", file]), "-e", ""], { cwd: root, stdio: "ignore", timeout: 120_000 });
}

pinTypeScriptCommand("tsc");
pinTypeScriptCommand("tsserver");
if (install()) console.log("git: notebooks are stored without outputs (clean filter nbstrip, see .gitattributes)");
fillTranspileCache();
