/**
 * The *score* step of the grading core (issue 19): test outcomes + grading.json → a {@link GradeResult}. One model
 * for every command: `npm test`'s verdict, watch mode, `npm run grade` (student, `--submission`, `--class`) and teeth.
 *
 * - A requirement's points are shared among the tests that name it (split.ts: visible and hidden tests apart), so
 *   partial work earns partial credit; a requirement with no test that ran earns nothing.
 * - Tampering anywhere (a canary test with the wrong result, a locked global replaced) zeroes the whole submission.
 * - A load error costs only its exercise, flagged `compile-error`, `timeout` or `crashed`.
 */
import * as path from "node:path";
import { requirementOf, type ExerciseConfig, type GradingConfig } from "../config";
import type { ExerciseResult, GradeResult, RequirementResult, TestResult } from "../result";
import type { ExerciseOutcomes, TestOutcome } from "./outcome";
import { roundPoints, shares } from "./split";

/** How to score. */
export interface ScoreOptions {
  /** The folder graded, as given on the command line; "." by default. */
  submission?: string;
  durationMs?: number;
  /**
   * Whether hidden test files were there to run. By default: whether any outcome is hidden, or, with no outcome
   * at all, whether the config lists no hidden test.
   */
  hiddenRan?: boolean;
  /** Submission-wide flags (`too-large`, `unsandboxed` …). */
  flags?: string[];
  /** The folder test files are relative to; the current directory by default. */
  root?: string;
}

/** The flags an exercise's run earned: its runner's flags plus `compile-error`, `timeout` or `crashed` for a load error. */
export function exerciseFlags(run: Pick<ExerciseOutcomes, "flags" | "loadError">): string[] {
  const flags = new Set(run.flags ?? []);
  if (run.loadError) flags.add(/TSError|SyntaxError|Unable to compile|error TS\d+/.test(run.loadError) ? "compile-error" : /^timed out/.test(run.loadError) ? "timeout" : "crashed");
  return [...flags].sort();
}

/** The exercises a command line selects: all, or the ones whose IDs are listed. */
export function selectExercises(config: GradingConfig, ids: number[]): ExerciseConfig[] {
  if (ids.length === 0) return config.exercises;
  return ids.map((id) => {
    const found = config.exercises.find((ex) => ex.id === id);
    if (!found) throw new RangeError(`expected an exercise number among ${config.exercises.map((ex) => ex.id).join(", ")}, got ${id}`);
    return found;
  });
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

function testResult(t: TestOutcome, hidden: boolean, share: number, zero: boolean): TestResult {
  const points = t.status === "passed" && !zero ? share : 0;
  const result: TestResult = { name: t.title, status: t.status, message: t.message, points: roundPoints(points), maxPoints: roundPoints(share), hidden };
  if (t.stub) result.stub = true;
  if (t.durationMs !== undefined) result.durationMs = t.durationMs;
  return result;
}

/**
 * Scores the outcomes of the exercises that ran (in the order given) against grading.json.
 * @throws RangeError when an outcome names an exercise the config does not have
 */
export function scoreOutcomes(config: GradingConfig, runs: ExerciseOutcomes[], options: ScoreOptions = {}): GradeResult {
  const root = options.root ?? process.cwd();
  const rel = (file: string) => path.relative(root, path.resolve(root, file)).split(path.sep).join("/");
  const hiddenShare = config.hiddenShare ?? 0;
  const configured = (ex: ExerciseConfig) => new Set((ex.hiddenTests ?? []).map(rel));
  const isHidden = (t: TestOutcome, files: Set<string>) => t.hidden ?? files.has(rel(t.file));
  const hiddenRan =
    options.hiddenRan ??
    (runs.some((r) => r.tests.length > 0) ? runs.some((r) => r.tests.some((t) => isHidden(t, configured(exerciseOf(config, r.exercise))))) : false);
  const tampered = runs.some((r) => r.flags?.includes("tampered"));
  const exercises: ExerciseResult[] = [];
  const requirements: RequirementResult[] = [];
  let hiddenMaxPoints = 0;
  for (const run of runs) {
    const ex = exerciseOf(config, run.exercise);
    const hiddenFiles = configured(ex);
    const mine: RequirementResult[] = [];
    for (const [id, maxPoints] of Object.entries(ex.requirements)) {
      const own = run.tests.filter((t) => requirementOf(t.title) === id);
      const hidden = own.filter((t) => isHidden(t, hiddenFiles));
      const visible = own.filter((t) => !isHidden(t, hiddenFiles));
      // Where hidden files could not be seen, a requirement of an exercise that lists some is taken to have some.
      const hasHidden = hidden.length > 0 || (hiddenFiles.size > 0 && !(hiddenRan && run.tests.length > 0));
      const share = shares(maxPoints, visible.length, hidden.length, hiddenShare, hasHidden);
      hiddenMaxPoints += share.hiddenPoints;
      const tests = own.map((t) => (isHidden(t, hiddenFiles) ? testResult(t, true, share.hidden, tampered) : testResult(t, false, share.visible, tampered)));
      const earned = tampered ? 0 : sum(own.map((t) => (t.status !== "passed" ? 0 : isHidden(t, hiddenFiles) ? share.hidden : share.visible)));
      mine.push({ id, exercise: ex.id, points: roundPoints(earned), maxPoints, tests });
    }
    const ungraded = run.tests.filter((t) => !((requirementOf(t.title) ?? "") in ex.requirements)).map((t) => testResult(t, isHidden(t, hiddenFiles), 0, true));
    const result: ExerciseResult = {
      id: ex.id,
      title: ex.title,
      hints: ex.hints,
      points: roundPoints(sum(mine.map((r) => r.points))),
      maxPoints: sum(mine.map((r) => r.maxPoints)),
      flags: exerciseFlags(run),
    };
    if (run.loadError !== undefined) result.loadError = run.loadError;
    if (ungraded.length > 0) result.ungraded = ungraded;
    exercises.push(result);
    requirements.push(...mine);
  }
  const flags = new Set([...exercises.flatMap((ex) => ex.flags), ...(options.flags ?? [])]);
  return {
    submission: options.submission ?? ".",
    points: roundPoints(sum(exercises.map((ex) => ex.points))),
    maxPoints: sum(exercises.map((ex) => ex.maxPoints)),
    hiddenMaxPoints: roundPoints(hiddenMaxPoints),
    hiddenRan,
    flags: [...flags].sort(),
    durationMs: options.durationMs ?? 0,
    exercises,
    requirements,
  };
}

/**
 * The result of a submission that could not be graded at all (the grader crashed or ran out of time): every
 * requirement at 0, `flag` on every exercise, and the reason.
 */
export function ungradable(config: GradingConfig, submission: string, flag: string, error: string, durationMs = 0): GradeResult {
  const result = scoreOutcomes(
    config,
    config.exercises.map((ex) => ({ exercise: ex.id, tests: [], flags: [flag] })),
    { submission, durationMs, hiddenRan: false },
  );
  return { ...result, error };
}

function exerciseOf(config: GradingConfig, id: number): ExerciseConfig {
  const found = config.exercises.find((ex) => ex.id === id);
  if (!found) throw new RangeError(`expected an exercise of grading.json (${config.exercises.map((ex) => ex.id).join(", ")}), got ${id}`);
  return found;
}

/** Whether a requirement is done: some of its tests ran and all of them passed. */
export function requirementDone(r: RequirementResult): boolean {
  return r.tests.length > 0 && r.tests.every((t) => t.status === "passed");
}
