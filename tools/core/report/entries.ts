/**
 * The entries every platform format lists: one per requirement (the unit `grading.json` gives points to), split in
 * two when the requirement has hidden tests (issue 22), so a platform can show the visible part at once and the
 * hidden part later. A failing entry carries its first failing test's message and the exercise's hint link; a hidden
 * entry names its failing test but never shows its message, which could reveal the hidden inputs.
 */
import type { ExerciseResult, GradeResult, RequirementResult, TestResult } from "../result";

/** One graded entry of a platform's report. */
export interface Entry {
  /** `R1.2`, or `R1.2 hidden tests` for the hidden part of a requirement. */
  name: string;
  requirement: string;
  exercise: number;
  exerciseTitle: string;
  hidden: boolean;
  points: number;
  maxPoints: number;
  passedTests: number;
  tests: number;
  /** Every point earned (and at least one test ran). */
  passed: boolean;
  /** Why it is not passed: the first failing test and the hint link, or why nothing was graded; "" when passed. */
  message: string;
}

const round = (n: number) => Math.round(n * 100) / 100;
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

const STATUS_WORDS: Record<TestResult["status"], string> = {
  passed: "passed",
  failed: "failed",
  timeout: "ran past its time limit",
  crashed: "crashed",
  "not-run": "did not run",
};

/** Where an exercise's hints are: a link on the Git host when the environment names the graded commit, else the path. */
export function hintLink(exercise: ExerciseResult | undefined, env: NodeJS.ProcessEnv): string {
  if (!exercise?.hints) return "";
  if (env.HINTS_BASE_URL) return `${env.HINTS_BASE_URL.replace(/\/$/, "")}/${exercise.hints}`;
  if (env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_SHA) return `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/blob/${env.GITHUB_SHA}/${exercise.hints}`;
  return exercise.hints;
}

function failureMessage(tests: TestResult[], hidden: boolean, exercise: ExerciseResult | undefined, requirement: string, env: NodeJS.ProcessEnv, flags: string[]): string {
  const failing = tests.find((t) => t.status !== "passed");
  let why: string;
  if (failing) {
    const status = failing.stub ? "stops at a stub not written yet" : STATUS_WORDS[failing.status];
    why = hidden ? `${failing.name}: ${status} (a hidden test: its inputs are not shown)` : `${failing.name}: ${status}${failing.message ? `: ${failing.message}` : ""}`;
  } else if (tests.length > 0) {
    why = `every test passes, but the submission's points were withheld (flags: ${flags.join(", ") || "none"})`;
  } else if (exercise?.loadError) {
    why = `the tests of exercise ${exercise.id} could not load: ${exercise.loadError}`;
  } else {
    why = `no test result for ${requirement}`;
  }
  const hints = hintLink(exercise, env);
  return hints ? `${why}\nHints: ${hints}` : why;
}

function entry(req: RequirementResult, exercise: ExerciseResult | undefined, tests: TestResult[], hidden: boolean, points: number, maxPoints: number, env: NodeJS.ProcessEnv, result: GradeResult): Entry {
  const error = result.error;
  const passedTests = tests.filter((t) => t.status === "passed").length;
  const passed = !error && tests.length > 0 && passedTests === tests.length && points >= maxPoints;
  const message = error ? `not graded: ${error}` : passed ? "" : failureMessage(tests, hidden, exercise, req.id, env, result.flags);
  return {
    name: hidden ? `${req.id} hidden tests` : req.id,
    requirement: req.id,
    exercise: req.exercise,
    exerciseTitle: exercise?.title ?? "",
    hidden,
    points: error ? 0 : round(points),
    maxPoints: round(maxPoints),
    passedTests: error ? 0 : passedTests,
    tests: tests.length,
    passed,
    message,
  };
}

/**
 * The entries of a result, in the order of its requirements. A requirement with hidden tests gives two entries whose
 * maximum is its tests' maxima (visible, then the rest) and whose points add up to the requirement's points. With
 * `result.error` every entry is at 0 and its message is the reason.
 */
export function entriesOf(result: GradeResult, env: NodeJS.ProcessEnv = {}): Entry[] {
  return result.requirements.flatMap((req) => {
    const exercise = result.exercises.find((ex) => ex.id === req.exercise);
    const visible = req.tests.filter((t) => !t.hidden);
    const hidden = req.tests.filter((t) => t.hidden);
    if (hidden.length === 0) return [entry(req, exercise, visible, false, req.points, req.maxPoints, env, result)];
    const visibleMax = Math.min(req.maxPoints, sum(visible.map((t) => t.maxPoints)));
    const visiblePoints = Math.min(req.points, visibleMax, sum(visible.map((t) => t.points)));
    return [
      entry(req, exercise, visible, false, visiblePoints, visibleMax, env, result),
      entry(req, exercise, hidden, true, Math.max(0, req.points - visiblePoints), req.maxPoints - visibleMax, env, result),
    ];
  });
}

/** A one-paragraph summary of a result for a platform's top-level output: the total, flags, hidden tests, or the error. */
export function summaryOf(result: GradeResult): string {
  const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2));
  const lines = [`${fmt(result.error ? 0 : result.points)} / ${fmt(result.maxPoints)} points`];
  if (result.error) lines.push(`Not graded: ${result.error}. Every requirement is at 0.`);
  if (result.flags.length > 0) lines.push(`Flags: ${result.flags.join(", ")}`);
  if (result.hiddenMaxPoints > 0) lines.push(`${fmt(result.hiddenMaxPoints)} of the points come from hidden tests, which are not in your repository.`);
  return lines.join("\n");
}
