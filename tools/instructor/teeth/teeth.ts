/**
 * The teeth check: every graded test passes on this repository (the reference solutions) and fails on a freshly
 * generated student release (the stubs); then, per requirement, only-one and all-but-one (tools/instructor/teeth/perRequirement.ts).
 * Prints the tests that break either direction and exits 1 if any do.
 *
 *   npm run teeth                                 release check, then the per-requirement check
 *   npm run teeth -- --npm-ci                     the release installs on its own with `npm ci`, as a student's would (CI)
 *   npm run teeth -- --per-requirement [R1.3,R2.1]  only the per-requirement check (all requirements, or those listed)
 *   npm run teeth -- --release-only               only the release check
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseCommandLine, UsageError } from "../../core/cli/args";
import { grade } from "../../core/grade";
import { loadGradingConfig } from "../../core/config";
import { formatTable } from "../../core/report/text";
import { release } from "../release/release";
import { checkPerRequirement, formatMatrix } from "./perRequirement";

const ROOT = path.join(__dirname, "..", "..", "..");

function run(cwd: string, command: string, args: string[]): { ok: boolean; output: string } {
  const result = spawnSync(command, args, { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, env: { ...process.env, FORCE_COLOR: "0" } });
  const output = `${result.stdout ?? ""}${result.stderr ?? ""}`.replace(/\x1b\[[0-9;]*m/g, "");
  return { ok: result.status === 0, output };
}

interface Cli {
  npmCi: boolean;
  releaseCheck: boolean;
  perRequirement: boolean;
  requirements: string[];
  keep: boolean;
}

/**
 * Parses the teeth command line; requirement lists are positionals (`--per-requirement R1.3,R2.1`).
 * @throws UsageError saying what was expected and what came
 */
function parseTeethArgs(argv: string[]): Cli {
  const usage = "[--npm-ci] [--release-only] [--per-requirement [R1.1,R2.3]] [--keep]";
  const { values, positionals } = parseCommandLine(
    argv,
    { "npm-ci": { type: "boolean" }, "release-only": { type: "boolean" }, "per-requirement": { type: "boolean" }, keep: { type: "boolean" } },
    usage,
    true,
  );
  const bad = positionals.find((p) => !/^R\d+\.\d+(,R\d+\.\d+)*$/.test(p));
  if (bad !== undefined) throw new UsageError(`expected ${usage}: requirement lists like R1.3,R2.1; got ${JSON.stringify(bad)}`);
  const perRequirementOnly = values["per-requirement"] ?? false;
  return {
    npmCi: values["npm-ci"] ?? false,
    releaseCheck: !perRequirementOnly,
    perRequirement: !(values["release-only"] ?? false),
    requirements: positionals.flatMap((p) => p.split(",")),
    keep: values.keep ?? false,
  };
}

async function perRequirementCheck(cli: Cli): Promise<string[]> {
  console.log(`\nPer-requirement teeth check (${cli.requirements.length ? cli.requirements.join(", ") : "every requirement"}): only-one and all-but-one…`);
  const result = await checkPerRequirement({ root: ROOT, requirements: cli.requirements, keep: cli.keep });
  console.log(formatMatrix(result));
  return [
    ...result.referenceProblems.map((p) => `per-requirement: ${p}`),
    ...result.verdicts.filter((v) => !v.ok).map((v) => `per-requirement: ${v.requirement} ${v.mode}: ${v.problems.length} problem(s), listed above`),
  ];
}

async function main(): Promise<number> {
  let cli: Cli;
  try {
    cli = parseTeethArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`npm run teeth: ${(error as Error).message}`);
    return 2;
  }
  const problems: string[] = cli.releaseCheck ? await releaseCheck(cli.npmCi) : [];
  if (cli.perRequirement) problems.push(...(await perRequirementCheck(cli)));
  if (problems.length > 0) {
    console.error(`\nTeeth check FAILED (${problems.length}):\n${problems.map((p) => `- ${p}`).join("\n")}`);
    return 1;
  }
  console.log(`\nTeeth check passed${cli.releaseCheck ? ": 100% on the reference solutions, 0 on the stubs" : ""}${cli.perRequirement ? `${cli.releaseCheck ? ";" : ":"} every requirement stands alone` : ""}.`);
  return 0;
}

/**
 * What a student sees from `npm test` in a fresh release: only the exercises' tests, no warnings, and the verdict
 * (one line per exercise, then the next step) as the last thing printed.
 */
function checkStudentTestRun(output: string, out: string): string[] {
  const problems: string[] = [];
  const config = loadGradingConfig(path.join(out, "grading.json"));
  const warnings = output.split("\n").filter((l) => /\(node:\d+\) \w*Warning|DeprecationWarning|Warning:/.test(l));
  if (warnings.length > 0) problems.push(`release: npm test prints ${warnings.length} warning(s), first: ${warnings[0].trim()} (run with node --trace-warnings to find the test)`);
  const tail = output.trimEnd().split("\n").slice(-12).join("\n");
  for (const ex of config.exercises) {
    if (!new RegExp(`^Exercise ${ex.id}: 0/${Object.keys(ex.requirements).length} requirements`, "m").test(output)) {
      problems.push(`release: npm test does not end with "Exercise ${ex.id}: 0/${Object.keys(ex.requirements).length} requirements"`);
    }
  }
  if (!/^Next: R\d+\.\d+/m.test(tail) || !/^Hint: /m.test(tail)) problems.push(`release: npm test does not end with the next step and its hint; it ends with:\n${tail}`);
  const instructorSuites = output.split("\n").filter((l) => /^\s*(✔|\d+\)) #\d/.test(l));
  if (instructorSuites.length > 0) problems.push(`release: npm test runs ${instructorSuites.length} instructor test(s), first: ${instructorSuites[0].trim()}`);
  return problems;
}

async function releaseCheck(npmCi: boolean): Promise<string[]> {
  const problems: string[] = [];

  const reference = await grade({ root: ROOT });
  const referenceTests = reference.requirements.flatMap((r) => r.tests);
  const notPassing = referenceTests.filter((t) => t.status !== "passed");
  for (const t of notPassing) problems.push(`reference solution: ${t.status}: ${t.name} — ${t.message.split("\n")[0]}`);
  console.log(`Reference solutions: ${reference.points} / ${reference.maxPoints} points, ${referenceTests.length - notPassing.length}/${referenceTests.length} graded tests pass.`);

  const out = fs.mkdtempSync(path.join(os.tmpdir(), "student-release-"));
  try {
    const summary = release(ROOT, out);
    console.log(`Release: ${summary.files} files, ${summary.regions.length} regions stubbed, in ${out}`);
    if (npmCi) {
      const ci = run(out, "npm", ["ci", "--no-audit", "--no-fund"]);
      if (!ci.ok) problems.push(`release: npm ci (which builds) failed:\n${ci.output.slice(-3000)}`);
    } else {
      fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(out, "node_modules"), "dir");
      const build = run(out, "npm", ["run", "build", "--silent"]);
      if (!build.ok) problems.push(`release: npm run build failed:\n${build.output.slice(-3000)}`);
    }
    const typecheck = run(out, "npm", ["run", "typecheck", "--silent"]);
    if (!typecheck.ok) problems.push(`release: the stubs or tests do not type-check:\n${typecheck.output.slice(-3000)}`);

    const student = await grade({ root: out });
    const studentTests = student.requirements.flatMap((r) => r.tests);
    const passing = studentTests.filter((t) => t.status === "passed");
    for (const t of passing) problems.push(`release: passes against the stubs (a test without teeth): ${t.name}`);
    const loadErrors = student.exercises.filter((ex) => ex.loadError);
    for (const ex of loadErrors) problems.push(`release: exercise ${ex.id}'s tests do not even load: ${ex.loadError}`);
    console.log(`Release graded: ${student.points} / ${student.maxPoints} points, ${passing.length}/${studentTests.length} graded tests pass.`);
    if (passing.length > 0) console.log(formatTable(student));

    const npmTest = run(out, "npm", ["test"]);
    const counted = /\d+ failing/.test(npmTest.output);
    const lines = npmTest.output.split("\n").length;
    if (!counted) problems.push(`release: npm test crashed before reporting:\n${npmTest.output.slice(-3000)}`);
    else console.log(`Release npm test: ${npmTest.output.match(/\d+ passing/)?.[0] ?? "0 passing"}, ${npmTest.output.match(/\d+ failing/)?.[0]}, ${lines} lines`);
    problems.push(...checkStudentTestRun(npmTest.output, out));

    // The notebook test and the instructor files it reads stay in this repository; copies run the release's
    // notebooks on the stubs.
    for (const file of ["test/notebooks.test.ts", "tools/instructor/notebookRunner.ts", "test/fixtures/notebooks"]) {
      fs.cpSync(path.join(ROOT, file), path.join(out, file), { recursive: true });
    }
    const nbTest = run(out, process.execPath, [require.resolve("mocha/bin/mocha.js"), "--no-config", "-r", "ts-node/register/transpile-only", "--extension", "ts", "--reporter", "spec", "test/notebooks.test.ts"]);
    const notebooks = fs.readdirSync(path.join(out, "notebooks")).filter((f) => f.endsWith(".ipynb"));
    for (const nb of notebooks) {
      if (!nbTest.output.includes(`✔ R${Number(nb.slice(0, 2))}.x ${nb}: every code cell compiles and runs`)) {
        problems.push(`release: notebook ${nb} does not run to the end on the stubs (wrap stub-using code in example())`);
      }
    }
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
  return problems;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
