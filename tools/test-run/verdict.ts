import * as path from "node:path";
import { requirementOf, type GradingConfig } from "../grade/config";

/** The title (then `: <file>`) of the test that stands for a test file that could not be loaded (safeLoad.ts). */
export const LOAD_FAILED = "the test file loads";

/** One test that ran, as the verdict needs it. */
export interface RanTest {
  title: string;
  /** The test file, absolute or relative to the project root. */
  file: string;
  passed: boolean;
  /** The failure's first line; empty for a pass. */
  message: string;
}

/** One requirement's state after a run. */
export interface RequirementState {
  requirement: string;
  passed: number;
  tests: number;
  firstFailure?: RanTest;
}

/** One exercise's state after a run: only exercises whose test files ran are listed. */
export interface ExerciseState {
  id: number;
  title: string;
  hints: string;
  requirements: RequirementState[];
  /** Failing tests of given code (titles like `R2.x given: …`) or with no requirement of this exercise. */
  otherFailures: RanTest[];
  /** Why a test file of this exercise could not be loaded (its tests did not run). */
  loadError?: string;
}

/** Whether an error comes from a stub not written yet: a NotImplementedError, also inside an assertion or as a cause. */
export function isStubError(error: unknown): boolean {
  for (let e = error as { name?: string; message?: string; cause?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    if (e.name === "NotImplementedError" || /NotImplementedError|not implemented yet/.test(String(e.message ?? ""))) return true;
  }
  return false;
}

const done = (r: RequirementState) => r.tests > 0 && r.passed === r.tests;

/** Groups the tests that ran by exercise and requirement (by grading.json's test files and requirement IDs). */
export function exerciseStates(config: GradingConfig, root: string, tests: RanTest[]): ExerciseState[] {
  const rel = (file: string) => path.relative(root, path.resolve(root, file)).split(path.sep).join("/");
  const states: ExerciseState[] = [];
  for (const ex of config.exercises) {
    const files = new Set(ex.tests.map(rel));
    const mine = tests.filter((t) => files.has(rel(t.file)));
    if (mine.length === 0) continue;
    const requirements = Object.keys(ex.requirements).map((requirement) => {
      const own = mine.filter((t) => requirementOf(t.title) === requirement);
      return { requirement, passed: own.filter((t) => t.passed).length, tests: own.length, firstFailure: own.find((t) => !t.passed) };
    });
    const graded = (t: RanTest) => (requirementOf(t.title) ?? "") in ex.requirements;
    const loadFailure = mine.find((t) => !t.passed && t.title.startsWith(LOAD_FAILED));
    const otherFailures = mine.filter((t) => !t.passed && !graded(t) && t !== loadFailure);
    states.push({ id: ex.id, title: ex.title, hints: ex.hints, requirements, otherFailures, loadError: loadFailure && `${loadFailure.title.slice(LOAD_FAILED.length + 2)}: ${loadFailure.message}` });
  }
  return states;
}

/** "Exercise 2: 3/5 requirements  ✔ R2.1  ✔ R2.2  ✘ R2.3  ✔ R2.4  ✘ R2.5" (requirements whose tests did not run are marked ·). */
export function formatExerciseLine(ex: ExerciseState): string {
  if (ex.loadError && ex.requirements.every((r) => r.tests === 0)) return `Exercise ${ex.id}: ⚠ its tests did not load (see above)`;
  const ran = ex.requirements.filter((r) => r.tests > 0);
  const marks = ex.requirements.map((r) => `${r.tests === 0 ? "·" : done(r) ? "✔" : "✘"} ${r.requirement}`).join("  ");
  const count = ran.length === ex.requirements.length ? `${ran.filter(done).length}/${ex.requirements.length} requirements` : `${ran.filter(done).length}/${ran.length} requirements run`;
  return `Exercise ${ex.id}: ${count}  ${marks}`;
}

const firstLine = (text: string, max = 300) => {
  const line = (text.split("\n").find((l) => l.trim()) ?? "").trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
};

/**
 * The next step: the first unfinished requirement of the focused exercise (or of the first unfinished one), with
 * its first failing test, what came, where the hint is and how to re-run just that exercise.
 */
export function formatNextStep(states: ExerciseState[], focus?: number): string | undefined {
  const unfinished = (ex: ExerciseState) => ex.loadError !== undefined || ex.requirements.some((r) => r.tests > 0 && !done(r));
  const ex = states.find((s) => s.id === focus && unfinished(s)) ?? states.find(unfinished);
  if (!ex) return undefined;
  if (ex.loadError) {
    return [`Next: make Exercise ${ex.id}'s tests load — ${firstLine(ex.loadError)}`, `      (npm run build or npm run typecheck shows every error with its line)`].join("\n");
  }
  const next = ex.requirements.find((r) => r.tests > 0 && !done(r))!;
  const failure = next.firstFailure!;
  return [
    `Next: ${next.requirement} (${next.passed}/${next.tests} tests pass) — ${failure.title}`,
    `      ${firstLine(failure.message) || "failed"}`,
    `Hint: ${ex.hints || "the exercise's docs"} (${next.requirement}); re-run this exercise alone: npm test -- ${ex.id}`,
  ].join("\n");
}

/** The block `npm test` ends with: one line per exercise that ran, then the next step (or a well-done line). */
export function formatVerdict(states: ExerciseState[], options: { focus?: number; build?: string; others?: string } = {}): string {
  const lines = ["", "─".repeat(72), ...states.map(formatExerciseLine)];
  const given = states.flatMap((s) => s.otherFailures);
  if (given.length > 0) lines.push(`⚠ ${given.length} test(s) of code you were given fail (see above): first ${given[0].title}`);
  if (options.others) lines.push(options.others);
  const next = formatNextStep(states, options.focus);
  if (next) lines.push("", next);
  else if (states.length > 0) lines.push("", "Every requirement whose tests ran passes. `npm run grade` shows your points.");
  if (options.build) lines.push("", options.build);
  return lines.join("\n");
}
