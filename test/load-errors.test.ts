/**
 * Issue 21: a student's load-time error is reported as itself, with the student's file and line, and costs only its
 * exercise, in `npm test`, `npm run grade` and `npm run grade -- --submission`, whatever the Node version (`.ci/run`
 * runs this suite on Node 20, 22 and 24). Two fixture submissions, each the reference solution with two exercises
 * broken at load time in different ways.
 */
import { expect } from "./helpers/expect";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const ROOT = path.join(__dirname, "..");

/** A source file of an exercise, the line put on top of it, and the message expected (file and line included). */
interface Breakage {
  exercise: number;
  file: string;
  line: string;
  expected: RegExp;
}

const THROW: Breakage = { exercise: 1, file: "src/ex1-tiered-pipeline/TieredPipelineContext.ts", line: 'throw new Error("boom");', expected: /^Error: boom \(at src\/ex1-tiered-pipeline\/TieredPipelineContext\.ts:1:7\)/ };
const SYNTAX: Breakage = { exercise: 2, file: "src/ex2-descriptors/OneOf.ts", line: "const broken = ;", expected: /^TSError: ⨯ Unable to compile TypeScript: src\/ex2-descriptors\/OneOf\.ts\(1,16\): error TS1109: Expression expected/ };
const MISSING: Breakage = { exercise: 3, file: "src/ex3-metrics/MetricsRegistry.ts", line: 'import { gone } from "./missing-module"; export const unused = gone;', expected: /^Error: Cannot find module '\.\/missing-module' \(at src\/ex3-metrics\/MetricsRegistry\.ts:1:\d+\)/ };
const NO_INITIALIZER: Breakage = { exercise: 4, file: "src/ex4-resilience/errors.ts", line: "const x;", expected: /^SyntaxError: Missing initializer in const declaration \(at src\/ex4-resilience\/errors\.ts:1\)/ };

/** Writes a checkout: this repository's tests, config and tools (node_modules linked), its src/ with the breakages. */
function makeCheckout(dir: string, breakages: Breakage[]): void {
  for (const entry of ["src", "test", "tools", "grading.json", "tsconfig.json", "tsconfig.build.json", "package.json"]) {
    fs.cpSync(path.join(ROOT, entry), path.join(dir, entry), { recursive: true, filter: (f) => !f.includes(`${path.sep}fixtures${path.sep}`) });
  }
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  for (const b of breakages) {
    const file = path.join(dir, b.file);
    fs.writeFileSync(file, `${b.line}\n${fs.readFileSync(file, "utf8")}`);
  }
}

const run = (cwd: string, args: string[]) =>
  new Promise<{ code: number; out: string }>((resolve) => {
    execFile(process.execPath, ["-r", "ts-node/register/transpile-only", ...args], { cwd, env: { ...process.env, FORCE_COLOR: "0" }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code) : 0, out: `${stdout}${stderr}` }),
    );
  });

for (const breakages of [
  [THROW, SYNTAX],
  [MISSING, NO_INITIALIZER],
]) {
  const what = breakages.map((b) => `exercise ${b.exercise}: ${b.line}`).join("; ");
  describe(`#21 a load-time error is reported as itself and costs only its exercise (${what}; Node ${process.versions.node})`, function () {
    this.timeout(600_000);
    let dir = "";
    let npmTest: Promise<{ code: number; out: string }>;
    let student: Promise<{ code: number; out: string }>;
    let instructor: Promise<{ code: number; out: string }>;
    before(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "load-errors-"));
      makeCheckout(dir, breakages);
      const tests = breakages.flatMap((b) => [String(b.exercise)]);
      npmTest = run(dir, ["tools/student/test-run/run.ts", ...tests]);
      student = run(dir, ["tools/core/grade.ts", "--out", path.join(dir, "grade.json")]);
      instructor = run(ROOT, ["tools/core/grade.ts", "--submission", dir, "--out", path.join(dir, "submission.json")]);
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("#21 npm test -- N shows each error as itself, with its file and line, in the next step", async () => {
      const { code, out } = await npmTest;
      expect(code).to.equal(1);
      for (const b of breakages) {
        const line = out.split("\n").find((l) => l.startsWith(`Next: make Exercise ${b.exercise}'s tests load`));
        const shown = out.match(new RegExp(b.expected.source.slice(1)));
        expect(shown, `${b.file} in:\n${out}`).to.not.equal(null);
        if (line) expect(line).to.match(new RegExp(`test/ex${b.exercise}-[\\w-]+\\.test\\.ts: ${b.expected.source.slice(1)}`));
      }
    });

    it("#21 npm run grade (student mode, no sandbox): each broken exercise says why and scores 0, the others score in full", async () => {
      const { out } = await student;
      const report = JSON.parse(fs.readFileSync(path.join(dir, "grade.json"), "utf8")) as { exercises: { id: number; points: number; maxPoints: number; loadError?: string }[] };
      for (const ex of report.exercises) {
        const b = breakages.find((x) => x.exercise === ex.id);
        if (b) {
          expect(ex.points).to.equal(0);
          expect(ex.loadError, out).to.match(b.expected);
        } else {
          expect(ex.points, `exercise ${ex.id}:\n${out}`).to.equal(ex.maxPoints);
        }
      }
    });

    it("#21 npm run grade -- --submission (sandboxed): each broken exercise says why and scores 0, the others score in full", async () => {
      const { out } = await instructor;
      const report = JSON.parse(fs.readFileSync(path.join(dir, "submission.json"), "utf8")) as { exercises: { id: number; points: number; maxPoints: number; flags: string[]; loadError?: string }[] };
      for (const ex of report.exercises) {
        const b = breakages.find((x) => x.exercise === ex.id);
        if (b) {
          expect(ex.points).to.equal(0);
          expect(ex.loadError, out).to.match(b.expected);
          expect(ex.flags.some((f) => f === "compile-error" || f === "crashed"), ex.flags.join(" ")).to.equal(true);
        } else {
          expect(ex.points, `exercise ${ex.id}:\n${out}`).to.equal(ex.maxPoints);
        }
      }
    });
  });
}
