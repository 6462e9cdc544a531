/**
 * The teeth check: every graded test passes on this repository (the reference solutions) and fails on a freshly
 * generated student release (the stubs). Prints the tests that break either direction and exits 1 if any do.
 *
 *   npm run teeth               links this checkout's node_modules into the release (fast, for development)
 *   npm run teeth -- --npm-ci   installs the release on its own with `npm ci`, as a student would (CI does this)
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { grade } from "./grade/grade";
import { formatTable } from "./grade/report";
import { release } from "./release/release";

const ROOT = path.join(__dirname, "..");

function run(cwd: string, command: string, args: string[]): { ok: boolean; output: string } {
  const result = spawnSync(command, args, { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, env: { ...process.env, FORCE_COLOR: "0" } });
  const output = `${result.stdout ?? ""}${result.stderr ?? ""}`.replace(/\x1b\[[0-9;]*m/g, "");
  return { ok: result.status === 0, output };
}

async function main(): Promise<number> {
  const npmCi = process.argv.includes("--npm-ci");
  const problems: string[] = [];

  const reference = await grade({ root: ROOT });
  const notPassing = reference.tests.filter((t) => t.status !== "passed");
  for (const t of notPassing) problems.push(`reference solution: ${t.status}: ${t.name} — ${t.message.split("\n")[0]}`);
  console.log(`Reference solutions: ${reference.points} / ${reference.maxPoints} points, ${reference.tests.length - notPassing.length}/${reference.tests.length} graded tests pass.`);

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
    const passing = student.tests.filter((t) => t.status === "passed");
    for (const t of passing) problems.push(`release: passes against the stubs (a test without teeth): ${t.name}`);
    const loadErrors = student.exercises.filter((ex) => ex.loadError);
    for (const ex of loadErrors) problems.push(`release: exercise ${ex.id}'s tests do not even load: ${ex.loadError}`);
    console.log(`Release graded: ${student.points} / ${student.maxPoints} points, ${passing.length}/${student.tests.length} graded tests pass.`);
    if (passing.length > 0) console.log(formatTable(student));

    const npmTest = run(out, "npm", ["test"]);
    const counted = /\d+ failing/.test(npmTest.output);
    if (!counted) problems.push(`release: npm test crashed before reporting:\n${npmTest.output.slice(-3000)}`);
    else console.log(`Release npm test: ${npmTest.output.match(/\d+ passing/)?.[0] ?? "0 passing"}, ${npmTest.output.match(/\d+ failing/)?.[0]}`);
    const notebooks = fs.readdirSync(path.join(out, "notebooks")).filter((f) => f.endsWith(".ipynb"));
    for (const nb of notebooks) {
      if (!npmTest.output.includes(`✔ R${Number(nb.slice(0, 2))}.x ${nb}: every code cell compiles and runs`)) {
        problems.push(`release: notebook ${nb} does not run to the end on the stubs (wrap stub-using code in example())`);
      }
    }
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }

  if (problems.length > 0) {
    console.error(`\nTeeth check FAILED (${problems.length}):\n${problems.map((p) => `- ${p}`).join("\n")}`);
    return 1;
  }
  console.log("\nTeeth check passed: 100% on the reference solutions, 0 on the stubs.");
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
