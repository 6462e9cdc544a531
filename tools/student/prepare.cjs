#!/usr/bin/env node
// @ts-check
/**
 * Runs after `npm install` / `npm ci` (the `prepare` script, after the build): configures git's notebook filter
 * (see tools/student/nbstrip.cjs) and makes `npx tsc` run the pinned TypeScript. Both tslab's TypeScript 5.0 and the
 * pinned one declare a `tsc` command; npm links whichever it meets last, and 5.0 cannot compile `using`.
 */
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

pinTypeScriptCommand("tsc");
pinTypeScriptCommand("tsserver");
if (install()) console.log("git: notebooks are stored without outputs (clean filter nbstrip, see .gitattributes)");
