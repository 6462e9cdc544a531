/**
 * The one result type of the grading core (issue 19): *run* gives test outcomes, *score* turns them into a
 * {@link GradeResult}, and every *report* format (text, json, gradescope, classroom50, prairielearn, junit,
 * github-summary) renders a GradeResult and nothing else. Its JSON is `grade.json` in student mode and the
 * per-submission report in instructor and class mode (the gradebook reads it).
 */

/** How one test ended. `not-run`: never reached (a time limit, a crash before it, its file did not load). */
export type TestStatus = "passed" | "failed" | "timeout" | "crashed" | "not-run";

/** One graded test. */
export interface TestResult {
  /** The test's title; it starts with its requirement ID. */
  name: string;
  status: TestStatus;
  /** Why it failed, at most 2,000 characters; empty when it passed. */
  message: string;
  /** Points earned: its part of the requirement's points (see score.ts), 0 unless passed. */
  points: number;
  maxPoints: number;
  /** From a hidden test file (issue 22): graded, never shipped to students; formats show no input of it. */
  hidden: boolean;
  /** It stopped at a stub not written yet (a NotImplementedError), so feedback shows ⏳ rather than ✘. */
  stub?: boolean;
  durationMs?: number;
}

/** One requirement: its points, and every graded test that names it. */
export interface RequirementResult {
  /** e.g. "R2.3". */
  id: string;
  exercise: number;
  points: number;
  maxPoints: number;
  tests: TestResult[];
}

/** One exercise. */
export interface ExerciseResult {
  id: number;
  title: string;
  /** Where the hints live, e.g. "docs/exercise-2.md#hints". */
  hints: string;
  points: number;
  maxPoints: number;
  /** e.g. `compile-error`, `timeout`, `crashed`, `memory`, `tampered`. */
  flags: string[];
  /** Why its test files did not load (the student's error, with file and line), when they did not. */
  loadError?: string;
  /**
   * Tests in its files whose title names no requirement of this exercise: never graded (0 points). Titles like
   * `R2.x given: …` test code the student was given; any other is a test the instructor forgot to name.
   */
  ungraded?: TestResult[];
}

/** The grade of one submission (or of the student's own checkout). */
export interface GradeResult {
  /** The folder graded, as given on the command line ("." in student mode). */
  submission: string;
  points: number;
  maxPoints: number;
  /** Of `maxPoints`, the points carried by hidden tests (0 when the config has none). */
  hiddenMaxPoints: number;
  /** Whether hidden tests ran (false in the student's repository, which has none). */
  hiddenRan: boolean;
  /** The union of the exercises' flags, plus submission-wide ones (`too-large`, `protected-files-changed` …). */
  flags: string[];
  durationMs: number;
  exercises: ExerciseResult[];
  requirements: RequirementResult[];
  /** Set when the submission could not be graded at all (every requirement is then at 0). */
  error?: string;
}
