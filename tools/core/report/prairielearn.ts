/**
 * PrairieLearn's external-grader `results.json` (PrairieLearn `docs/externalGrading.md`, commit ae1ddf8d): `score`
 * in [0, 1] (points over max points), one test per entry of {@link entriesOf} with fractional `points` and
 * `max_points`, `message` (the first failing test and the hint link) and `output`. A result that could not be
 * graded because of a compile error is `gradable: false` with the reason in `format_errors` (PrairieLearn then
 * neither awards nor takes points and does not count the attempt); any other ungradable result (a time limit, a
 * crash) is gradable with score 0. Both still list every entry at 0 with the reason.
 */
import type { GradeResult } from "../result";
import { entriesOf, summaryOf } from "./entries";
import type { ReportFormat } from "./format";

function render(result: GradeResult, env: NodeJS.ProcessEnv): string {
  const entries = entriesOf(result, env);
  const gradable = !(result.error && result.flags.includes("compile-error"));
  const score = result.error || result.maxPoints === 0 ? 0 : Math.min(1, Math.max(0, result.points / result.maxPoints));
  const results = {
    gradable,
    ...(gradable ? {} : { format_errors: [result.error as string] }),
    score: Math.round(score * 10000) / 10000,
    message: summaryOf(result),
    tests: entries.map((e) => ({
      name: e.name,
      description: `Exercise ${e.exercise}${e.exerciseTitle ? ` — ${e.exerciseTitle}` : ""}${e.hidden ? " (hidden tests)" : ""}`,
      points: e.points,
      max_points: e.maxPoints,
      message: e.message,
      output: `${e.passedTests}/${e.tests} tests pass`,
    })),
  };
  return `${JSON.stringify(results, null, 2)}\n`;
}

/** The PrairieLearn format; the image's entrypoint writes it to `/grade/results/results.json`. */
export const prairielearn: ReportFormat = { defaultFile: "results.json", render };
