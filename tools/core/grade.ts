/**
 * `npm run grade`: grades this checkout (student mode), one submission (`--submission DIR`, instructor mode) or a
 * class (`--class DIR`, class.ts), and writes the result in the formats asked for (tools/core/report/formats.ts).
 *
 *   npm run grade [-- 2 3]                        text table on stdout, grade.json (GradeResult) in the project
 *   npm run grade -- --format json --out r.json   one format, to one file ("-": stdout)
 *   npm run grade -- --format text --format json --out-dir DIR   several formats, each to DIR/<its default file>
 *   npm run grade -- --submission DIR [--out FILE]                instructor mode (default FILE grade-reports/DIR.json)
 *   --strict: exit 1 unless every point that could run here was earned (2: the submission could not be graded)
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { exerciseNumbers, parseCommandLine, positiveInteger, UsageError } from "./cli/args";
import { formatNamed } from "./report/formats";
import { defaultDestination, writeFormats } from "./report/writeFormats";
import type { GradeResult } from "./result";
import { pool } from "./run/pool";
import { runPlain } from "./run/runPlain";
import { fromGraderRun } from "./score/adapt";
import { scoreOutcomes, selectExercises, ungradable } from "./score/score";
import { gradedTestFiles, hiddenRunnable, loadGradingConfig, timeLimits, type GradingConfig } from "./config";
import { monotonicMs } from "./clock";

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
 * Student mode: runs the selected exercises' tests (hidden ones too, where present) in plain child processes (the
 * student's own code on the student's machine: no sandbox, which the student release does not ship), with
 * grading.json's time limits, and scores them.
 */
export async function grade(options: GradeOptions): Promise<GradeResult> {
  const started = monotonicMs();
  const config = options.config ?? loadGradingConfig(path.join(options.root, "grading.json"));
  const exercises = selectExercises(config, options.exercises ?? []);
  const jobs = Math.max(1, options.jobs ?? Math.min(2, os.cpus().length));
  const deadline = started + (config.timeouts.submissionMs ?? Infinity);
  const hiddenRan = hiddenRunnable(options.root, exercises);
  const runs = await pool(exercises.length, jobs, async (index) => {
    const exercise = exercises[index];
    const run = await runPlain({ root: options.root, files: gradedTestFiles(exercise, options.root), ...timeLimits(config), deadline });
    options.onExercise?.(exercise.id);
    return fromGraderRun(exercise.id, run);
  });
  return scoreOutcomes(config, runs, { root: options.root, hiddenRan, durationMs: Math.round(monotonicMs() - started) });
}

const USAGE = "[N …] [--format NAME]… [--out FILE | --out-dir DIR] [--submission DIR] [--root DIR] [--jobs N] [--strict]";

/** The grade command line, parsed. */
export interface GradeCli {
  root: string;
  submission: string;
  exercises: number[];
  formats: string[];
  /** Where each format goes: a file path, "-" for standard output, ">>FILE" to append (writeFormats.ts). */
  destinations: string[];
  jobs?: number;
  /** Exit 1 unless every point that could be earned here was. */
  strict: boolean;
}

/**
 * Parses `npm run grade`'s command line. Without `--format`: text on stdout and json to a file, which `--out` names.
 * With one format, `--out` names its file; with several, `--out-dir` names their folder (each keeps its default file
 * name) and `--out` is refused.
 * @throws UsageError saying what was expected and what came
 */
export function parseGradeArgs(argv: string[], cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): GradeCli {
  const { values, positionals } = parseCommandLine(
    argv,
    {
      root: { type: "string" },
      submission: { type: "string" },
      out: { type: "string" },
      "out-dir": { type: "string" },
      format: { type: "string", multiple: true },
      jobs: { type: "string" },
      strict: { type: "boolean" },
    },
    USAGE,
    true,
  );
  const root = path.resolve(cwd, values.root ?? ".");
  const submission = values.submission ? path.resolve(cwd, values.submission) : "";
  const chosen = values.format ?? [];
  const formats = chosen.length > 0 ? chosen : ["text", "json"];
  for (const name of formats) formatNamed(name);
  if (values.out !== undefined && values["out-dir"] !== undefined) throw new UsageError("expected --out FILE or --out-dir DIR, not both");
  if (values.out !== undefined && chosen.length > 1) throw new UsageError(`--out: expected one --format (with several, --out-dir DIR), got ${chosen.join(", ")}`);
  const dir = values["out-dir"] !== undefined ? path.resolve(cwd, values["out-dir"]) : submission ? path.resolve(cwd, "grade-reports") : root;
  const destinations = formats.map((name) => {
    const target = chosen.length === 0 ? (name === "json" ? values.out : undefined) : values.out;
    if (target !== undefined) return target === "-" ? "-" : path.resolve(cwd, target);
    if (submission && name === "json" && values["out-dir"] === undefined) return path.join(dir, `${path.basename(submission)}.json`);
    return defaultDestination(name, dir, env);
  });
  return { root, submission, exercises: exerciseNumbers(positionals), formats, destinations, jobs: positiveInteger("jobs", values.jobs), strict: values.strict ?? false };
}

/** Points a student can earn here: hidden tests that did not run are not held against `--strict`. */
const reachable = (result: GradeResult) => result.maxPoints - (result.hiddenRan ? 0 : result.hiddenMaxPoints);

/** What `--class` loads (class grading, which the student's repository does not have: so no type import of it). */
interface ClassModule {
  classMain(argv: string[]): Promise<number>;
}

/** What `--submission` loads (the sandboxed grader, likewise). */
interface SubmissionModule {
  gradeSubmission(options: { submission: string; root: string; exercises?: number[]; jobs?: number }): Promise<GradeResult>;
}

/** Thrown for an instructor-only option in the student's repository, which has no sandboxed grader. */
export class InstructorOnlyError extends Error {
  override name = "InstructorOnlyError";
}

/**
 * Loads an instructor-only module (the sandboxed grader, class grading), which the student release leaves out.
 * @throws InstructorOnlyError naming the option, in a copy that lacks the module
 */
function instructorOnly<T>(option: string, module: string, load: () => T): T {
  try {
    return load();
  } catch (error) {
    if ((error as { code?: string }).code !== "MODULE_NOT_FOUND" || !String((error as Error).message).includes(module)) throw error;
    throw new InstructorOnlyError(`${option} is an instructor's option: it grades with the sandboxed grader, which is not in the student's repository (npm run grade grades your own src/)`, { cause: error });
  }
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (argv.some((a) => a === "--class" || a.startsWith("--class="))) return instructorOnly("--class", "../instructor/class/class", () => require("../instructor/class/class") as ClassModule).classMain(argv);
  let cli: GradeCli;
  try {
    cli = parseGradeArgs(argv);
  } catch (error) {
    console.error(`npm run grade: ${(error as Error).message}`);
    return 2;
  }
  if (cli.submission && !fs.existsSync(cli.submission)) {
    console.error(`npm run grade: --submission: expected a submission folder, got ${cli.submission}, which does not exist`);
    return 2;
  }
  let result: GradeResult;
  try {
    // Instructor mode (sandboxed) is loaded only here: the student release ships no sandbox.
    const gradeSubmission = () => instructorOnly("--submission", "../instructor/grader/submission", () => require("../instructor/grader/submission") as SubmissionModule).gradeSubmission;
    result = cli.submission
      ? await gradeSubmission()({ submission: cli.submission, root: cli.root, exercises: cli.exercises, jobs: cli.jobs })
      : await grade({ root: cli.root, exercises: cli.exercises, jobs: cli.jobs });
  } catch (error) {
    if (!cli.submission || error instanceof InstructorOnlyError) throw error;
    // A platform still gets a complete file: every requirement at 0, with the reason.
    const reason = `the grader could not complete: ${error instanceof Error ? error.message : String(error)}`;
    console.error(`npm run grade: ${reason}`);
    result = ungradable(loadGradingConfig(path.join(cli.root, "grading.json")), cli.submission, "crashed", reason);
  }
  const written = writeFormats(result, cli.formats, cli.destinations);
  if (written.length > 0) console.log(`\nReport: ${written.map((f) => path.relative(process.cwd(), f) || f).join(", ")} (${(result.durationMs / 1000).toFixed(1)} s)`);
  if (result.error) return 2;
  return cli.strict && result.points < reachable(result) ? 1 : 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error) => {
      if (error instanceof InstructorOnlyError) console.error(`npm run grade: ${error.message}`);
      else console.error(`npm run grade: grading could not complete: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      process.exit(2);
    },
  );
}
