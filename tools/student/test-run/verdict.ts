/**
 * The adapter from `npm test`'s reporter (and watch mode's worker) to the grading core: the tests that ran, as
 * {@link RanTest}s, become a GradeResult (tools/core/score) and the verdict block (tools/core/report/feedback.ts).
 */
import type { GradingConfig } from "../../core/config";
import { formatVerdict } from "../../core/report/feedback";
import type { GradeResult } from "../../core/result";
import { fromRanTests, LOAD_FAILED } from "../../core/score/adapt";
import { scoreOutcomes } from "../../core/score/score";

export { LOAD_FAILED };

/** One test that ran, as the verdict needs it. */
export interface RanTest {
  title: string;
  /** The test file, absolute or relative to the project root. */
  file: string;
  passed: boolean;
  /** The failure's first line; empty for a pass. */
  message: string;
  /** It stopped at a stub not written yet. */
  stub?: boolean;
}

/** Whether an error comes from a stub not written yet: a NotImplementedError, also inside an assertion or as a cause. */
export function isStubError(error: unknown): boolean {
  for (let e = error as { name?: string; message?: string; cause?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    if (e.name === "NotImplementedError" || /NotImplementedError|not implemented yet/.test(String(e.message ?? ""))) return true;
  }
  return false;
}

/** The result of the exercises whose test files ran (points are not shown by npm test; the progress is). */
export function resultOf(config: GradingConfig, root: string, tests: RanTest[]): GradeResult {
  return scoreOutcomes(config, fromRanTests(config, root, tests), { root });
}

/** The block `npm test` ends with, or undefined when no exercise's tests ran and there is nothing else to say. */
export function verdictOf(config: GradingConfig, root: string, tests: RanTest[], options: { build?: string; others?: string } = {}): string | undefined {
  const result = resultOf(config, root, tests);
  if (result.exercises.length === 0 && !options.build && !options.others) return undefined;
  return formatVerdict(result, { focus: result.exercises.length === 1 ? result.exercises[0].id : undefined, ...options });
}
