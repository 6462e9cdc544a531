/** The `text` format: the grade table, one block per exercise, one line per requirement, then the total. */
import type { GradeResult } from "../result";
import { requirementDone } from "../score/score";
import { firstLine, fmtPoints, hiddenNote } from "./points";

const WIDTH = 72;
const right = (head: string, points: number, max: number, flags: string[] = []) =>
  `${head.padEnd(WIDTH - 12)}${`${fmtPoints(points)} / ${fmtPoints(max)}`.padStart(12)}${flags.length ? `  ${flags.join(" ")}` : ""}`;

/** The grade table; with hidden tests that did not run, a last line says how many points they carry. */
export function formatTable(result: GradeResult): string {
  const lines: string[] = [];
  for (const ex of result.exercises) {
    lines.push(right(`Exercise ${ex.id} — ${ex.title}`, ex.points, ex.maxPoints, ex.flags));
    if (ex.loadError) {
      const [first, second] = ex.loadError.split("\n").filter((l) => l.trim());
      lines.push(`  ⚠ the tests could not be loaded: ${firstLine([first, second].filter(Boolean).join(" "), 110)}`);
    }
    for (const r of result.requirements.filter((q) => q.exercise === ex.id)) {
      const passed = r.tests.filter((t) => t.status === "passed").length;
      const tests = (ex.loadError && r.tests.length === 0 ? "not loaded" : `${passed}/${r.tests.length} tests`).padEnd(12);
      lines.push(`  ${requirementDone(r) ? "✔" : "✘"} ${r.id.padEnd(6)} ${tests} ${`${fmtPoints(r.points)} / ${fmtPoints(r.maxPoints)}`.padStart(12)}`);
    }
    // Tests of given code ("R2.x given: …") carry no points by design; any other title naming no requirement is a
    // test the instructor forgot to name.
    const unnamed = (ex.ungraded ?? []).filter((t) => !new RegExp(`^R${ex.id}\\.x given\\b`).test(t.name));
    if (unnamed.length > 0) lines.push(`  (${unnamed.length} test(s) in these files name no requirement of this exercise and are not graded)`);
    lines.push("");
  }
  // An exercise's flags are on its own line; the total repeats only those of the submission as a whole.
  const shown = new Set(result.exercises.flatMap((ex) => ex.flags));
  lines.push(right("Total", result.points, result.maxPoints, result.flags.filter((f) => !shown.has(f))));
  const hidden = hiddenNote(result);
  if (hidden) lines.push(hidden);
  if (result.error) lines.push(`Not graded: ${firstLine(result.error, 400)}`);
  return lines.join("\n");
}
