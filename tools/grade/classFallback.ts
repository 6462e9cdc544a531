/**
 * FALLBACK, to delete when the grader's instructor mode (`grade.ts --submission DIR --out FILE`, issue 11) lands.
 *
 * Class grading runs `grade.ts --submission DIR --out FILE` once per submission. Until grade.ts understands
 * `--submission`, class.ts runs this script instead, with the same arguments: it grades a temporary copy made of
 * this checkout's tracked files (tests, grading.json, config) with the submission's `src/` in place of ours, using
 * the existing `grade({ root })`, and writes the report in the grader's contract. It has none of the sandbox of
 * issue 11 (no permission model, no canaries): for developing class grading only.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { grade } from "./grade";
import type { ReportTestStatus, SubmissionReport } from "./gradebook";
import type { GradeReport } from "./score";

const ROOT = path.join(__dirname, "..", "..");

/** Converts the existing grade report to the submission report contract. */
export function toSubmissionReport(submission: string, report: GradeReport, durationMs: number): SubmissionReport {
  const status = (s: string): ReportTestStatus => (s === "passed" || s === "failed" || s === "timeout" || s === "crashed" ? s : "not-run");
  const exercises = report.exercises.map((ex) => {
    const tests = report.tests.filter((t) => t.exercise === ex.id);
    const flags = new Set<string>();
    if (ex.loadError) flags.add(/exited|process\.exit/.test(ex.loadError) && !/SyntaxError|TSError|error TS|Expression expected|Cannot find module/.test(ex.loadError) ? "crashed" : "compile-error");
    if (tests.some((t) => t.status === "timeout")) flags.add("timeout");
    if (tests.some((t) => t.status === "crashed")) flags.add("crashed");
    return { id: ex.id, title: ex.title, points: ex.points, maxPoints: ex.maxPoints, flags: [...flags] };
  });
  const requirements = report.exercises.flatMap((ex) =>
    ex.requirements.map((r) => ({
      id: r.requirement,
      exercise: ex.id,
      points: r.points,
      maxPoints: r.maxPoints,
      tests: report.tests.filter((t) => t.requirement === r.requirement).map((t) => ({ name: t.name, status: status(t.status), message: t.message })),
    })),
  );
  const flags = [...new Set(exercises.flatMap((ex) => ex.flags))];
  return { submission, points: report.points, maxPoints: report.maxPoints, flags, durationMs, exercises, requirements };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const submissionDir = path.resolve(argv[argv.indexOf("--submission") + 1]);
  const out = path.resolve(argv[argv.indexOf("--out") + 1]);
  const started = Date.now();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "class-fallback-"));
  try {
    const tracked = execFileSync("git", ["ls-files", "-z"], { cwd: ROOT, encoding: "utf8" }).split("\0");
    for (const file of tracked.filter((f) => f && !f.startsWith("src/") && fs.existsSync(path.join(ROOT, f)))) {
      fs.mkdirSync(path.dirname(path.join(work, file)), { recursive: true });
      fs.copyFileSync(path.join(ROOT, file), path.join(work, file));
    }
    if (fs.existsSync(path.join(submissionDir, "src"))) fs.cpSync(path.join(submissionDir, "src"), path.join(work, "src"), { recursive: true });
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(work, "node_modules"), "dir");
    const report = await grade({ root: work, config: undefined });
    const result = toSubmissionReport(path.basename(submissionDir), report, Date.now() - started);
    fs.writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (error) => {
      console.error(`class fallback grader: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      process.exit(2);
    },
  );
}
