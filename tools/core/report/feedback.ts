/**
 * The feedback lines every student command shares (`npm test`'s verdict, watch mode's screen): one progress line per
 * exercise and the next step, read from a {@link GradeResult}.
 */
import type { ExerciseResult, GradeResult, RequirementResult } from "../result";
import { requirementDone } from "../score/score";
import { firstLine, hiddenNote } from "./points";

const requirementsOf = (result: GradeResult, ex: ExerciseResult) => result.requirements.filter((r) => r.exercise === ex.id);

/**
 * "Exercise 2: 3/5 requirements  ✔ R2.1  ✔ R2.2  ✘ R2.3  ✔ R2.4  ✘ R2.5" (requirements whose tests did not run: ·), or
 * "Exercise 2: ⚠ its tests did not load: <the error's first line>" (watch mode clears the screen, so the line says why).
 */
export function formatProgress(result: GradeResult, ex: ExerciseResult): string {
  const requirements = requirementsOf(result, ex);
  if (ex.loadError && requirements.every((r) => r.tests.length === 0)) return `Exercise ${ex.id}: ⚠ its tests did not load: ${firstLine(ex.loadError, 160)}`;
  const ran = requirements.filter((r) => r.tests.length > 0);
  const marks = requirements.map((r) => `${r.tests.length === 0 ? "·" : requirementDone(r) ? "✔" : "✘"} ${r.id}`).join("  ");
  const done = ran.filter(requirementDone).length;
  const count = ran.length === requirements.length ? `${done}/${requirements.length} requirements` : `${done}/${ran.length} requirements run`;
  return `Exercise ${ex.id}: ${count}  ${marks}`;
}

/** How to go on from the next step: re-run just that exercise (npm test), or nothing (watch mode re-runs by itself). */
export interface NextStepOptions {
  /** The exercise worked on: its next step comes first while it is unfinished. */
  focus?: number;
  /** Add "re-run this exercise alone: npm test -- N" to the hint line. */
  rerun?: boolean;
}

/**
 * The next step: the first unfinished requirement of the focused exercise (or of the first unfinished one), with
 * its first failing test, what came, and where the hint is; undefined when every requirement that ran passes.
 */
export function formatNextStep(result: GradeResult, options: NextStepOptions = {}): string | undefined {
  const pending = (ex: ExerciseResult) => requirementsOf(result, ex).find((r) => r.tests.length > 0 && !requirementDone(r));
  const unfinished = (ex: ExerciseResult) => ex.loadError !== undefined || pending(ex) !== undefined;
  const ex = result.exercises.find((e) => e.id === options.focus && unfinished(e)) ?? result.exercises.find(unfinished);
  if (!ex) return undefined;
  if (ex.loadError) {
    // A compile error has company (npm run build lists every one); anything else was thrown while the file loaded.
    const compile = /TSError|Unable to compile|SyntaxError|error TS\d+/.test(ex.loadError);
    const how = compile ? "(npm run build or npm run typecheck shows every error with its line)" : "(your code threw this while the test file loaded it: the file and line are in brackets)";
    return [`Next: make Exercise ${ex.id}'s tests load — ${firstLine(ex.loadError)}`, `      ${how}`].join("\n");
  }
  const next = pending(ex) as RequirementResult;
  const failure = next.tests.find((t) => t.status !== "passed")!;
  const passed = next.tests.filter((t) => t.status === "passed").length;
  return [
    `Next: ${next.id} (${passed}/${next.tests.length} tests pass) — ${failure.name}`,
    `      ${firstLine(failure.message) || failure.status}`,
    `Hint: ${ex.hints || "the exercise's docs"} (${next.id})${options.rerun ? `; re-run this exercise alone: npm test -- ${ex.id}` : ""}`,
  ].join("\n");
}

/** The line said when every requirement whose tests ran passes. */
export const ALL_PASS = "Every requirement whose tests ran passes. `npm run grade` shows your points.";

/** The block `npm test` ends with: one line per exercise that ran, then the next step (or a well-done line). */
export function formatVerdict(result: GradeResult, options: { focus?: number; build?: string; others?: string } = {}): string {
  const lines = ["", "─".repeat(72), ...result.exercises.map((ex) => formatProgress(result, ex))];
  const given = result.exercises.flatMap((ex) => ex.ungraded ?? []).filter((t) => t.status !== "passed");
  if (given.length > 0) lines.push(`⚠ ${given.length} test(s) of code you were given fail (see above): first ${given[0].name}`);
  if (options.others) lines.push(options.others);
  const hidden = hiddenNote(result);
  if (hidden) lines.push(hidden);
  const next = formatNextStep(result, { focus: options.focus, rerun: true });
  if (next) lines.push("", next);
  else if (result.exercises.length > 0) lines.push("", ALL_PASS);
  if (options.build) lines.push("", options.build);
  return lines.join("\n");
}
