#!/usr/bin/env node
// @ts-check
/**
 * The one verdict on a run notebook, shared by `npm run notebooks` (nbconvert) and `npm run notebooks:ui` (the
 * classic Notebook in Chromium), so the two runners agree: a cell that errors, never ran or wrote to stderr fails
 * it, and so does a check that prints ✘. A ⏳ (a check or example that reached a stub not written yet) is work to
 * do in the student's repository and a failure in the instructor's, where every solution is written.
 *
 *   node tools/student/notebookVerdict.cjs .nbout/01-….ipynb   prints the verdict line(s); exit 1 when it fails
 */
const fs = require("node:fs");
const path = require("node:path");

/**
 * What a code cell showed.
 * @typedef {{ index: number; ran: boolean; error: boolean; texts: string[] }} CellOutput
 * The verdict on one notebook.
 * @typedef {{ ok: boolean; passed: number; failed: number; pending: number; problems: string[] }} Verdict
 */

/** Whether `root` is the instructor's repository (the release leaves these folders out). */
function isInstructorRepository(root = path.resolve(__dirname, "..", "..")) {
  return fs.existsSync(path.join(root, "tools", "instructor")) || fs.existsSync(path.join(root, "tools", "release"));
}

/**
 * Judges what the code cells showed.
 * @param {CellOutput[]} cells
 * @param {boolean} allWritten - whether every solution is written (the instructor's repository): ⏳ fails too
 * @returns {Verdict}
 */
function judge(cells, allWritten) {
  /** @type {string[]} */
  const problems = [];
  let passed = 0;
  let failed = 0;
  let pending = 0;
  for (const cell of cells) {
    const text = cell.texts.join("");
    if (cell.error || !cell.ran || text.includes("[stderr]")) problems.push(`cell ${cell.index} did not run cleanly:\n${text}`);
    for (const line of text.split("\n")) {
      if (line.startsWith("✔")) passed++;
      if (line.startsWith("✘")) {
        failed++;
        problems.push(`cell ${cell.index}: ${line}`);
      }
      if (line.startsWith("⏳")) {
        pending++;
        if (allWritten) problems.push(`cell ${cell.index}: ${line}`);
      }
    }
  }
  return { ok: problems.length === 0, passed, failed, pending, problems };
}

/**
 * What the code cells of a saved notebook (nbformat 4, as nbconvert writes it) showed.
 * @param {string} file
 * @returns {CellOutput[]}
 */
function cellOutputs(file) {
  /** @type {{ cells: { cell_type: string; outputs?: any[] }[] }} */
  const nb = JSON.parse(fs.readFileSync(file, "utf8"));
  const joined = (/** @type {string | string[] | undefined} */ t) => (Array.isArray(t) ? t.join("") : (t ?? ""));
  return nb.cells
    .filter((c) => c.cell_type === "code")
    .map((c, index) => ({
      index,
      // nbconvert stops at the first cell that errors, so every cell of a notebook it wrote ran (tslab reports no
      // execution count for nbconvert to record).
      ran: true,
      error: (c.outputs ?? []).some((o) => o.output_type === "error"),
      texts: (c.outputs ?? []).map((o) =>
        o.output_type === "stream"
          ? `${o.name === "stderr" ? "[stderr] " : ""}${joined(o.text)}`
          : o.output_type === "error"
            ? `${o.ename}: ${o.evalue}`
            : joined(o.data?.["text/plain"]) || Object.keys(o.data ?? {}).join(","),
      ),
    }));
}

/** One line per notebook, the same from both runners: `ok   notebooks/x.ipynb: 7 ✔, 0 ✘, 2 ⏳`. */
function formatVerdict(/** @type {string} */ name, /** @type {Verdict} */ v, extra = "") {
  const head = `${v.ok ? "ok  " : "FAIL"} ${name}: ${v.passed} ✔, ${v.failed} ✘, ${v.pending} ⏳${extra}`;
  return [head, ...v.problems.map((p) => `  ${p.split("\n").join("\n  ")}`)].join("\n");
}

module.exports = { isInstructorRepository, judge, cellOutputs, formatVerdict };

if (require.main === module) {
  let failed = false;
  for (const file of process.argv.slice(2)) {
    const verdict = judge(cellOutputs(file), isInstructorRepository());
    failed ||= !verdict.ok;
    console.log(formatVerdict(`notebooks/${path.basename(file)}`, verdict));
  }
  process.exitCode = failed ? 1 : 0;
}
