import * as fs from "node:fs";
import * as path from "node:path";

/** One exercise in the grading config. */
export interface ExerciseConfig {
  id: number;
  title: string;
  /** Test files, relative to the project root. */
  tests: string[];
  /**
   * Hidden test files (`test/hidden/…`): graded by the instructor, never released. They check the same documented
   * requirements as `tests` on inputs the student never sees; a student's copy lists them but does not have them.
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
   * The share of each requirement's points carried by its hidden tests (0.2 = 20%); the visible tests share the
   * rest. A requirement without hidden tests keeps all its points on its visible tests. Default 0.
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
  const hidden = (exercise.hiddenTests ?? []).filter((f) => root === undefined || fs.existsSync(path.join(root, f)));
  return [...exercise.tests, ...hidden];
}

/**
 * The line a student's `npm test` and `npm run grade` end with when the instructor's grade has hidden tests this
 * copy lacks (docs/grading.md, *Hidden tests*); undefined when there are none, or when they are all here.
 */
export function hiddenTestsNotice(config: GradingConfig, root: string): string | undefined {
  const share = config.hiddenShare ?? 0;
  const withHidden = config.exercises.filter((ex) => (ex.hiddenTests ?? []).length > 0);
  if (share === 0 || withHidden.length === 0 || withHidden.every((ex) => gradedTestFiles(ex, root).length > ex.tests.length)) return undefined;
  const total = config.exercises.reduce((sum, ex) => sum + Object.values(ex.requirements).reduce((a, b) => a + b, 0), 0);
  const hidden = withHidden.reduce((sum, ex) => sum + Object.values(ex.requirements).reduce((a, b) => a + b, 0) * share, 0);
  const points = (n: number) => String(Math.round(n * 100) / 100);
  return `Hidden tests: your instructor's grade also runs hidden tests worth ${points(hidden)} of ${points(total)} points (${points(share * 100)}% of each requirement): the same documented rules on inputs you do not see.`;
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
  if (config.hiddenShare !== undefined && !(typeof config.hiddenShare === "number" && config.hiddenShare >= 0 && config.hiddenShare < 1)) {
    fail(`hiddenShare: expected a number in [0, 1), got ${JSON.stringify(config.hiddenShare)}`);
  }
  if (!Array.isArray(config.exercises) || config.exercises.length === 0) fail("expected a non-empty exercises list");
  const seen = new Set<string>();
  for (const [i, ex] of config.exercises.entries()) {
    const at = `exercises[${i}]`;
    if (!Number.isInteger(ex.id)) fail(`${at}.id: expected an integer, got ${JSON.stringify(ex.id)}`);
    if (!Array.isArray(ex.tests) || ex.tests.length === 0) fail(`${at}.tests: expected a non-empty list of test files`);
    if (ex.hiddenTests !== undefined) {
      const ok = Array.isArray(ex.hiddenTests) && ex.hiddenTests.every((f) => typeof f === "string" && f.startsWith(`${HIDDEN_DIR}/`) && f.endsWith(".test.ts"));
      if (!ok) fail(`${at}.hiddenTests: expected a list of ${HIDDEN_DIR}/….test.ts files, got ${JSON.stringify(ex.hiddenTests)}`);
    }
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
