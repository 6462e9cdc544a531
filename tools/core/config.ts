import * as fs from "node:fs";
import * as path from "node:path";

/** One exercise in the grading config. */
export interface ExerciseConfig {
  id: number;
  title: string;
  /** Test files, relative to the project root. */
  tests: string[];
  /**
   * Hidden test files (issue 22), relative to the project root: graded, never released to students. Empty when the
   * exercise has none.
   */
  hiddenTests?: string[];
  /** Source folders whose changes re-run this exercise in watch mode. */
  sources: string[];
  /** Where the exercise's hints live, shown next to a failing requirement. */
  hints: string;
  /** Requirement ID → points. */
  requirements: Record<string, number>;
}

/** The grading config (`grading.json`): points per requirement and the grader's time and memory limits. */
export interface GradingConfig {
  /**
   * testMs: one test; requirementMs: all tests of one requirement together; exerciseMs: one exercise in all;
   * submissionMs: one submission (instructor mode) or one `npm run grade` in all; loadMs: loading an exercise's
   * tests; graceMs: extra time before a hung test's process is killed.
   */
  timeouts: { testMs: number; exerciseMs: number; graceMs?: number; loadMs?: number; requirementMs?: number; submissionMs?: number };
  /** Memory per test process: V8 heap (`--max-old-space-size`) and address space (`ulimit -v`), in MB. */
  limits?: { heapMb?: number; virtualMb?: number };
  /**
   * The share of each requirement's points its hidden tests carry, in [0, 1) (e.g. 0.2); the visible tests share
   * the rest. 0 when no exercise lists hidden tests.
   */
  hiddenShare?: number;
  exercises: ExerciseConfig[];
}

/** Thrown when `grading.json` is missing a field or has one of the wrong type. */
export class GradingConfigError extends Error {
  override name = "GradingConfigError";
}

/** Where hidden test files live; the release leaves this folder out. */
export const HIDDEN_DIR = "test/hidden";

/**
 * The test files that grade an exercise: its visible tests, then its hidden tests. With `root`, only the hidden
 * files present there (a student's copy has none, so its grade covers the visible tests only).
 */
export function gradedTestFiles(exercise: ExerciseConfig, root?: string): string[] {
  return [...exercise.tests, ...(root === undefined ? (exercise.hiddenTests ?? []) : presentHiddenTests(root, exercise))];
}

/** The requirement ID a test title starts with ("R2.3 OneOf …" → "R2.3"), or undefined. */
export function requirementOf(title: string): string | undefined {
  return /^(R\d+\.\d+)(?=\s|$)/.exec(title)?.[1];
}

/**
 * Reads and checks the grading config.
 * @param file - the config's path, e.g. `<root>/grading.json`
 * @throws GradingConfigError naming the field that is wrong
 */
export function loadGradingConfig(file: string): GradingConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new GradingConfigError(`${file}: expected a readable JSON file`, { cause: error });
  }
  const config = raw as GradingConfig;
  const fail = (what: string) => {
    throw new GradingConfigError(`${path.basename(file)}: ${what}`);
  };
  const positive = (n: unknown) => typeof n === "number" && Number.isFinite(n) && n > 0;
  if (!positive(config?.timeouts?.testMs) || !positive(config.timeouts.exerciseMs)) {
    fail("expected timeouts.testMs and timeouts.exerciseMs as positive numbers");
  }
  for (const key of ["graceMs", "loadMs", "requirementMs", "submissionMs"] as const) {
    if (config.timeouts[key] !== undefined && !positive(config.timeouts[key])) fail(`expected timeouts.${key} as a positive number when given`);
  }
  for (const key of ["heapMb", "virtualMb"] as const) {
    if (config.limits?.[key] !== undefined && !positive(config.limits[key])) fail(`expected limits.${key} as a positive number when given`);
  }
  if (!Array.isArray(config.exercises) || config.exercises.length === 0) fail("expected a non-empty exercises list");
  const anyHidden = config.exercises.some((ex) => ex?.hiddenTests !== undefined && !(Array.isArray(ex.hiddenTests) && ex.hiddenTests.length === 0));
  const share = config.hiddenShare as unknown;
  if (share !== undefined && !(typeof share === "number" && share >= 0 && share < 1)) {
    fail(`hiddenShare: expected a number from 0 up to (not including) 1, got ${JSON.stringify(share)}`);
  }
  if (anyHidden && (share === undefined || share === 0)) fail("hiddenShare: expected a number above 0 and below 1, since an exercise lists hiddenTests; got none");
  config.hiddenShare = (share as number | undefined) ?? 0;
  const seen = new Set<string>();
  for (const [i, ex] of config.exercises.entries()) {
    const at = `exercises[${i}]`;
    if (!Number.isInteger(ex.id)) fail(`${at}.id: expected an integer, got ${JSON.stringify(ex.id)}`);
    if (!Array.isArray(ex.tests) || ex.tests.length === 0) fail(`${at}.tests: expected a non-empty list of test files`);
    const hidden = ex.hiddenTests as unknown;
    if (hidden !== undefined && !(Array.isArray(hidden) && hidden.every((f) => typeof f === "string" && f !== ""))) {
      fail(`${at}.hiddenTests: expected a list of test files, got ${JSON.stringify(hidden)}`);
    }
    ex.hiddenTests ??= [];
    const both = ex.hiddenTests!.find((f) => ex.tests.includes(f));
    if (both) fail(`${at}.hiddenTests: expected files not also in tests, got ${JSON.stringify(both)} in both`);
    ex.sources ??= [];
    ex.hints ??= "";
    ex.title ??= `Exercise ${ex.id}`;
    const ids = Object.entries(ex.requirements ?? {});
    if (ids.length === 0) fail(`${at}.requirements: expected at least one requirement`);
    for (const [id, points] of ids) {
      if (requirementOf(id) !== id) fail(`${at}.requirements: expected IDs like "R${ex.id}.1", got ${JSON.stringify(id)}`);
      if (!(typeof points === "number" && points >= 0 && Number.isFinite(points))) {
        fail(`${at}.requirements.${id}: expected points >= 0, got ${JSON.stringify(points)}`);
      }
      if (seen.has(id)) fail(`${at}.requirements: ${id} appears twice`);
      seen.add(id);
    }
  }
  return config;
}

/** The exercise a requirement belongs to. */
export function exerciseOfRequirement(config: GradingConfig, requirement: string): ExerciseConfig | undefined {
  return config.exercises.find((ex) => requirement in ex.requirements);
}

/** The time limits `runExercise` takes, from grading.json's `timeouts`. */
export function timeLimits(config: GradingConfig): Pick<GradingConfig["timeouts"], "testMs" | "requirementMs" | "exerciseMs" | "graceMs" | "loadMs"> {
  const { testMs, requirementMs, exerciseMs, graceMs, loadMs } = config.timeouts;
  return { testMs, requirementMs, exerciseMs, graceMs, loadMs };
}

/** An exercise's hidden test files that exist under `root` (none in a student's repository). */
export function presentHiddenTests(root: string, exercise: ExerciseConfig): string[] {
  return (exercise.hiddenTests ?? []).filter((file) => fs.existsSync(path.join(root, file)));
}

/** Whether the exercises' hidden tests can run under `root`: some are listed and every one listed is there. */
export function hiddenRunnable(root: string, exercises: ExerciseConfig[]): boolean {
  return exercises.some((ex) => (ex.hiddenTests ?? []).length > 0) && exercises.every((ex) => presentHiddenTests(root, ex).length === (ex.hiddenTests ?? []).length);
}
