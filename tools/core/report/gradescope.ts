/**
 * Gradescope's `results.json` (gradescope/autograder_samples `docs/specs.md`, commit 47aed8f8): one test per entry of
 * {@link entriesOf} (a requirement, or its hidden part) with fractional `score` and `max_score`, `status`, `output`
 * (the first failing test and the hint link) and `visibility`. Hidden parts are `after_due_date`, or what
 * `GRADESCOPE_HIDDEN_VISIBILITY` names (`hidden`, `after_due_date`, `after_published`, `visible`). An ungradable
 * result still lists every entry, at 0, with the reason in `output`.
 */
import type { GradeResult } from "../result";
import { entriesOf, summaryOf } from "./entries";
import type { ReportFormat } from "./format";

const VISIBILITIES = ["hidden", "after_due_date", "after_published", "visible"] as const;
type Visibility = (typeof VISIBILITIES)[number];

/** Thrown when GRADESCOPE_HIDDEN_VISIBILITY is not one of Gradescope's visibility settings. */
export class VisibilityError extends Error {
  override name = "VisibilityError";
}

/** The visibility of hidden-test entries: `after_due_date` unless the environment names another. */
export function hiddenVisibility(env: NodeJS.ProcessEnv): Visibility {
  const value = env.GRADESCOPE_HIDDEN_VISIBILITY ?? "after_due_date";
  if (!(VISIBILITIES as readonly string[]).includes(value)) {
    throw new VisibilityError(`GRADESCOPE_HIDDEN_VISIBILITY: expected one of ${VISIBILITIES.join(", ")}, got ${JSON.stringify(value)}`);
  }
  return value as Visibility;
}

function render(result: GradeResult, env: NodeJS.ProcessEnv): string {
  const hidden = hiddenVisibility(env);
  const entries = entriesOf(result, env);
  const tests = entries.map((e) => ({
    name: e.name,
    number: e.requirement.replace(/^R/, "") + (e.hidden ? ".h" : ""),
    score: e.points,
    max_score: e.maxPoints,
    status: e.passed ? "passed" : "failed",
    output: e.passed ? `${e.passedTests}/${e.tests} tests pass` : `${e.passedTests}/${e.tests} tests pass\n${e.message}`,
    tags: [`exercise ${e.exercise}`, ...(e.hidden ? ["hidden"] : [])],
    visibility: e.hidden ? hidden : ("visible" as Visibility),
  }));
  const results = {
    score: result.error ? 0 : Math.round(result.points * 100) / 100,
    execution_time: Math.round(result.durationMs / 1000),
    output: summaryOf(result),
    tests,
  };
  return `${JSON.stringify(results, null, 2)}\n`;
}

/** The Gradescope format; `run_autograder` writes it to `/autograder/results/results.json`. */
export const gradescope: ReportFormat = { defaultFile: "results.json", render };
