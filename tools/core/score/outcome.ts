/**
 * What the *score* step reads: one outcome per test, grouped by exercise. Every runner (the grader's sandboxed
 * children, `npm test`'s reporter, watch mode's worker) reaches the score through one of the small adapters in
 * adapt.ts, so the runners keep their own shapes.
 */
import type { TestStatus } from "../result";

/** One test's outcome, as any runner saw it. */
export interface TestOutcome {
  /** The test's own title, which starts with its requirement ID. */
  title: string;
  /** The test file, relative to the project root or absolute. */
  file: string;
  status: TestStatus;
  /** Why it failed; empty when it passed. */
  message: string;
  durationMs?: number;
  /** It stopped at a stub not written yet (a NotImplementedError). */
  stub?: boolean;
  /** From a hidden test file; also derived from grading.json's `hiddenTests` when not set. */
  hidden?: boolean;
}

/** Everything one exercise's run gave. */
export interface ExerciseOutcomes {
  /** The exercise's ID in grading.json. */
  exercise: number;
  tests: TestOutcome[];
  /** Why its test files did not load, when they did not (the tests then did not run). */
  loadError?: string;
  /** What went wrong beyond single tests: `tampered`, `timeout`, `crashed`, `memory`. */
  flags?: string[];
}
