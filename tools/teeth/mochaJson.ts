import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** One test as mocha's JSON reporter lists it. */
export interface MochaTestResult {
  title: string;
  fullTitle: string;
  state: "passed" | "failed" | "pending";
  message: string;
}

/** What one mocha run in a folder produced. */
export interface MochaRun {
  tests: MochaTestResult[];
  /** Set when mocha wrote no report: the files did not load, or the run was killed. */
  error?: string;
  durationMs: number;
}

const MOCHA = require.resolve("mocha/bin/mocha.js");

interface JsonReport {
  tests: { title: string; fullTitle: string; err: { message?: string } }[];
  passes: { fullTitle: string }[];
  failures: { fullTitle: string; title: string; err: { message?: string } }[];
  pending: { fullTitle: string }[];
}

/**
 * Runs mocha (ts-node, transpile-only, no .mocharc) on test files inside `cwd` with the JSON reporter writing to a
 * file, so whatever the tests print cannot corrupt the report.
 * @param cwd - the project copy; its node_modules resolves mocha's `--require`
 * @param files - test files relative to `cwd`
 * @param testMs - mocha's per-test timeout
 * @param killMs - the whole run is killed after this long
 */
export function runMochaJson(cwd: string, files: string[], testMs: number, killMs: number): Promise<MochaRun> {
  const report = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "mocha-json-")), "report.json");
  const started = Date.now();
  const args = [MOCHA, "--no-config", "--require", "ts-node/register/transpile-only", "--extension", "ts", "--timeout", String(testMs), "--reporter", "json", "--reporter-option", `output=${report}`, ...files];
  const child = spawn(process.execPath, args, {
    cwd,
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "true", TS_NODE_PROJECT: path.join(cwd, "tsconfig.json"), FORCE_COLOR: "0" },
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString("utf8")).slice(-4000);
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), killMs);
  return new Promise((resolve) => {
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const durationMs = Date.now() - started;
      const cleanup = () => fs.rmSync(path.dirname(report), { recursive: true, force: true });
      if (!fs.existsSync(report)) {
        const why = signal ? `killed (${signal}) after ${durationMs} ms` : `mocha exited with code ${code} and wrote no report`;
        cleanup();
        resolve({ tests: [], error: `${why}${stderr ? `: ${stderr.trim().split("\n").slice(-6).join(" | ")}` : ""}`, durationMs });
        return;
      }
      const json = JSON.parse(fs.readFileSync(report, "utf8")) as JsonReport;
      cleanup();
      const passed = new Set(json.passes.map((t) => t.fullTitle));
      const pending = new Set(json.pending.map((t) => t.fullTitle));
      const failed = new Map(json.failures.map((t) => [t.fullTitle, t.err?.message ?? ""]));
      const tests: MochaTestResult[] = json.tests.map((t) => ({
        title: t.title,
        fullTitle: t.fullTitle,
        state: passed.has(t.fullTitle) ? "passed" : pending.has(t.fullTitle) ? "pending" : "failed",
        message: failed.get(t.fullTitle) ?? t.err?.message ?? "",
      }));
      // A failing hook is reported as a failure of its own ("before all" hook …), not as a test.
      for (const f of json.failures) {
        if (!json.tests.some((t) => t.fullTitle === f.fullTitle)) tests.push({ title: f.title, fullTitle: f.fullTitle, state: "failed", message: f.err?.message ?? "" });
      }
      resolve({ tests, durationMs });
    });
  });
}
