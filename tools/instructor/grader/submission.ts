import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { RUN_DIR } from "../../core/run/driver";
import { pool } from "../../core/run/pool";
import { graderCacheDir } from "./cacheDir";
import { CONFINE_DIR } from "./confine";
import { gradedTestFiles, hiddenRunnable, loadGradingConfig, timeLimits, type GradingConfig } from "../../core/config";
import { listTests, runExercise } from "./runExercise";
import { graderNodeModules, permissionSyntax } from "./sandbox";
import type { PlannedTest } from "./protocol";
import { monotonicMs } from "../../core/clock";
import { transpileAll, typeScriptFilesUnder } from "./transpile";
import type { GradeResult } from "../../core/result";
import { fromGraderRun } from "../../core/score/adapt";
import type { ExerciseOutcomes } from "../../core/score/outcome";
import { scoreOutcomes, selectExercises } from "../../core/score/score";

/** What to grade in instructor mode. */
export interface SubmissionOptions {
  /** The student's checkout; only its `src/` is read. */
  submission: string;
  /** The instructor's checkout: its tests, grading.json, tsconfig, grader and node_modules are used. */
  root: string;
  exercises?: number[];
  config?: GradingConfig;
  /** How many exercises run at once. */
  jobs?: number;
}

const MAX_FILES = 5000;
const MAX_BYTES = 50 * 1024 * 1024;
/** Above this much student TypeScript, the children transpile it with ts-node (under their limits), not the grader. */
const MAX_TRANSPILE_BYTES = 2 * 1024 * 1024;
const trustedPlans = new Map<string, Promise<{ tests: PlannedTest[]; error?: string }>>();

/**
 * Copies a folder's regular files and folders (never symlinks, devices or sockets), within a size budget.
 * @returns false when the budget ran out (the copy is then partial)
 */
function copyTree(from: string, to: string, budget = { files: MAX_FILES, bytes: MAX_BYTES }, skip: (rel: string) => boolean = () => false, rel = "", links: string[] = []): boolean {
  fs.mkdirSync(to, { recursive: true });
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(from, { withFileTypes: true });
  } catch {
    return true;
  }
  for (const entry of entries) {
    const source = path.join(from, entry.name);
    const inner = path.join(rel, entry.name);
    if (skip(inner)) continue;
    const stat = fs.lstatSync(source);
    if (stat.isDirectory()) {
      if (!copyTree(source, path.join(to, entry.name), budget, skip, inner, links)) return false;
    } else if (stat.isFile()) {
      if (--budget.files < 0 || (budget.bytes -= stat.size) < 0) return false;
      fs.copyFileSync(source, path.join(to, entry.name));
    } else if (stat.isSymbolicLink()) {
      links.push(inner);
    }
  }
  return true;
}

/** Makes a tree read-only (or writable again, to delete it): a second guard behind the permission model. */
function setWritable(dir: string, writable: boolean): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (writable) fs.chmodSync(file, 0o755);
      setWritable(file, writable);
      if (!writable) fs.chmodSync(file, 0o555);
    } else if (entry.isFile()) {
      fs.chmodSync(file, writable ? 0o644 : 0o444);
    }
  }
  fs.chmodSync(dir, writable ? 0o755 : 0o555);
}

/**
 * Builds the private folder a submission is graded in: its `src/` (copied), the instructor's `test/`,
 * `tsconfig.json` and `package.json` (copied), and a link to the instructor's `node_modules`. Nothing else of the
 * submission is read.
 */
export function prepareWorkspace(submission: string, root: string, tsconfig?: string): { dir: string; complete: boolean; transpiled?: string; symlinks: string[] } {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "grade-sub-")));
  const src = path.join(submission, "src");
  let complete = true;
  // Symlinks are never followed or copied; each one is named in a flag (`symlink:src/…`).
  const symlinks: string[] = [];
  const srcStat = fs.lstatSync(src, { throwIfNoEntry: false });
  if (srcStat?.isDirectory()) complete = copyTree(src, path.join(dir, "src"), undefined, undefined, "", symlinks);
  else fs.mkdirSync(path.join(dir, "src"));
  if (srcStat?.isSymbolicLink()) symlinks.push("");
  copyTree(path.join(root, "test"), path.join(dir, "test"), { files: Infinity, bytes: Infinity }, (rel) => rel === "fixtures");
  for (const file of ["tsconfig.json", "package.json"]) {
    if (fs.existsSync(path.join(root, file))) fs.copyFileSync(path.join(root, file), path.join(dir, file));
  }
  fs.symlinkSync(graderNodeModules(), path.join(dir, "node_modules"), "dir");
  let transpiled: string | undefined;
  const student = typeScriptFilesUnder(path.join(dir, "src"));
  if (tsconfig && student.reduce((sum, file) => sum + fs.statSync(file).size, 0) <= MAX_TRANSPILE_BYTES) {
    // TypeScript runs once here instead of in every test child; the trusted files' JavaScript is cached on disk.
    // Unusually large sources, or any failure of TypeScript itself, leave the work to ts-node in the sandboxed
    // children, under their time and memory limits.
    const files = [
      ...student.map((file) => ({ file, cache: false })),
      ...trustedFiles(path.join(dir, "test")),
    ];
    try {
      const table = JSON.stringify(transpileAll(files, tsconfig, dir, transpileCache(root)));
      transpiled = path.join(dir, ".grader-transpiled.json");
      fs.writeFileSync(transpiled, table);
    } catch {
      transpiled = undefined;
    }
  }
  setWritable(dir, false);
  return { dir, complete, transpiled, symlinks: symlinks.map((link) => path.posix.join("src", ...link.split(path.sep))) };
}

/** The trusted `.ts` files a test child loads: the instructor's tests (in a workspace's copy), the grader's child and the mocha driver. */
function trustedFiles(testDir: string): { file: string; cache: boolean }[] {
  return [testDir, fs.realpathSync(__dirname), fs.realpathSync(RUN_DIR), fs.realpathSync(CONFINE_DIR)].flatMap((folder) => typeScriptFilesUnder(folder).map((file) => ({ file, cache: true })));
}

const transpileCache = (root: string) => graderCacheDir(root, "js");

/**
 * Fills the on-disk cache of the trusted files' JavaScript ahead of grading (the cache is keyed by content and file
 * name, so the instructor's own test/ gives the same entries as a workspace's copy; test/fixtures is never copied).
 */
export function warmTranspileCache(root: string, tsconfig = path.join(root, "tsconfig.json")): void {
  const files = trustedFiles(path.join(root, "test")).filter(({ file }) => !file.startsWith(path.join(root, "test", "fixtures") + path.sep));
  transpileAll(files, tsconfig, root, transpileCache(root));
}

function removeWorkspace(dir: string): void {
  try {
    setWritable(dir, true);
  } catch {
    // best effort; rmSync reports what is left
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

/**
 * Grades a student's `src/` with this checkout's tests, config and grader, in a private copy, and returns the
 * instructor report. A compile error costs only the exercise it breaks; tampering (a canary test with the wrong
 * result, a locked test-framework global replaced) scores the whole submission 0 with the `tampered` flag.
 */
export async function gradeSubmission(options: SubmissionOptions): Promise<GradeResult> {
  const started = monotonicMs();
  const root = path.resolve(options.root);
  const config = options.config ?? loadGradingConfig(path.join(root, "grading.json"));
  const exercises = selectExercises(config, options.exercises ?? []);
  const deadline = started + (config.timeouts.submissionMs ?? 300_000);
  const tsconfig = path.join(root, "tsconfig.json");
  const { dir, complete, transpiled, symlinks } = prepareWorkspace(path.resolve(options.submission), root, tsconfig);
  const runs: ExerciseOutcomes[] = new Array(exercises.length);
  try {
    const jobs = Math.max(1, options.jobs ?? Math.min(2, os.cpus().length));
    await pool(exercises.length, jobs, async (index) => {
      const exercise = exercises[index];
      // Hidden tests (issue 22) come from the instructor's checkout like the visible ones: the workspace copies test/.
      const files = gradedTestFiles(exercise, root);
      const key = `${root}\n${files.join("\n")}`;
      if (!trustedPlans.has(key)) trustedPlans.set(key, listTests({ root, files, tsconfig }));
      const trusted = await trustedPlans.get(key)!;
      if (trusted.error) throw new Error(`the instructor's tests for exercise ${exercise.id} do not load: ${trusted.error}`);
      const run = await runExercise({
        root: dir,
        files,
        plan: trusted.tests,
        tsconfig,
        transpiled,
        ...timeLimits(config),
        deadline,
        sandbox: { read: [dir, __dirname, RUN_DIR, CONFINE_DIR, graderNodeModules(), tsconfig], heapMb: config.limits?.heapMb, virtualMb: config.limits?.virtualMb },
      });
      runs[index] = fromGraderRun(exercise.id, run);
    });
  } finally {
    removeWorkspace(dir);
  }
  // Without a permission model (Node older than 20) the code ran with the grader's rights: say so in the report.
  // A symlink in src/ is never followed or copied: the flag names it (at most ten).
  const flags = [...(complete ? [] : ["too-large"]), ...(permissionSyntax() === "none" ? ["unsandboxed"] : []), ...symlinks.slice(0, 10).map((link) => `symlink:${link}`)];
  const hiddenRan = hiddenRunnable(root, exercises);
  return scoreOutcomes(config, runs, { submission: options.submission, root, hiddenRan, flags, durationMs: Math.round(monotonicMs() - started) });
}
