/**
 * Turns the instructor-mode report (`grade.ts --submission DIR --out FILE`) into GitHub Classroom's runner result,
 * for the Classroom workflow:
 *
 *   node -r ts-node/register/transpile-only tools/grade/classroomResult.ts REPORT --strict
 *       exits 0 only when every point was earned (for autograding-command-grader: all or nothing)
 *   node -r ts-node/register/transpile-only tools/grade/classroomResult.ts REPORT --github-output
 *       appends `result=<base64>` to $GITHUB_OUTPUT: one test per requirement with its points (partial credit)
 */
import * as fs from "node:fs";
import { parseCommandLine, UsageError } from "../core/cli/args";
import type { GradeResult } from "../core/result";

/** One runner's result in the format autograding-grading-reporter reads. */
export interface RunnerResult {
  version: 1;
  status: "pass" | "fail" | "error";
  max_score: number;
  tests: { name: string; status: "pass" | "fail" | "error"; message: string; score: number; test_code: string; filename: string; line_no: number; execution_time: string }[];
}

const MAX_MESSAGE = 1000;

/** The runner result of a report: one test per requirement, carrying the requirement's points as its score. */
export function toRunnerResult(report: GradeResult): RunnerResult {
  const flags = report.flags.length > 0 ? ` [${report.flags.join(", ")}]` : "";
  const tests = report.requirements.map((r) => {
    const passed = r.tests.filter((t) => t.status === "passed").length;
    const failing = r.tests.find((t) => t.status !== "passed");
    const done = r.tests.length > 0 && passed === r.tests.length && r.points === r.maxPoints;
    const message = failing ? `${failing.name}: ${failing.status}: ${failing.message}` : done ? "" : `no test result${flags}`;
    return {
      name: `${r.id} (${passed}/${r.tests.length} tests)`,
      status: done ? ("pass" as const) : ("fail" as const),
      message: message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE)}…` : message,
      score: r.points,
      test_code: "",
      filename: "",
      line_no: 0,
      execution_time: "",
    };
  });
  return { version: 1, status: tests.every((t) => t.status === "pass") ? "pass" : "fail", max_score: report.maxPoints, tests };
}

function main(argv: string[]): number {
  const { values, positionals } = parseCommandLine(argv, { strict: { type: "boolean" }, "github-output": { type: "boolean" } }, "REPORT [--strict] [--github-output]", true);
  if (positionals.length !== 1) throw new UsageError(`expected REPORT [--strict] [--github-output]: one report file, got ${positionals.length}`);
  const file = positionals[0];
  const report = JSON.parse(fs.readFileSync(file, "utf8")) as GradeResult;
  const result = toRunnerResult(report);
  for (const t of result.tests) console.log(`${t.status === "pass" ? "✔" : "✘"} ${t.name}  ${t.score} point(s)${t.message ? `  ${t.message.split("\n")[0]}` : ""}`);
  console.log(`${report.points} / ${report.maxPoints}${report.flags.length > 0 ? `  flags: ${report.flags.join(", ")}` : ""}`);
  if (values["github-output"]) {
    const output = process.env.GITHUB_OUTPUT;
    if (!output) throw new Error("--github-output: expected the GITHUB_OUTPUT environment variable (set by GitHub Actions)");
    fs.appendFileSync(output, `result=${Buffer.from(JSON.stringify(result)).toString("base64")}\n`);
  }
  return values.strict === true && report.points < report.maxPoints ? 1 : 0;
}

if (require.main === module) {
  try {
    process.exit(main(process.argv.slice(2)));
  } catch (error) {
    console.error(`classroomResult: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  }
}
