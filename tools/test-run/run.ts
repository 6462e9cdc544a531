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
import { parseArgs as parseUtilArgs } from "node:util";
import { UsageError } from "../core/cli/args";
import { gradedTestFiles, loadGradingConfig } from "../grade/config";
import { buildLibrary } from "./build";
import { verdictExtras } from "./extras";

/**
 * Splits the command line into exercise numbers, `--all`/`--integration`, and the arguments for mocha, which pass
 * through untouched (`node:util` parseArgs, not strict, read token by token): a number right after an option is that
 * option's value (`-g 2`), any other number an exercise.
 * @throws UsageError for an exercise number grading.json does not have
 */
export function parseArgs(argv: string[], exerciseIds: number[]): { exercises: number[]; mochaArgs: string[]; all: boolean; integration: boolean } {
  const { tokens } = parseUtilArgs({ args: argv, strict: false, allowPositionals: true, tokens: true, options: { all: { type: "boolean" }, integration: { type: "boolean" } } });
  const exercises: number[] = [];
  const mochaArgs: string[] = [];
  let all = false;
  let integration = false;
  tokens.forEach((token, i) => {
    const previous = tokens[i - 1];
    if (token.kind === "option") {
      if (token.name === "all" && token.inlineValue === undefined) all = true;
      else if (token.name === "integration" && token.inlineValue === undefined) integration = true;
      else mochaArgs.push(token.rawName + (token.inlineValue !== undefined ? `=${token.value}` : ""));
    } else if (token.kind === "option-terminator") {
      mochaArgs.push("--");
    } else if (/^\d+$/.test(token.value) && !(previous?.kind === "option" && previous.inlineValue === undefined && !["all", "integration"].includes(previous.name))) {
      if (!exerciseIds.includes(Number(token.value))) throw new UsageError(`expected an exercise number among ${exerciseIds.join(", ")}, got ${token.value}`);
      exercises.push(Number(token.value));
    } else {
      mochaArgs.push(token.value);
    }
  });
  return { exercises, mochaArgs, all, integration };
}

/**
 * The instructor repository's integration suites: they grade fixture submissions in sandboxed child processes and
 * run every notebook several times, about 30 CPU-seconds together, so `npm test` leaves them to a script of their
 * own (`--integration`) to keep its feedback under 10 s. A student's repository has neither file.
 */
export const INTEGRATION_SUITES = ["test/grader.test.ts", "test/notebooks.test.ts"];

async function main(): Promise<void> {
  const root = process.cwd();
  const config = loadGradingConfig(path.join(root, "grading.json"));
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs(process.argv.slice(2), config.exercises.map((ex) => ex.id));
  } catch (error) {
    console.error(`npm test: ${(error as Error).message}`);
    process.exit(2);
  }
  const { all, integration: integrationOnly } = parsed;
  const files = config.exercises.filter((ex) => parsed.exercises.includes(ex.id)).flatMap((ex) => gradedTestFiles(ex, root));
  const explicitFiles = parsed.mochaArgs.some((a) => /\.test\.ts$/.test(a));
  if (files.length === 0 && !explicitFiles) {
    // Every test file, without the integration suites unless --all.
    const everyFile = fs.readdirSync(path.join(root, "test")).filter((f) => f.endsWith(".test.ts")).sort().map((f) => `test/${f}`);
    files.push(...everyFile.filter((f) => (integrationOnly ? INTEGRATION_SUITES.includes(f) : all || !INTEGRATION_SUITES.includes(f))));
    if (!integrationOnly) files.push(...config.exercises.flatMap((ex) => gradedTestFiles(ex, root).slice(ex.tests.length)));
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
