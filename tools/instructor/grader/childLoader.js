/**
 * Preloaded into a grading child instead of ts-node: `.ts` files are loaded from JavaScript the grading process
 * transpiled once (transpile.ts), so the child does not load TypeScript. A file that did not transpile throws
 * ts-node's `TSError`. The table holds every `.ts` file the sandbox lets the child read outside node_modules (the
 * workspace and the grader's own folder); ts-node does not compile node_modules either.
 */
"use strict";
const fs = require("node:fs");

const tableFile = process.env.GRADER_TRANSPILED ?? "";
delete process.env.GRADER_TRANSPILED;
const table = tableFile ? JSON.parse(fs.readFileSync(tableFile, "utf8")) : {};
const hasOwn = Object.prototype.hasOwnProperty;

class TSError extends Error {
  constructor(message) {
    super(message);
    this.name = "TSError";
  }
}

function load(module, filename) {
  const entry = hasOwn.call(table, filename) ? table[filename] : undefined;
  if (entry === undefined) throw new TSError(`⨯ Unable to compile TypeScript:\n${filename}: the grader did not transpile this file`);
  if (entry.error !== undefined) throw new TSError(entry.error);
  module._compile(entry.js, filename);
}

for (const ext of [".ts", ".cts", ".tsx"]) require.extensions[ext] = load;
