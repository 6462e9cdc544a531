#!/usr/bin/env node
// @ts-check
/**
 * The git clean filter for notebooks (wired in .gitattributes, configured by `npm install`): what git stores is
 * the notebook without outputs, execution counts or front-end metadata, in one canonical layout, so opening,
 * running and saving a notebook leaves `git status` clean. Plain JavaScript, because git runs it on every
 * `git status` of a changed notebook and ts-node would add a second each time.
 *
 *   node tools/student/nbstrip.cjs < in.ipynb > out.ipynb     the filter (stdin to stdout)
 *   node tools/student/nbstrip.cjs --check notebooks/*.ipynb  exits 1 naming files that are not stored canonically
 *   node tools/student/nbstrip.cjs --install                  configures the filter for this clone (npm install does)
 */
const fs = require("node:fs");
const path = require("node:path");
const { execFileSync } = require("node:child_process");

/** The kernel `npm run kernel` registers, as front ends write it into a notebook. */
const KERNELSPEC = { display_name: "TypeScript (tslab, lecture 34)", language: "typescript", name: "lecture34" };
/** What the tslab kernel reports about its language, as front ends write it into a notebook. */
const LANGUAGE_INFO = {
  codemirror_mode: { mode: "typescript", name: "javascript", typescript: true },
  file_extension: ".ts",
  mimetype: "text/typescript",
  name: "typescript",
  version: "3.7.2",
};
/** Cell metadata kept: authored by the instructor (tags, the release's exercise source), not by a front end. */
const CELL_METADATA = ["tags", "exercise_source", "editable", "deletable", "slideshow"];
/** Key order of a stored cell and notebook. */
const CELL_KEYS = ["cell_type", "metadata", "source", "execution_count", "outputs", "id"];
const NOTEBOOK_KEYS = ["cells", "metadata", "nbformat", "nbformat_minor"];

/** @param {Record<string, unknown>} object @param {string[]} order */
function ordered(object, order) {
  /** @type {Record<string, unknown>} */
  const out = {};
  for (const key of order) if (key in object) out[key] = object[key];
  for (const key of Object.keys(object).sort()) if (!(key in out)) out[key] = object[key];
  return out;
}

/** @param {unknown} source @returns {string[]} */
function lines(source) {
  const text = Array.isArray(source) ? source.join("") : String(source ?? "");
  return text === "" ? [] : text.split(/(?<=\n)/);
}

/**
 * Returns the notebook as git stores it: no outputs, no execution counts, only authored cell metadata, the
 * registered kernel in the notebook metadata, one JSON layout (1-space indent, like Jupyter; a final newline).
 * @param {string} text - the notebook file
 * @returns {string}
 */
function strip(text) {
  const notebook = JSON.parse(text);
  notebook.cells = notebook.cells.map((/** @type {Record<string, any>} */ cell) => {
    /** @type {Record<string, unknown>} */
    const metadata = {};
    for (const key of CELL_METADATA) if (cell.metadata && key in cell.metadata) metadata[key] = cell.metadata[key];
    const out = { ...cell, metadata, source: lines(cell.source) };
    if (cell.cell_type === "code") Object.assign(out, { execution_count: null, outputs: [] });
    else {
      delete out.execution_count;
      delete out.outputs;
    }
    return ordered(out, CELL_KEYS);
  });
  notebook.metadata = { kernelspec: KERNELSPEC, language_info: LANGUAGE_INFO };
  return `${JSON.stringify(ordered(notebook, NOTEBOOK_KEYS), null, 1)}\n`;
}

/** Configures this clone's git to run the filter (`.gitattributes` names it); quiet outside a git work tree. */
function install() {
  const root = path.resolve(__dirname, "..", "..");
  const git = (/** @type {string[]} */ ...args) => execFileSync("git", args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  try {
    // Only this project's own repository, not one that happens to contain the folder.
    if (fs.realpathSync(git("rev-parse", "--show-toplevel")) !== fs.realpathSync(root)) return false;
  } catch {
    return false;
  }
  git("config", "filter.nbstrip.clean", "node tools/student/nbstrip.cjs");
  git("config", "filter.nbstrip.required", "false");
  return true;
}

if (require.main === module) {
  const [flag, ...files] = process.argv.slice(2);
  if (flag === "--install") {
    if (install()) console.log("git: notebooks are stored without outputs (clean filter nbstrip, see .gitattributes)");
  } else if (flag === "--check") {
    const dirty = files.filter((f) => fs.readFileSync(f, "utf8") !== strip(fs.readFileSync(f, "utf8")));
    for (const f of dirty) console.error(`${f}: not stored canonically; run: node tools/student/nbstrip.cjs < ${f} > tmp && mv tmp ${f}`);
    process.exitCode = dirty.length > 0 ? 1 : 0;
  } else if (flag === undefined) {
    process.stdout.write(strip(fs.readFileSync(0, "utf8")));
  } else {
    console.error("usage: node tools/student/nbstrip.cjs [--check FILE... | --install]  (no argument: filter stdin to stdout)");
    process.exitCode = 2;
  }
}

module.exports = { strip, install, KERNELSPEC, LANGUAGE_INFO };
