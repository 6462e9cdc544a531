import { requirementOf, type ExerciseConfig, type GradingConfig } from "./config";
import type { ExerciseRun, TestStatus } from "./runExercise";

/** One graded test in the report (`grade.json`). */
export interface GradedTest {
  name: string;
  exercise: number;
  requirement: string;
  status: TestStatus | "load error";
  /** Points this test earned: its requirement's points shared equally among the requirement's tests. */
  points: number;
  maxPoints: number;
  message: string;
  durationMs: number;
}

/** One requirement's line in the table. */
export interface RequirementScore {
  requirement: string;
  passed: number;
  tests: number;
  points: number;
  maxPoints: number;
  /** The first failing test's message, if any. */
  firstFailure?: string;
}

/** Whether a requirement is done: it has tests and all of them pass. */
export function requirementDone(r: RequirementScore): boolean {
  return r.tests > 0 && r.passed === r.tests;
}

/** How many of an exercise's requirements are done. */
export function requirementsDone(ex: ExerciseScore): number {
  return ex.requirements.filter(requirementDone).length;
}

/** One exercise's block in the table. */
export interface ExerciseScore {
  id: number;
  title: string;
  hints: string;
  requirements: RequirementScore[];
  points: number;
  maxPoints: number;
  loadError?: string;
  /** Tests in the exercise's files whose title names no requirement of this exercise (never graded). */
  ungraded: string[];
}

/** The whole report. */
export interface GradeReport {
  version: 1;
  points: number;
  maxPoints: number;
  exercises: ExerciseScore[];
  tests: GradedTest[];
}

const round = (n: number) => Math.round(n * 100) / 100;

/**
 * Scores one exercise's run: each requirement's points are shared equally among its tests, so partial work earns
 * partial credit; a requirement with no test found earns nothing.
 */
export function scoreExercise(exercise: ExerciseConfig, run: ExerciseRun): { score: ExerciseScore; tests: GradedTest[] } {
  const tests: GradedTest[] = [];
  const requirements: RequirementScore[] = [];
  const ungraded = run.tests
    .filter((t) => {
      const requirement = requirementOf(t.title);
      return requirement === undefined || !(requirement in exercise.requirements);
    })
    .map((t) => t.title);
  for (const [requirement, maxPoints] of Object.entries(exercise.requirements)) {
    const mine = run.tests.filter((t) => requirementOf(t.title) === requirement);
    const share = mine.length > 0 ? maxPoints / mine.length : 0;
    if (mine.length === 0) {
      const message = run.loadError ? `the tests could not be loaded: ${run.loadError}` : `no test found whose title starts with ${requirement}`;
      tests.push({ name: `${requirement} (no tests ran)`, exercise: exercise.id, requirement, status: run.loadError ? "load error" : "not run", points: 0, maxPoints, message, durationMs: 0 });
    }
    for (const t of mine) {
      const points = t.status === "passed" ? share : 0;
      tests.push({ name: t.title, exercise: exercise.id, requirement, status: t.status, points: round(points), maxPoints: round(share), message: t.message, durationMs: t.durationMs });
    }
    const passed = mine.filter((t) => t.status === "passed").length;
    const firstFailure = tests.find((t) => t.requirement === requirement && t.status !== "passed");
    requirements.push({
      requirement,
      passed,
      tests: mine.length,
      points: round(passed * share),
      maxPoints,
      firstFailure: firstFailure && `${firstFailure.name}: ${firstFailure.message}`,
    });
  }
  const points = round(requirements.reduce((sum, r) => sum + r.points, 0));
  const maxPoints = requirements.reduce((sum, r) => sum + r.maxPoints, 0);
  return { score: { id: exercise.id, title: exercise.title, hints: exercise.hints, requirements, points, maxPoints, loadError: run.loadError, ungraded }, tests };
}

/** Puts exercise scores together into the report. */
export function buildReport(scored: { score: ExerciseScore; tests: GradedTest[] }[]): GradeReport {
  return {
    version: 1,
    points: round(scored.reduce((sum, s) => sum + s.score.points, 0)),
    maxPoints: scored.reduce((sum, s) => sum + s.score.maxPoints, 0),
    exercises: scored.map((s) => s.score),
    tests: scored.flatMap((s) => s.tests),
  };
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
