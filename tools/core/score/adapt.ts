/**
 * The adapters from each runner's own outcome shape to the score step's {@link ExerciseOutcomes}: the grader's
 * `ExerciseRun` (sandboxed children) and the `RanTest`s of `npm test`'s reporter and watch mode's worker.
 */
import * as path from "node:path";
import type { GradingConfig } from "../config";
import type { TestStatus } from "../result";
import type { ExerciseOutcomes } from "./outcome";

/** The title (then `: <file>`) of the test that stands for a test file that could not be loaded (safeLoad.ts). */
export const LOAD_FAILED = "the test file loads";

/** A test as the in-process runners (npm test's reporter, watch's worker) record it. */
export interface RanTestLike {
  title: string;
  file: string;
  passed: boolean;
  message: string;
  stub?: boolean;
}

/** The outcome of one exercise from a runner (the plain child, or the instructor's sandboxed grader), reduced to what scoring reads. */
export interface GraderRunLike {
  tests: { title: string; file: string; status: "passed" | "failed" | "timeout" | "crashed" | "not run"; message: string; durationMs: number }[];
  loadError?: string;
  flags?: string[];
}

/** One exercise's outcomes from the grader's run of it. */
export function fromGraderRun(exercise: number, run: GraderRunLike): ExerciseOutcomes {
  const status = (s: GraderRunLike["tests"][number]["status"]): TestStatus => (s === "not run" ? "not-run" : s);
  const tests = run.tests.map((t) => ({ title: t.title, file: t.file, status: status(t.status), message: t.message, durationMs: t.durationMs }));
  return { exercise, tests, ...(run.loadError !== undefined ? { loadError: run.loadError } : {}), ...(run.flags?.length ? { flags: run.flags } : {}) };
}

/**
 * The outcomes of the exercises whose test files (visible or hidden) ran in an in-process run, in config order.
 * A failing {@link LOAD_FAILED} test becomes its exercise's load error.
 * @param ids - exercises to list even when none of their tests ran (with `loadError`, or "no test ran")
 */
export function fromRanTests(config: GradingConfig, root: string, tests: RanTestLike[], options: { ids?: number[]; loadError?: string } = {}): ExerciseOutcomes[] {
  const rel = (file: string) => path.relative(root, path.resolve(root, file)).split(path.sep).join("/");
  const runs: ExerciseOutcomes[] = [];
  for (const ex of config.exercises) {
    const files = new Set([...ex.tests, ...(ex.hiddenTests ?? [])].map(rel));
    const mine = tests.filter((t) => files.has(rel(t.file)));
    if (mine.length === 0) {
      if (options.ids?.includes(ex.id)) runs.push({ exercise: ex.id, tests: [], loadError: options.loadError ?? "no test ran" });
      continue;
    }
    const loadFailure = mine.find((t) => !t.passed && t.title.startsWith(LOAD_FAILED));
    const outcomes = mine
      .filter((t) => t !== loadFailure)
      .map((t) => ({ title: t.title, file: t.file, status: (t.passed ? "passed" : "failed") as TestStatus, message: t.message, ...(t.stub ? { stub: true } : {}) }));
    const run: ExerciseOutcomes = { exercise: ex.id, tests: outcomes };
    if (loadFailure) run.loadError = `${loadFailure.title.slice(LOAD_FAILED.length + 2)}: ${loadFailure.message}`;
    runs.push(run);
  }
  return runs;
}
