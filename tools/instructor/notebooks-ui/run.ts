import { execSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { parseArgs } from "node:util";
import { ROOT as PROJECT_ROOT, run } from "../../student/frontEnds";
import { startNotebookServer } from "./notebookServer";

/**
 * `npm run notebooks:ui`: opens every notebook in a real front end — the classic Jupyter Notebook (Debian's
 * `jupyter-notebook`) in headless Chromium driven by puppeteer-core — runs all cells, saves the notebook, takes
 * a screenshot per notebook (.nbout/ui/*.png), and fails on a cell that errors or never runs, on a ✘ and, in the
 * instructor's repository (where every solution is written), on a ⏳: the verdict `npm run notebooks` gives too. It also checks that saving a run
 * notebook leaves `git diff` empty (the nbstrip filter keeps outputs out of what git commits; `git status` may
 * still list the notebook, as the README explains), then puts the files back as they were.
 */

// The functions passed to page.evaluate run in the browser, where the classic Notebook's `Jupyter` global lives.
declare const window: { Jupyter: any } & Record<string, any>;
declare const document: { querySelector(selector: string): unknown };

const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
// --root DIR runs another checkout's notebooks (a fresh release, with its own node_modules) with this runner.
const ARGS = parseArgs({ options: { root: { type: "string" }, rebuild: { type: "boolean" } }, allowPositionals: true });
const ROOT = path.resolve(ARGS.values.root ?? PROJECT_ROOT);
const OUT = path.join(ROOT, ".nbout", "ui");
/** The verdict both notebook runners give (plain JavaScript, shared with tools/student/run-notebooks.sh). */
interface CellOutput {
  index: number;
  ran: boolean;
  error: boolean;
  texts: string[];
}
interface Verdict {
  ok: boolean;
  passed: number;
  failed: number;
  pending: number;
  problems: string[];
}
const verdicts = require("../../student/notebookVerdict.cjs") as {
  isInstructorRepository(root?: string): boolean;
  judge(cells: CellOutput[], allWritten: boolean): Verdict;
  formatVerdict(name: string, verdict: Verdict, extra?: string): string;
};
const INSTRUCTOR = verdicts.isInstructorRepository(ROOT);
const CELL_TIMEOUT_MS = 180_000;

interface NotebookResult extends Verdict {
  file: string;
  seconds: number;
}

/** Waits until the kernel is idle and no code cell is queued or running (`In [*]`). */
async function settle(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      const cells = window.Jupyter.notebook.get_cells().filter((c: any) => c.cell_type === "code");
      const busy = document.querySelector("#kernel_indicator_icon.kernel_busy_icon") !== null;
      return !busy && cells.every((c: any) => c.input_prompt_number !== "*");
    },
    { timeout: CELL_TIMEOUT_MS, polling: 500 },
  );
}

/** Reads what every code cell shows, and judges it as `npm run notebooks` does (tools/student/notebookVerdict.cjs). */
async function judge(page: Page): Promise<Verdict> {
  const outputs: CellOutput[] = await page.evaluate(() =>
    window.Jupyter.notebook
      .get_cells()
      .filter((c: any) => c.cell_type === "code")
      .map((c: any, index: number) => ({
        index,
        ran: c.input_prompt_number !== null,
        error: c.output_area.outputs.some((o: any) => o.output_type === "error"),
        texts: c.output_area.outputs.map((o: any) =>
          o.output_type === "stream" ? `${o.name === "stderr" ? "[stderr] " : ""}${o.text}` : o.output_type === "error" ? `${o.ename}: ${o.evalue}` : (o.data?.["text/plain"] ?? Object.keys(o.data ?? {}).join(",")),
        ),
      })),
  );
  return verdicts.judge(outputs, INSTRUCTOR);
}

/** Saves a picture of the whole notebook (the classic Notebook scrolls inside #site, so the window grows). */
async function screenshot(page: Page, name: string): Promise<void> {
  const height: number = await page.evaluate(() => (document.querySelector("#notebook-container") as any).scrollHeight + 200);
  await page.setViewport({ width: 1280, height: Math.min(height, 16000) });
  await page.screenshot({ path: path.join(OUT, `${name}.png`) as `${string}.png` });
  await page.setViewport({ width: 1280, height: 900 });
}

/**
 * Opens one notebook, waits for its kernel, runs all cells, saves, screenshots, and judges the outputs. With
 * `rebuild`, it then rebuilds (the command, or a simulated one) and follows the documented reload — select the
 * setup cell, Run All Below — and judges and screenshots again (`NN-…-after-rebuild.png`).
 */
async function runNotebook(page: Page, url: string, file: string, rebuild?: string): Promise<NotebookResult> {
  const started = Date.now();
  const name = file.replace(/\.ipynb$/, "");
  await page.goto(url.replace("%s", encodeURIComponent(file)), { waitUntil: "networkidle2", timeout: CELL_TIMEOUT_MS });
  await page.waitForFunction(() => window.Jupyter?.notebook?.kernel?.is_connected?.() === true, { timeout: CELL_TIMEOUT_MS, polling: 250 });
  await page.evaluate(() => window.Jupyter.notebook.execute_all_cells());
  await settle(page);
  const first = await judge(page);
  await page.evaluate(() => window.Jupyter.notebook.save_notebook());
  await page.waitForFunction(() => window.Jupyter.notebook.dirty === false, { timeout: 30_000 });
  await screenshot(page, name);
  if (rebuild === undefined) return { file, seconds: (Date.now() - started) / 1000, ...first };
  if (rebuild === "") {
    const later = new Date(Date.now() + 2000);
    fs.utimesSync(path.join(ROOT, "dist", "index.js"), later, later);
  } else {
    execSync(rebuild, { cwd: ROOT, stdio: "inherit" });
  }
  await page.evaluate(() => {
    const nb = window.Jupyter.notebook;
    nb.select(nb.get_cells().findIndex((c: any) => c.cell_type === "code"));
    nb.execute_cells_below();
  });
  await settle(page);
  const second = await judge(page);
  await page.evaluate(() => window.Jupyter.notebook.save_notebook());
  await page.waitForFunction(() => window.Jupyter.notebook.dirty === false, { timeout: 30_000 });
  await screenshot(page, `${name}-after-rebuild`);
  const problems = [...first.problems, ...second.problems.map((p) => `after the rebuild, ${p}`)];
  return { ...second, file, seconds: (Date.now() - started) / 1000, ok: problems.length === 0, problems };
}

async function main(): Promise<void> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: sudo apt-get install chromium (or set CHROMIUM=/path/to/chrome)`);
  if (run("jupyter", ["notebook", "--version"]) === undefined) throw new Error("no Jupyter Notebook: sudo apt-get install jupyter-notebook");
  fs.mkdirSync(OUT, { recursive: true });
  // --rebuild: after Run All, rebuild (REBUILD_COMMAND, e.g. "cp … src/ && npm run build", or a simulated build)
  // and follow the documented reload; the notebook must show the new build with no ✘.
  const rebuild = ARGS.values.rebuild ? (process.env.REBUILD_COMMAND ?? "") : undefined;
  const named = ARGS.positionals;
  const files = (named.length > 0 ? named.map((f) => path.basename(f)) : fs.readdirSync(path.join(ROOT, "notebooks")))
    .filter((f) => f.endsWith(".ipynb"))
    .sort();
  const originals = new Map(files.map((f) => [f, fs.readFileSync(path.join(ROOT, "notebooks", f))]));
  const started = Date.now();
  const { server, url, dir: jupyterDir } = await startNotebookServer(ROOT);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "lecture34-chromium-"));
  let browser: Browser | undefined;
  let failed = false;
  try {
    browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", `--user-data-dir=${profile}`],
      defaultViewport: { width: 1280, height: 900 },
    });
    const page = await browser.newPage();
    // Leaving a notebook with unsaved changes asks "Leave page?": answer yes.
    page.on("dialog", (dialog) => void dialog.accept());
    for (const file of files) {
      const result = await runNotebook(page, url, file, rebuild);
      failed ||= !result.ok;
      console.log(verdicts.formatVerdict(`notebooks/${file}`, result, ` (${result.seconds.toFixed(1)} s, screenshots in .nbout/ui/)`));
    }
    // What git would commit (`git diff`, through the nbstrip filter) must not change. `git status` may list the
    // saved notebooks (git trusts their changed size before it runs the filter); the README says so.
    const diff = run("git", ["-C", ROOT, "diff", "--stat", "--", "notebooks"]);
    if (diff) {
      failed = true;
      console.log(`FAIL running and saving the notebooks changed what git would commit (npm install sets up the filter):\n${diff}`);
    } else if (diff === "") {
      console.log("ok   git diff is empty after running and saving every notebook (outputs stay out of what git commits)");
    }
  } finally {
    await browser?.close();
    server.kill("SIGTERM");
    if (!process.env.KEEP_OUTPUTS) {
      for (const [file, bytes] of originals) fs.writeFileSync(path.join(ROOT, "notebooks", file), bytes);
    }
    fs.rmSync(profile, { recursive: true, force: true });
    fs.rmSync(jupyterDir, { recursive: true, force: true });
  }
  console.log(`${files.length} notebooks in the classic Notebook + headless Chromium: ${((Date.now() - started) / 1000).toFixed(0)} s`);
  process.exitCode = failed ? 1 : 0;
}

main().catch((error: unknown) => {
  console.error(`notebooks:ui: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
