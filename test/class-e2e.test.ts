/**
 * Class grading end to end, as an instructor would run it: six submissions built from a fresh student release
 * with reference files copied over, graded by `npm run grade -- --class DIR --out OUT`. Slow (about a minute of
 * child processes), so it runs only when named: `npm run test:class`.
 */
import { expect } from "./helpers/expect";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const ROOT = path.join(__dirname, "..");
const named = process.argv.some((arg) => arg.endsWith("class-e2e.test.ts"));
const instructorOnly = fs.existsSync(path.join(ROOT, "tools", "instructor", "release", "release.ts"));

/** Rewrites the first solution region of `requirement` in a solved file. */
function editRegion(file: string, requirement: string, edit: (body: string) => string): void {
  const text = fs.readFileSync(file, "utf8");
  const pattern = new RegExp(`(// BEGIN SOLUTION ${requirement.replace(".", "\\.")}\\n)([\\s\\S]*?)(\\n\\s*// END SOLUTION)`);
  const match = pattern.exec(text);
  if (!match) throw new Error(`${file}: no solution region ${requirement}`);
  const body = edit(match[2]);
  if (body === match[2]) throw new Error(`${file}: the edit of ${requirement} changed nothing`);
  fs.writeFileSync(file, text.replace(pattern, (_, begin: string, _body: string, end: string) => `${begin}${body}${end}`));
}

/**
 * The requirements broken on purpose, picked among those whose breaking costs only their own points with today's
 * tests: R4.5 (the main block, which nothing builds on) loops forever; R4.3 has CircuitOpenError extend Error
 * instead of PipelineError, which only the hierarchy test notices.
 */
export const LOOPING = { requirement: "R4.5", file: "src/ex4-resilience/demo.ts", edit: () => "  for (;;) {}" };
export const WRONG = { requirement: "R4.3", file: "src/ex4-resilience/errors.ts", edit: (body: string) => body.replace("class CircuitOpenError extends PipelineError", "class CircuitOpenError extends Error") };
const SYNTAX_ERROR = { exercise: 3, file: "src/ex3-metrics/percentile.ts", text: "\nexport const broken = ;\n" };

/** Builds the six submissions in `classDir` from a fresh release of this repository. */
function buildClass(classDir: string): void {
  const { release } = require("../tools/instructor/release/release") as typeof import("../tools/instructor/release/release");
  const base = path.join(classDir, "..", "release");
  release(ROOT, base);
  const submission = (name: string, solved: string[]) => {
    const dir = path.join(classDir, name);
    fs.cpSync(base, dir, { recursive: true });
    for (const folder of solved) fs.cpSync(path.join(ROOT, folder), path.join(dir, folder), { recursive: true });
    return dir;
  };
  submission("1-empty", []);
  submission("2-exercise-1-only", ["src/ex1-tiered-pipeline"]);
  submission("3-all-solved", ["src"]);
  fs.appendFileSync(path.join(submission("4-compile-error-in-exercise-3", ["src"]), SYNTAX_ERROR.file), SYNTAX_ERROR.text);
  editRegion(path.join(submission(`5-endless-loop-in-${LOOPING.requirement}`, ["src"]), LOOPING.file), LOOPING.requirement, LOOPING.edit);
  editRegion(path.join(submission(`6-wrong-${WRONG.requirement}`, ["src"]), WRONG.file), WRONG.requirement, WRONG.edit);
}

(named && instructorOnly ? describe : describe.skip)("#12 class grading end to end (npm run test:class)", function () {
  this.timeout(600_000);
  let work = "";
  let classDir = "";
  let outDir = "";
  let seconds = 0;
  const gradeClass = () =>
    new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(ROOT, "tools", "core", "grade.ts"), "--class", classDir, "--out", outDir], { cwd: ROOT, maxBuffer: 16 << 20 }, (error, out, err) =>
        error ? reject(new Error(`${error.message}\n${out}\n${err}`)) : resolve(`${out}${err}`),
      ),
    );

  before(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), "class-e2e-"));
    classDir = path.join(work, "class");
    outDir = path.join(work, "grades");
    fs.mkdirSync(classDir);
    buildClass(classDir);
    const started = Date.now();
    await gradeClass();
    seconds = (Date.now() - started) / 1000;
  });
  after(() => {
    if (!process.env.KEEP_CLASS_E2E) fs.rmSync(work, { recursive: true, force: true });
    else console.log(`kept ${work}`);
  });

  it("#12 the gradebook gives 0, Exercise 1's points, all, all but Exercise 3, all but the looping and the wrong requirement", () => {
    const { loadGradingConfig } = require("../tools/core/config") as typeof import("../tools/core/config");
    const config = loadGradingConfig(path.join(ROOT, "grading.json"));
    const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
    const exercisePoints = (id: number) => sum(Object.values(config.exercises.find((ex) => ex.id === id)!.requirements));
    const total = sum(config.exercises.map((ex) => exercisePoints(ex.id)));
    const points = (id: string) => config.exercises.find((ex) => id in ex.requirements)!.requirements[id];
    const expected = [0, exercisePoints(1), total, total - exercisePoints(SYNTAX_ERROR.exercise), total - points(LOOPING.requirement), total - points(WRONG.requirement)];

    const csv = fs.readFileSync(path.join(outDir, "gradebook.csv"), "utf8").trimEnd().split("\r\n");
    const header = csv[0].split(",");
    const totals = csv.slice(1).map((line) => Number(line.split(",")[header.indexOf("total")]));
    expect(totals, `${csv.join("\n")}\n(graded in ${seconds.toFixed(1)} s)`).to.deep.equal(expected);
    console.log(`      six submissions graded in ${seconds.toFixed(1)} s: ${totals.join(", ")} (expected ${expected.join(", ")})`);
  });

  it("#12 the HTML report shows why: the compile error, the timeout and the wrong requirement's failure", () => {
    const html = fs.readFileSync(path.join(outDir, "gradebook.html"), "utf8");
    const section = (name: string) => {
      const start = html.indexOf(`${name} — `);
      expect(start, name).to.be.above(-1);
      return html.slice(start, html.indexOf("</section>", start));
    };
    expect(section("4-compile-error-in-exercise-3")).to.include("compile-error").and.match(/Expression expected|SyntaxError/);
    expect(section(`5-endless-loop-in-${LOOPING.requirement}`)).to.include(">timeout<").and.include(`${LOOPING.requirement} — 0`);
    expect(section(`6-wrong-${WRONG.requirement}`)).to.include(`${WRONG.requirement} — 0`).and.include(">failed<");
    expect(section("3-all-solved")).to.include("Every graded test passed.");
    expect(section("1-empty")).to.include("NotImplementedError");
  });

  it("#12 no submission built from the release is flagged protected-files-changed", () => {
    for (const name of fs.readdirSync(classDir)) {
      const report = JSON.parse(fs.readFileSync(path.join(outDir, `${name}.json`), "utf8"));
      expect(report.flags, name).to.not.include("protected-files-changed");
      expect(report.protectedFiles, name).to.deep.equal({ changed: [], added: [], missing: [] });
    }
  });

  it("#12 a rerun skips the submissions already graded", async () => {
    const before = fs.readFileSync(path.join(outDir, "gradebook.csv"), "utf8");
    const output = await gradeClass();
    expect(output.match(/already graded/g), output).to.have.length(6);
    expect(fs.readFileSync(path.join(outDir, "gradebook.csv"), "utf8")).to.equal(before);
  });
});
