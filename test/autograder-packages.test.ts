/**
 * Issue 19: the packages `npm run autograder` builds, run the way their platform runs them, on the reference solution
 * (100), a fresh release (0) and a half-solved submission (exactly its points). Slow (npm ci, then several gradings:
 * a few minutes on 2 cores), so it runs only with AUTOGRADER_PACKAGES=1: `npm run test:autograder` (in .ci/run).
 * Uses Node.js 24 from /opt/nodes/n24 or NODE24_BIN when there, else the node on PATH.
 */
import { expect } from "./helpers/expect";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import Ajv2020 from "ajv/dist/2020";
import { loadGradingConfig } from "../tools/core/config";

const ROOT = path.join(__dirname, "..");
const instructorOnly = fs.existsSync(path.join(ROOT, "tools", "instructor", "autograder", "autograder.ts"));
const ENABLED = instructorOnly && process.env.AUTOGRADER_PACKAGES === "1";
const suite = ENABLED ? describe : describe.skip;

const NODE24 = [process.env.NODE24_BIN, "/opt/nodes/n24/package/bin"].find((dir) => dir && fs.existsSync(path.join(dir, "node")));
const PATH = NODE24 ? `${NODE24}${path.delimiter}${process.env.PATH}` : process.env.PATH;
const SCHEMAS = path.join(ROOT, "tools", "core", "report", "schemas");
const ajv = new Ajv2020({ allErrors: true, allowUnionTypes: true });
const schema = (name: string) => ajv.compile(JSON.parse(fs.readFileSync(path.join(SCHEMAS, name), "utf8")));

const run = (command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) =>
  execFileSync(command, args, { cwd, env: { ...process.env, PATH, ...env }, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 * 1024 * 1024 });

function unzip(zip: string, dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  try {
    run("unzip", ["-q", zip, "-d", dir], dir);
  } catch {
    run("python3", ["-m", "zipfile", "-e", zip, dir], dir);
  }
}

suite("#19 autograder packages, run locally as their platforms run them", function () {
  this.timeout(1_800_000);
  let work: string;
  let release: string;
  const gradescope = () => path.join(work, "gradescope");

  before(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), "autograder-packages-"));
    release = path.join(work, "release");
    const { release: makeRelease } = require("../tools/instructor/release/release") as typeof import("../tools/instructor/release/release");
    makeRelease(ROOT, release);
    run("node", ["-r", "ts-node/register/transpile-only", "tools/instructor/autograder/autograder.ts", "gradescope", path.join(work, "ag.zip")], ROOT);
    unzip(path.join(work, "ag.zip"), path.join(gradescope(), "source"));
    run("bash", ["setup.sh", "--no-system"], path.join(gradescope(), "source"), { AUTOGRADER_ROOT: gradescope() });
  });

  after(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  /** Puts `src` as the submission (a folder holding only src/, or a whole checkout), runs run_autograder, reads results.json. */
  function gradeOnGradescope(submission: (dir: string) => void) {
    const dir = path.join(gradescope(), "submission");
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    submission(dir);
    run("bash", ["run_autograder"], path.join(gradescope(), "source"), { AUTOGRADER_ROOT: gradescope() });
    const results = JSON.parse(fs.readFileSync(path.join(gradescope(), "results", "results.json"), "utf8"));
    const valid = schema("gradescope-results.schema.json");
    expect(valid(results), JSON.stringify(valid.errors)).to.equal(true);
    const total = (key: "score" | "max_score") => Math.round(results.tests.reduce((a: number, t: Record<string, number>) => a + t[key], 0) * 100) / 100;
    return { results, score: total("score"), max: total("max_score") };
  }

  it("#19 gradescope: the package holds setup.sh, run_autograder and src/ stubs, never a solution", () => {
    const source = path.join(gradescope(), "source");
    for (const file of ["setup.sh", "run_autograder", "grading.json", "package-lock.json", "tools/core/grade.ts"]) expect(fs.existsSync(path.join(source, file)), file).to.equal(true);
    expect(fs.statSync(path.join(source, "run_autograder")).mode & 0o111).to.not.equal(0);
    const walk = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
    for (const file of walk(path.join(source, "src"))) expect(fs.readFileSync(file, "utf8"), file).to.not.include("BEGIN SOLUTION");
    expect(fs.readFileSync(path.join(source, "src", "ex1-tiered-pipeline", "TieredPipelineContext.ts"), "utf8")).to.equal(fs.readFileSync(path.join(release, "src", "ex1-tiered-pipeline", "TieredPipelineContext.ts"), "utf8"));
  });

  it("#19 gradescope: run_autograder on the reference solution (a folder holding only src/) scores 100 of 100", () => {
    const { score, max, results } = gradeOnGradescope((dir) => fs.cpSync(path.join(ROOT, "src"), path.join(dir, "src"), { recursive: true }));
    expect([score, max, results.score]).to.deep.equal([100, 100, 100]);
  });

  it("#19 gradescope: run_autograder on a fresh release (a whole repository) scores 0 of 100", () => {
    const { score, max, results } = gradeOnGradescope((dir) => fs.cpSync(release, dir, { recursive: true }));
    expect([score, max, results.score]).to.deep.equal([0, 100, 0]);
  });

  it("#19 gradescope: a half-solved submission (exercises 1 and 2 solved, 3 and 4 stubs) scores exactly their 50 points", () => {
    const { score, max } = gradeOnGradescope((dir) => {
      fs.cpSync(path.join(ROOT, "src"), path.join(dir, "src"), { recursive: true });
      for (const ex of ["ex3-metrics", "ex4-resilience"]) {
        fs.rmSync(path.join(dir, "src", ex), { recursive: true });
        fs.cpSync(path.join(release, "src", ex), path.join(dir, "src", ex), { recursive: true });
      }
    });
    expect([score, max]).to.deep.equal([50, 100]);
  });

  it("#19 classroom50: autograder.py in the student's checkout, with the runner's environment, writes a valid result.json worth 100", () => {
    const bundle = path.join(work, "classroom50");
    run("node", ["-r", "ts-node/register/transpile-only", "tools/instructor/autograder/autograder.ts", "classroom50", bundle], ROOT);
    // No node_modules: autograder.py runs npm ci in the bundle itself, as on Classroom 50's runner.
    const checkout = path.join(work, "ts101-lecture34-octocat");
    fs.cpSync(path.join(ROOT, "src"), path.join(checkout, "src"), { recursive: true });
    run("python3", [path.join(bundle, "autograder.py")], checkout, {
      CLASSROOM50_BUNDLE_DIR: bundle,
      CLASSROOM: "ts101",
      ASSIGNMENT: "lecture34",
      MODE: "individual",
      ASSIGNMENT_TYPE: "individual",
      SUBMISSION_TAG: "submit/20261206T010203Z-abc1234",
      USERNAME: "octocat",
      OWNER: "octocat",
      GITHUB_ACTOR: "octocat",
      GITHUB_ACTOR_ID: "583231",
      COMMIT_URL: "https://github.com/org/ts101-lecture34-octocat/commit/abc1234",
      RELEASE_URL: "https://github.com/org/ts101-lecture34-octocat/releases/tag/submit%2F20261206T010203Z-abc1234",
      REVIEW_URL: "https://github.com/org/ts101-lecture34-octocat/compare/000...abc1234",
    });
    const result = JSON.parse(fs.readFileSync(path.join(checkout, "result.json"), "utf8"));
    const valid = schema("classroom50-result-v1.schema.json");
    expect(valid(result), JSON.stringify(valid.errors)).to.equal(true);
    expect([result.score, result["max-score"], result.owner]).to.deep.equal([100, 100, "octocat"]);
    expect(JSON.parse(fs.readFileSync(path.join(bundle, "runtime.json"), "utf8"))).to.deep.equal({ runtime: { node: "24" } });
  });

  it("#19 prairielearn: entrypoint.sh on submitted files (src/'s content) writes a valid results.json with score 1", () => {
    const out = path.join(work, "prairielearn");
    run("node", ["-r", "ts-node/register/transpile-only", "tools/instructor/autograder/autograder.ts", "prairielearn", out], ROOT);
    expect(fs.readFileSync(path.join(out, "Dockerfile"), "utf8")).to.match(/^FROM node:24/m);
    const grader = path.join(out, "grader");
    run("npm", ["ci", "--ignore-scripts", "--include=dev", "--no-audit", "--no-fund"], grader); // the Dockerfile's RUN step
    const grade = path.join(work, "grade");
    fs.cpSync(path.join(ROOT, "src"), path.join(grade, "student"), { recursive: true });
    run("bash", [path.join(grader, "entrypoint.sh")], grade, { GRADE_ROOT: grade, GRADER_DIR: grader });
    const results = JSON.parse(fs.readFileSync(path.join(grade, "results", "results.json"), "utf8"));
    const valid = schema("prairielearn-results.schema.json");
    expect(valid(results), JSON.stringify(valid.errors)).to.equal(true);
    // One entry per requirement, and a second one for each requirement with hidden tests (grading.json).
    const config = loadGradingConfig(path.join(ROOT, "grading.json"));
    const entries = config.exercises.reduce((n, ex) => n + Object.keys(ex.requirements).length * ((ex.hiddenTests ?? []).length > 0 ? 2 : 1), 0);
    expect([results.gradable, results.score, results.tests.length]).to.deep.equal([true, 1, entries]);
  });
});
