/**
 * Class grading: `npm run grade -- --class DIR [--out OUT] [--jobs N] [--force]` grades every submission folder in
 * DIR with this checkout's tests, config and grader, N at a time, each in its own process group with a time limit,
 * and writes OUT/<submission>.json, OUT/gradebook.csv and OUT/gradebook.html.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseCommandLine, positiveInteger, UsageError } from "../../core/cli/args";
import { ungradable } from "../../core/score/score";
import { loadGradingConfig, type GradingConfig } from "../../core/config";
import { formatPoints, gradebookCsv, isSubmissionReport, type SubmissionReport } from "./gradebook";
import { gradebookHtml } from "./gradebookHtml";
import { killGroup } from "../../core/run/killGroup";
import { pool } from "../../core/run/pool";
import { checkProtectedFiles, protectedFilesChanged, type ProtectedManifest } from "./protected";

const ROOT = path.join(__dirname, "..", "..", "..");
const TS_NODE = require.resolve("ts-node/register/transpile-only");
const OUTPUT_TAIL = 4000;

/** The command that grades one submission: `grade.ts --submission DIR --out FILE`. */
export type GradeCommand = (submissionDir: string, outFile: string) => { command: string; args: string[] };

/** The grader's instructor mode, in a process of its own: `grade.ts --submission DIR --out FILE`. */
export const gradeCommand: GradeCommand = (submissionDir, outFile) => {
  const gradeTs = path.join(__dirname, "..", "..", "core", "grade.ts");
  return { command: process.execPath, args: ["-r", TS_NODE, gradeTs, "--submission", submissionDir, "--out", outFile] };
};

/** What to grade and where the results go. */
export interface ClassOptions {
  classDir: string;
  outDir: string;
  config: GradingConfig;
  /** Hashes of the files students must not change (the release's manifest). */
  manifest: ProtectedManifest;
  jobs?: number;
  /** Regrade submissions that already have a report in `outDir`. */
  force?: boolean;
  /** Per-submission limit; by default `timeouts.submissionMs` of grading.json, else every exercise's limit in turn. */
  limitMs?: number;
  command?: GradeCommand;
  /** Called as submissions start and finish, e.g. for a progress bar. */
  onProgress?: (event: ProgressEvent) => void;
}

/** A step of class grading. */
export type ProgressEvent =
  | { type: "start"; name: string; done: number; total: number; running: number }
  | { type: "finish"; name: string; done: number; total: number; running: number; report: SubmissionReport; skipped: boolean };

/** Time the grader gets past `submissionMs` to stop its tests and write its report before class grading kills it. */
export const SUBMISSION_GRACE_MS = 30_000;

/**
 * The per-submission time limit from grading.json: `timeouts.submissionMs` (where the grader stops itself and
 * reports) plus a grace period, or every exercise's limit in turn when it is not set.
 */
export function submissionLimitMs(config: GradingConfig): number {
  const configured = (config.timeouts as { submissionMs?: unknown }).submissionMs;
  if (typeof configured === "number" && configured > 0) return configured + SUBMISSION_GRACE_MS;
  return config.timeouts.exerciseMs * config.exercises.length;
}

function isFolder(file: string): boolean {
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    return false; // a dangling or looping symlink
  }
}

/** The submission folders of a class folder: every non-hidden folder, sorted, except the output folder. */
export function listSubmissions(classDir: string, outDir: string): string[] {
  return fs
    .readdirSync(classDir, { withFileTypes: true })
    .filter((e) => !e.name.startsWith(".") && isFolder(path.join(classDir, e.name)))
    .map((e) => e.name)
    .filter((name) => path.resolve(classDir, name) !== path.resolve(outDir))
    .sort((a, b) => a.localeCompare(b, "en"));
}

function readReport(file: string): SubmissionReport | undefined {
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(file, "utf8"));
    return isSubmissionReport(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function writeAtomically(file: string, text: string): void {
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, text);
  fs.renameSync(temp, file);
}

/** Process groups of the graders running now, stopped when class grading is interrupted. */
const runningGroups = new Set<number>();

/**
 * Grades one submission in a detached child (its own process group), killed with everything it started when the
 * limit passes; always returns a report.
 */
async function gradeOne(options: ClassOptions, name: string, limitMs: number): Promise<SubmissionReport> {
  const started = Date.now();
  const dir = path.resolve(options.classDir, name);
  const partial = path.join(options.outDir, `.${name}.grading.json`);
  fs.rmSync(partial, { force: true });
  const { command, args } = (options.command ?? gradeCommand)(dir, partial);
  const child = spawn(command, args, { cwd: ROOT, detached: true, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, FORCE_COLOR: "0" } });
  if (child.pid !== undefined) runningGroups.add(child.pid);
  let tail = "";
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString("utf8")).slice(-OUTPUT_TAIL);
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup(child.pid);
  }, limitMs);
  const code = await new Promise<number | null>((resolve) => {
    child.on("error", (error) => {
      tail += `\n${error.message}`;
      resolve(null);
    });
    child.on("exit", (exitCode) => resolve(exitCode));
  });
  clearTimeout(timer);
  killGroup(child.pid); // whatever the grader left behind
  if (child.pid !== undefined) runningGroups.delete(child.pid);
  child.stdout.destroy();
  child.stderr.destroy();
  const durationMs = Date.now() - started;
  let report = timedOut ? undefined : readReport(partial);
  fs.rmSync(partial, { force: true });
  if (timedOut) {
    report = ungradable(options.config, name, "timeout", `grading stopped after the submission's limit of ${limitMs} ms; the grader's output ended with:\n${tail}`, durationMs);
  } else if (!report) {
    report = ungradable(options.config, name, "crashed", `the grader exited with code ${code} without a valid report; its output ended with:\n${tail}`, durationMs);
  }
  report.submission = name;
  report.protectedFiles = checkProtectedFiles(dir, options.manifest);
  if (protectedFilesChanged(report.protectedFiles) && !report.flags.includes("protected-files-changed")) report.flags.push("protected-files-changed");
  return report;
}

/** Grades a class folder and writes the reports and gradebooks; returns the reports in name order. */
export async function gradeClass(options: ClassOptions): Promise<SubmissionReport[]> {
  fs.mkdirSync(options.outDir, { recursive: true });
  const names = listSubmissions(options.classDir, options.outDir);
  const jobs = Math.max(1, options.jobs ?? os.cpus().length);
  const limitMs = options.limitMs ?? submissionLimitMs(options.config);
  const reports: SubmissionReport[] = new Array(names.length);
  let done = 0;
  let running = 0;
  await pool(names.length, jobs, async (index) => {
    const name = names[index];
    const file = path.join(options.outDir, `${name}.json`);
    const existing = options.force ? undefined : readReport(file);
    if (existing) {
      reports[index] = existing;
      options.onProgress?.({ type: "finish", name, done: ++done, total: names.length, running, report: existing, skipped: true });
      return;
    }
    running++;
    options.onProgress?.({ type: "start", name, done, total: names.length, running });
    const report = await gradeOne(options, name, limitMs);
    writeAtomically(file, `${JSON.stringify(report, null, 2)}\n`);
    reports[index] = report;
    running--;
    options.onProgress?.({ type: "finish", name, done: ++done, total: names.length, running, report, skipped: false });
  });
  writeAtomically(path.join(options.outDir, "gradebook.csv"), gradebookCsv(reports, options.config));
  writeAtomically(path.join(options.outDir, "gradebook.html"), gradebookHtml(reports, options.config));
  return reports;
}

/** Progress for a terminal (one redrawn bar) or a log (one line per finished submission). */
export function progressPrinter(stream: NodeJS.WriteStream = process.stderr): (event: ProgressEvent) => void {
  const started = Date.now();
  return (event) => {
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (stream.isTTY) {
      const width = 30;
      const filled = event.total > 0 ? Math.round((event.done / event.total) * width) : width;
      const last = event.type === "finish" ? ` ${event.name.replace(/[\x00-\x1f\x7f-\x9f]/g, "?")}: ${formatPoints(event.report.points)}` : "";
      stream.write(`\r\x1b[K[${"█".repeat(filled)}${"░".repeat(width - filled)}] ${event.done}/${event.total}, ${event.running} running, ${seconds} s${last}`.slice(0, (stream.columns || 120) - 1));
      if (event.type === "finish" && event.done === event.total) stream.write("\n");
    } else if (event.type === "finish") {
      const r = event.report;
      const flags = r.flags.length > 0 ? ` [${r.flags.join(", ")}]` : "";
      stream.write(`[${event.done}/${event.total}] ${JSON.stringify(event.name)}: ${formatPoints(r.points)} / ${formatPoints(r.maxPoints)}${flags}${event.skipped ? " (already graded; --force regrades)" : ` in ${(r.durationMs / 1000).toFixed(1)} s`}\n`);
    }
  };
}

interface ClassCli {
  classDir: string;
  outDir: string;
  jobs?: number;
  force: boolean;
}

/**
 * Parses `--class DIR [--out OUT] [--jobs N] [--force]`.
 * @throws UsageError saying what was expected and what came
 */
export function parseClassArgs(argv: string[]): ClassCli {
  const { values } = parseCommandLine(
    argv,
    { class: { type: "string" }, out: { type: "string" }, jobs: { type: "string" }, force: { type: "boolean" } },
    "--class DIR [--out OUT] [--jobs N] [--force]",
  );
  const classDir = values.class ?? "";
  if (!classDir || !fs.existsSync(classDir) || !fs.statSync(classDir).isDirectory()) throw new UsageError(`--class: expected a folder of submissions, got ${JSON.stringify(classDir)}`);
  const resolved = path.resolve(classDir);
  return { classDir: resolved, outDir: path.resolve(values.out || `${resolved}-grades`), jobs: positiveInteger("jobs", values.jobs), force: values.force ?? false };
}

/** `npm run grade -- --class DIR …`: grades the class, prints where the gradebook is; exit code 0, or 2 on bad usage. */
export async function classMain(argv: string[]): Promise<number> {
  let cli: ClassCli;
  try {
    cli = parseClassArgs(argv);
  } catch (error) {
    console.error(`npm run grade -- --class: ${(error as Error).message}`);
    return 2;
  }
  // Imported here: tools/release is instructor-only, like class grading.
  const { releaseManifest } = require("../release/release") as typeof import("../release/release");
  const config = loadGradingConfig(path.join(ROOT, "grading.json"));
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
      for (const pid of runningGroups) killGroup(pid);
      console.error(`\nInterrupted (${signal}): stopped ${runningGroups.size} running grader(s); reports written so far are kept, a rerun grades the rest.`);
      process.exit(130);
    });
  }
  const started = Date.now();
  const reports = await gradeClass({ ...cli, config, manifest: releaseManifest(ROOT), onProgress: progressPrinter() });
  const flagged = reports.filter((r) => r.flags.length > 0).length;
  console.log(`Graded ${reports.length} submission(s) in ${((Date.now() - started) / 1000).toFixed(1)} s; ${flagged} flagged.`);
  console.log(`Gradebook: ${path.join(cli.outDir, "gradebook.csv")} and ${path.join(cli.outDir, "gradebook.html")}`);
  return 0;
}
