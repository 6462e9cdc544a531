import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadGradingConfig, timeLimits, type GradingConfig } from "./config";
import { formatTable, toClassroom } from "./report";
import { pool } from "../core/run/pool";
import { runPlain } from "../core/run/runPlain";
import { buildReport, scoreExercise, selectExercises, type GradeReport } from "./score";
import type { SubmissionReport } from "./submission";

/** What to grade and how. */
export interface GradeOptions {
  /** The project to grade (its tests run there). */
  root: string;
  /** Exercise IDs to grade; empty for all. */
  exercises?: number[];
  /** The grading config; `<root>/grading.json` by default. */
  config?: GradingConfig;
  /** How many exercises run at once (each in its own process). */
  jobs?: number;
  /** Called when an exercise finishes, e.g. to print progress. */
  onExercise?: (id: number) => void;
}

/**
 * Student mode: runs the selected exercises' tests in plain child processes (the student's own code on the
 * student's machine: no sandbox, which the student release does not ship), with grading.json's time limits, and
 * scores them with the grading config.
 */
export async function grade(options: GradeOptions): Promise<GradeReport> {
  const config = options.config ?? loadGradingConfig(path.join(options.root, "grading.json"));
  const exercises = selectExercises(config, options.exercises ?? []);
  const jobs = Math.max(1, options.jobs ?? Math.min(2, os.cpus().length));
  const deadline = performance.now() + (config.timeouts.submissionMs ?? Infinity);
  const scored = await pool(exercises.length, jobs, async (index) => {
    const exercise = exercises[index];
    const run = await runPlain({ root: options.root, files: exercise.tests, ...timeLimits(config), deadline });
    options.onExercise?.(exercise.id);
    return scoreExercise(exercise, run);
  });
  return buildReport(scored);
}

interface Cli {
  root: string;
  submission: string;
  exercises: number[];
  out: string;
  classroomOut: string;
  classroom: boolean;
  strict: boolean;
}

function parseArgs(argv: string[]): Cli {
  const cli: Cli = { root: process.cwd(), submission: "", exercises: [], out: "", classroomOut: "", classroom: false, strict: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (/^\d+$/.test(arg)) cli.exercises.push(Number(arg));
    else if (arg === "--root") cli.root = path.resolve(argv[++i] ?? "");
    else if (arg === "--submission") cli.submission = path.resolve(argv[++i] ?? "");
    else if (arg === "--out") cli.out = path.resolve(argv[++i] ?? "");
    else if (arg === "--classroom") cli.classroom = true;
    else if (arg === "--strict") cli.strict = true;
    else throw new RangeError(`expected exercise numbers, --submission DIR, --root DIR, --out FILE, --classroom or --strict; got ${JSON.stringify(arg)}`);
  }
  if (cli.submission && (cli.classroom || cli.strict)) throw new RangeError("--classroom and --strict are for student mode, not with --submission");
  cli.out ||= cli.submission ? path.resolve("grade-reports", `${path.basename(cli.submission)}.json`) : path.join(cli.root, "grade.json");
  cli.classroomOut = path.join(path.dirname(cli.out), "classroom-results.json");
  return cli;
}

async function main(): Promise<number> {
  if (process.argv.includes("--class")) return require("./class").classMain(process.argv.slice(2)); // class grading, instructor-only (issue 12)
  let cli: Cli;
  try {
    cli = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`npm run grade: ${(error as Error).message}`);
    return 2;
  }
  if (cli.submission) return gradeOneSubmission(cli);
  const report = await grade({ root: cli.root, exercises: cli.exercises });
  console.log(formatTable(report));
  fs.writeFileSync(cli.out, `${JSON.stringify(report, null, 2)}\n`);
  const classroom = toClassroom(report);
  fs.writeFileSync(cli.classroomOut, `${JSON.stringify(classroom, null, 2)}\n`);
  console.log(`\nReport: ${path.relative(process.cwd(), cli.out) || cli.out}; GitHub Classroom format: ${path.relative(process.cwd(), cli.classroomOut)}`);
  if (cli.classroom && process.env.GITHUB_OUTPUT) {
    fs.appendFileSync(process.env.GITHUB_OUTPUT, `result=${Buffer.from(JSON.stringify(classroom)).toString("base64")}\n`);
  }
  return cli.strict && report.points < report.maxPoints ? 1 : 0;
}

/** Writes a file in one step (a temporary file renamed over it), so a reader never sees half a report. */
export function writeAtomically(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, text);
  fs.renameSync(temp, file);
}

/** Formats the instructor report as a short table: one line per exercise with its flags, then the total. */
export function formatSubmission(report: SubmissionReport): string {
  const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2));
  const lines = report.exercises.map((ex) => `${`Exercise ${ex.id} — ${ex.title}`.padEnd(52)}${`${fmt(ex.points)} / ${fmt(ex.maxPoints)}`.padStart(12)}  ${ex.flags.join(" ")}`);
  lines.push(`${"Total".padEnd(52)}${`${fmt(report.points)} / ${fmt(report.maxPoints)}`.padStart(12)}  ${report.flags.join(" ")}`);
  return lines.join("\n");
}

async function gradeOneSubmission(cli: Cli): Promise<number> {
  if (!fs.existsSync(cli.submission)) {
    console.error(`npm run grade: expected a submission folder, ${cli.submission} does not exist`);
    return 2;
  }
  // Instructor mode (sandboxed), loaded only here: the student release ships no sandbox.
  const { gradeSubmission } = require("./submission") as typeof import("./submission");
  const report = await gradeSubmission({ submission: cli.submission, root: cli.root, exercises: cli.exercises });
  writeAtomically(cli.out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(formatSubmission(report));
  console.log(`\nReport: ${path.relative(process.cwd(), cli.out) || cli.out} (${(report.durationMs / 1000).toFixed(1)} s)`);
  return 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error) => {
      console.error(`npm run grade: grading could not complete: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      process.exit(2);
    },
  );
}
