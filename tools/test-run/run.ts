/**
 * `npm test`: builds dist/ in a child process while mocha runs the tests in this one, then ends with the verdict
 * (requirements done per exercise, the next step and its hint; see reporter.ts).
 *
 *   npm test               every test file in test/ (in the student repository: the exercises' tests; in the
 *                          instructor's, where tool tests join them: one worker per core), except the slow
 *                          integration suites below
 *   npm test -- --all      also the integration suites; --integration: only them
 *   npm test -- 2          Exercise 2's test files only (several numbers: several exercises)
 *   npm test -- -g R2.3    any mocha option passes through
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadGradingConfig } from "../grade/config";
import { buildLibrary } from "./build";
import { verdictExtras } from "./extras";

/** Splits the command line into exercise numbers and the arguments for mocha. */
export function parseArgs(argv: string[], exerciseIds: number[]): { exercises: number[]; mochaArgs: string[] } {
  const exercises: number[] = [];
  const mochaArgs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const previous = mochaArgs[mochaArgs.length - 1];
    const isValue = previous !== undefined && previous.startsWith("-") && !previous.includes("=");
    if (/^\d+$/.test(arg) && !isValue) {
      if (!exerciseIds.includes(Number(arg))) throw new RangeError(`expected an exercise number among ${exerciseIds.join(", ")}, got ${arg}`);
      exercises.push(Number(arg));
    } else {
      mochaArgs.push(arg);
    }
  }
  return { exercises, mochaArgs };
}

/**
 * The instructor repository's integration suites: they grade fixture submissions in sandboxed child processes and
 * run every notebook several times, about 30 CPU-seconds together, so `npm test` leaves them to a script of their
 * own (`--integration`) to keep its feedback under 10 s. A student's repository has neither file.
 */
export const INTEGRATION_SUITES = ["test/grader.test.ts", "test/notebooks.test.ts", "test/notebook-runners.test.ts"];

async function main(): Promise<void> {
  const root = process.cwd();
  const config = loadGradingConfig(path.join(root, "grading.json"));
  let parsed: ReturnType<typeof parseArgs>;
  const args = process.argv.slice(2);
  const all = args.includes("--all");
  const integrationOnly = args.includes("--integration");
  try {
    parsed = parseArgs(args.filter((a) => a !== "--all" && a !== "--integration"), config.exercises.map((ex) => ex.id));
  } catch (error) {
    console.error(`npm test: ${(error as Error).message}`);
    process.exit(2);
  }
  const files = config.exercises.filter((ex) => parsed.exercises.includes(ex.id)).flatMap((ex) => ex.tests);
  const explicitFiles = parsed.mochaArgs.some((a) => /\.test\.ts$/.test(a));
  if (files.length === 0 && !explicitFiles) {
    // Every test file, without the integration suites unless --all.
    const everyFile = fs.readdirSync(path.join(root, "test")).filter((f) => f.endsWith(".test.ts")).sort().map((f) => `test/${f}`);
    files.push(...everyFile.filter((f) => (integrationOnly ? INTEGRATION_SUITES.includes(f) : all || !INTEGRATION_SUITES.includes(f))));
  }
  // The notebook tests import the built dist/: build first when they are about to run; otherwise build meanwhile.
  const notebooks = files.includes("test/notebooks.test.ts") || parsed.mochaArgs.includes("test/notebooks.test.ts");
  const build = buildLibrary(root);
  if (notebooks) await build;
  verdictExtras.build = build;
  // The instructor repository's full run (grader, notebook and release tests too) spreads its files over one
  // worker per core plus one (some files mostly wait for child processes); the student's exercises run in this
  // process, which starts faster.
  const exerciseFiles = new Set(config.exercises.flatMap((ex) => ex.tests).map((f) => path.resolve(root, f)));
  const otherFiles = fs.readdirSync(path.join(root, "test")).filter((f) => f.endsWith(".test.ts") && !exerciseFiles.has(path.join(root, "test", f)));
  const wholeRun = parsed.exercises.length === 0 && !explicitFiles && parsed.mochaArgs.length === 0;
  const parallel = wholeRun && otherFiles.length > 0 && os.cpus().length > 1 ? ["--parallel", "--jobs", String(os.cpus().length + 1)] : [];
  const { main: mocha } = require("mocha/lib/cli/cli.js") as { main: (argv: string[]) => void };
  mocha([...parallel, ...files, ...parsed.mochaArgs]);
}

if (require.main === module) {
  main().catch((error) => {
    console.error(`npm test: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(2);
  });
}
