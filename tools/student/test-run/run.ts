/**
 * `npm test`: builds dist/ in a child process while the tests run in this one (through the mocha driver,
 * tools/core/run/driver.ts), then ends with the verdict (requirements done per exercise, the next step and its
 * hint; see reporter.ts).
 *
 *   npm test               every test file in test/ (in the student repository: the exercises' tests; in the
 *                          instructor's, where tool tests join them, those run in parallel child processes),
 *                          except the slow integration suites below
 *   npm test -- --all      also the integration suites; --integration: only them
 *   npm test -- 2          Exercise 2's test files only (several numbers: several exercises)
 *   npm test -- -g R2.3    only the tests whose title matches (a requirement); test files may be named too
 *   npm test -- -t 20000   per-test timeout in ms
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs as parseCommandLine } from "node:util";
import { PENDING_MESSAGE, runTests } from "../../core/run/driver";
import { pool } from "../../core/run/pool";
import { runPlain } from "../../core/run/runPlain";
import { gradedTestFiles, loadGradingConfig } from "../../core/config";
import { buildLibrary } from "./build";
import { verdictExtras } from "./extras";
import VerdictReporter from "./reporter";
import type { RanTest } from "./verdict";

/** What the command line asks for. */
export interface TestArgs {
  exercises: number[];
  /** Test files named on the command line. */
  files: string[];
  grep?: string;
  timeoutMs: number;
  all: boolean;
  integration: boolean;
}

/** The per-test timeout unless `-t` says otherwise (the notebooks' and grader's tests start processes). */
export const DEFAULT_TIMEOUT_MS = 20_000;

/** Reads the command line: exercise numbers, test files, `-g PATTERN`, `-t MS`, `--all`, `--integration`. */
export function parseArgs(argv: string[], exerciseIds: number[]): TestArgs {
  const { values, positionals } = parseCommandLine({
    args: argv,
    allowPositionals: true,
    options: { grep: { type: "string", short: "g" }, timeout: { type: "string", short: "t" }, all: { type: "boolean" }, integration: { type: "boolean" } },
  });
  const exercises: number[] = [];
  const files: string[] = [];
  for (const arg of positionals) {
    if (/^\d+$/.test(arg)) {
      if (!exerciseIds.includes(Number(arg))) throw new RangeError(`expected an exercise number among ${exerciseIds.join(", ")}, got ${arg}`);
      exercises.push(Number(arg));
    } else if (/\.[cm]?[jt]s$/.test(arg)) {
      files.push(arg);
    } else {
      throw new RangeError(`expected exercise numbers, test files, -g PATTERN, -t MS, --all or --integration; got ${JSON.stringify(arg)}`);
    }
  }
  const timeoutMs = values.timeout === undefined ? DEFAULT_TIMEOUT_MS : Number(values.timeout);
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) throw new RangeError(`-t: expected a timeout in milliseconds, got ${JSON.stringify(values.timeout)}`);
  return { exercises, files, grep: values.grep, timeoutMs, all: values.all ?? false, integration: values.integration ?? false };
}

/**
 * The instructor repository's integration suites: they grade fixture submissions in sandboxed child processes and
 * run every notebook several times, about 30 CPU-seconds together, so `npm test` leaves them to a script of their
 * own (`--integration`) to keep its feedback under 10 s. A student's repository has neither file.
 */
export const INTEGRATION_SUITES = ["test/grader.test.ts", "test/notebooks.test.ts", "test/load-errors.test.ts", "test/notebook-runners.test.ts"];

/** Runs test files in parallel plain child processes; resolves with their tests and the details of their failures. */
async function runElsewhere(root: string, files: string[], args: TestArgs): Promise<{ tests: RanTest[]; details: string }> {
  const runs = await pool(files.length, os.cpus().length + 1, (i) => runPlain({ root, files: [files[i]], testMs: args.timeoutMs, exerciseMs: 900_000, loadMs: 600_000, testKillMs: 900_000, grep: args.grep }));
  const tests: RanTest[] = [];
  const details: string[] = [];
  runs.forEach((run, i) => {
    if (run.loadError) {
      tests.push({ title: `the test file loads: ${files[i]}`, file: path.resolve(root, files[i]), passed: false, message: run.loadError });
      details.push(`  ✘ ${files[i]} did not load: ${run.loadError}`);
    }
    for (const t of run.tests) {
      if (t.message === PENDING_MESSAGE) continue;
      tests.push({ title: t.title, file: t.file, passed: t.status === "passed", message: t.message });
      if (t.status !== "passed") details.push(`  ✘ ${t.id}\n      ${t.message.split("\n").join("\n      ")}`);
    }
  });
  return { tests, details: details.join("\n") };
}

async function main(): Promise<number> {
  const root = process.cwd();
  const config = loadGradingConfig(path.join(root, "grading.json"));
  let args: TestArgs;
  try {
    args = parseArgs(process.argv.slice(2), config.exercises.map((ex) => ex.id));
  } catch (error) {
    console.error(`npm test: ${(error as Error).message}`);
    return 2;
  }
  const files = [...config.exercises.filter((ex) => args.exercises.includes(ex.id)).flatMap((ex) => gradedTestFiles(ex, root)), ...args.files];
  if (files.length === 0) {
    // Every test file, without the integration suites unless --all.
    const everyFile = fs.readdirSync(path.join(root, "test")).filter((f) => f.endsWith(".test.ts")).sort().map((f) => `test/${f}`);
    files.push(...everyFile.filter((f) => (args.integration ? INTEGRATION_SUITES.includes(f) : args.all || !INTEGRATION_SUITES.includes(f))));
    // In the instructor's repository the hidden tests (test/hidden/) run with their exercises; a student's has none.
    if (!args.integration) files.push(...config.exercises.flatMap((ex) => gradedTestFiles(ex, root).slice(ex.tests.length)));
  }
  // The notebook tests import the built dist/: build first when they are about to run; otherwise build meanwhile.
  const build = buildLibrary(root);
  if (files.includes("test/notebooks.test.ts")) await build;
  verdictExtras.build = build;
  // The instructor repository's whole run sends the tool tests to child processes, one per core, while the
  // exercises run here; a student's repository (exercises only) and a chosen subset run here alone.
  const exerciseFiles = new Set(config.exercises.flatMap((ex) => gradedTestFiles(ex)));
  const wholeRun = args.exercises.length === 0 && args.files.length === 0 && args.grep === undefined;
  const elsewhere = wholeRun && os.cpus().length > 1 ? files.filter((f) => !exerciseFiles.has(f)) : [];
  if (elsewhere.length > 0) verdictExtras.others = runElsewhere(root, elsewhere, args);
  const here = files.filter((f) => !elsewhere.includes(f));
  const { outcomes } = await runTests(here, { timeoutMs: args.timeoutMs, grep: args.grep, reporter: VerdictReporter as never, root });
  const others = (await verdictExtras.others)?.tests ?? [];
  return outcomes.some((o) => o.status === "failed") || others.some((t) => !t.passed) ? 1 : 0;
}

if (require.main === module) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      console.error(`npm test: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      process.exit(2);
    },
  );
}
