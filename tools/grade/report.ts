import { requirementDone, requirementsDone, type ExerciseScore, type GradeReport } from "./score";

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2));

function shorten(text: string, max: number): string {
  const line = text.split("\n")[0] ?? "";
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** The grade table: one block per exercise, one line per requirement, then the total. */
export function formatTable(report: GradeReport): string {
  const lines: string[] = [];
  const width = 72;
  for (const ex of report.exercises) {
    const head = `Exercise ${ex.id} — ${ex.title}`;
    lines.push(`${head.padEnd(width - 12)}${`${fmt(ex.points)} / ${fmt(ex.maxPoints)}`.padStart(12)}`);
    if (ex.loadError) {
      const [first, second] = ex.loadError.split("\n").filter((l) => l.trim());
      lines.push(`  ⚠ the tests could not be loaded: ${shorten([first, second].filter(Boolean).join(" "), 110)}`);
    }
    for (const r of ex.requirements) {
      const mark = requirementDone(r) ? "✔" : "✘";
      const tests = (ex.loadError ? "not loaded" : `${r.passed}/${r.tests} tests`).padEnd(12);
      lines.push(`  ${mark} ${r.requirement.padEnd(6)} ${tests} ${`${fmt(r.points)} / ${fmt(r.maxPoints)}`.padStart(12)}`);
    }
    // Tests of given code ("R2.x given: …") carry no points by design; any other title naming no requirement is a
    // test the instructor forgot to name.
    const unnamed = ex.ungraded.filter((title) => !new RegExp(`^R${ex.id}\\.x given\\b`).test(title));
    if (unnamed.length > 0) lines.push(`  (${unnamed.length} test(s) in these files name no requirement of this exercise and are not graded)`);
    lines.push("");
  }
  lines.push(`${"Total".padEnd(width - 12)}${`${fmt(report.points)} / ${fmt(report.maxPoints)}`.padStart(12)}`);
  return lines.join("\n");
}

/** Requirements passed per exercise, as watch mode shows them: "Exercise 2: 3/5 requirements". */
export function formatProgress(ex: ExerciseScore): string {
  return `Exercise ${ex.id}: ${requirementsDone(ex)}/${ex.requirements.length} requirements`;
}

/** The first requirement of an exercise that is not done yet, with its first failure and where its hints are. */
export function formatNextStep(ex: ExerciseScore): string | undefined {
  const next = ex.requirements.find((r) => !requirementDone(r));
  if (!next) return undefined;
  const why = ex.loadError ? `the tests could not be loaded: ${ex.loadError}` : (next.firstFailure ?? "no test ran");
  return [`Next: ${next.requirement} — ${shorten(why, 400)}`, `Hint: ${ex.hints || "see the exercise's docs"} (${next.requirement})`].join("\n");
}

/** One runner's result in GitHub Classroom's format (what its autograding-grading-reporter reads). */
export interface ClassroomResult {
  version: 1;
  status: "pass" | "fail" | "error";
  max_score: number;
  tests: { name: string; status: "pass" | "fail" | "error"; message: string; score: number; execution_time: string; test_code: string; filename: string; line_no: number }[];
}

/**
 * Converts the report into GitHub Classroom's runner format, one test per requirement carrying its partial score,
 * so the Classroom total equals this grader's total.
 */
export function toClassroom(report: GradeReport): ClassroomResult {
  const tests = report.exercises.flatMap((ex) =>
    ex.requirements.map((r) => {
      const status: "pass" | "fail" | "error" = ex.loadError ? "error" : requirementDone(r) ? "pass" : "fail";
      return {
        name: `${r.requirement} (${r.passed}/${r.tests} tests)`,
        status,
        message: r.firstFailure ?? (ex.loadError ? `the tests could not be loaded: ${ex.loadError}` : ""),
        score: r.points,
        execution_time: "",
        test_code: `npm run grade -- ${ex.id}`,
        filename: "",
        line_no: 0,
      };
    }),
  );
  const status = tests.some((t) => t.status === "error") ? "error" : tests.every((t) => t.status === "pass") ? "pass" : "fail";
  return { version: 1, status, max_score: report.maxPoints, tests };
}
