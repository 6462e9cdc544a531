/**
 * What the grading core's *run* step gives: one outcome per test. The mocha driver (driver.ts) reports
 * `passed`/`failed`/`pending`; the runners around it (plain child, grader sandbox) add what only they can see:
 * `timeout`, `crashed` (the process stopped during the test) and `not run`.
 */

/** How one test ended. */
export type OutcomeStatus = "passed" | "failed" | "pending" | "timeout" | "crashed" | "not run";

/** A test found in the test files, before it runs. */
export interface PlannedTest {
  /** Unique within one run: the test file (relative to the working directory) and the full title. */
  id: string;
  /** The test's own title, which starts with its requirement ID. */
  title: string;
  /** The test file, absolute. */
  file: string;
}

/** One test's outcome. */
export interface TestOutcome extends PlannedTest {
  status: OutcomeStatus;
  /** Why it failed (the error's name and message, at most a few thousand characters); empty when it passed. */
  message: string;
  /** It reached a stub not written yet: a NotImplementedError in the error or its cause chain. */
  stub: boolean;
  durationMs: number;
}

/** A test file that threw while loading: its tests did not run, the other files' tests did. */
export interface LoadFailure {
  /** The test file, absolute. */
  file: string;
  /** The error as itself (`Error: boom`), with the student's file and line where the stack names one. */
  message: string;
}

/** How a graded test ended: a pending (skipped) test counts as failed. */
export type GradedStatus = Exclude<OutcomeStatus, "pending">;

/** One test's outcome in an exercise's run. */
export interface GradedOutcome extends Omit<TestOutcome, "status" | "stub"> {
  status: GradedStatus;
  /** As in {@link TestOutcome}; absent where the runner could not tell (a test stopped with its process). */
  stub?: boolean;
}

/** Everything one exercise's run gave, whichever runner ran it (plain child or grader sandbox). */
export interface ExerciseRun {
  tests: GradedOutcome[];
  /** Set when the test files could not even be loaded (a syntax error, a throw at import time…). */
  loadError?: string;
  /** The last part of what the test processes printed, for diagnosis; never parsed. */
  outputTail: string;
  /** How many processes it took (more than one after a crash, a timeout or a re-run in isolation). */
  processes: number;
  /** What went wrong beyond single tests: `tampered`, `timeout`, `crashed`, `memory`. */
  flags?: string[];
  /** Why `tampered` was flagged (a canary with the wrong result, a locked global replaced…). */
  tampering?: string[];
}
