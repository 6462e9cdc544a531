import { expect } from "./helpers/expect";
import * as fs from "node:fs";
import * as path from "node:path";
import type { GradingConfig } from "../tools/grade/config";

// The workflow generator is instructor-only: copied into a student checkout, these tests skip.
const ROOT = path.join(__dirname, "..");
const instructorOnly = fs.existsSync(path.join(ROOT, "tools", "classroom", "workflow.ts"));
const suite = instructorOnly ? describe : describe.skip;

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  "working-directory"?: string;
  with?: Record<string, string | number | boolean>;
  env?: Record<string, string>;
}

suite("#12 GitHub Classroom workflow, generated from grading.json", () => {
  const load = () => ({
    generator: require("../tools/classroom/workflow") as typeof import("../tools/classroom/workflow"),
    config: (require("../tools/grade/config") as typeof import("../tools/grade/config")).loadGradingConfig(path.join(ROOT, "grading.json")),
    yaml: require("js-yaml") as { load(text: string): unknown },
  });
  const committed = () => fs.readFileSync(path.join(ROOT, ".github", "workflows", "classroom.yml"), "utf8");
  const stepsOf = (text: string): Step[] => (load().yaml.load(text) as { jobs: Record<string, { steps: Step[] }> }).jobs["run-autograding-tests"].steps;
  const total = (ex: GradingConfig["exercises"][number]) => Object.values(ex.requirements).reduce((a, b) => a + b, 0);

  it("#12 the committed workflow is exactly what `npm run classroom` generates (run it after changing grading.json)", () => {
    const { generator, config } = load();
    expect(generator.isGenerated(committed(), config), "run npm run classroom and commit .github/workflows/classroom.yml").to.equal(true);
  });

  it("#12 one step per exercise, worth that exercise's points in grading.json, and the reporter reads them all", () => {
    const { generator, config } = load();
    const steps = stepsOf(generator.classroomWorkflow(config));
    const graders = steps.filter((s) => s.uses === "classroom-resources/autograding-command-grader@v1");
    expect(graders.map((s) => [s.id, s.with!["max-score"]])).to.deep.equal(config.exercises.map((ex) => [`exercise${ex.id}`, total(ex)]));
    const reporter = steps.at(-1)!;
    expect(reporter.uses).to.equal("classroom-resources/autograding-grading-reporter@v1");
    expect(reporter.with!.runners).to.equal(config.exercises.map((ex) => `exercise${ex.id}`).join(","));
    for (const ex of config.exercises) expect(reporter.env![`EXERCISE${ex.id}_RESULTS`]).to.equal(`\${{ steps.exercise${ex.id}.outputs.result }}`);
  });

  it("#12 changing a requirement's points changes the max score; fractional exercise totals need the partial-credit variant", () => {
    const { generator, config } = load();
    const changed: GradingConfig = { ...config, exercises: config.exercises.map((ex, i) => (i === 1 ? { ...ex, requirements: { ...ex.requirements, [Object.keys(ex.requirements)[0]]: 12 } } : ex)) };
    const scores = stepsOf(generator.classroomWorkflow(changed)).filter((s) => s.with?.["max-score"] !== undefined).map((s) => s.with!["max-score"]);
    expect(scores).to.deep.equal(changed.exercises.map(total));
    const fractional: GradingConfig = { ...config, exercises: [{ ...config.exercises[0], requirements: { "R1.1": 2.5 } }] };
    expect(() => generator.classroomWorkflow(fractional)).to.throw(RangeError, /whole numbers: use --partial-credit/);
    expect(generator.classroomWorkflow(fractional, { partialCredit: true })).to.include("--github-output");
  });

  for (const partialCredit of [false, true]) {
    const variant = partialCredit ? "partial-credit variant" : "default";
    it(`#12 ${variant}: grades with the grading source's files, never the student's scripts, hooks or credentials`, () => {
      const { generator, config } = load();
      const text = generator.classroomWorkflow(config, { partialCredit });
      const steps = stepsOf(text);
      const checkouts = steps.filter((s) => s.uses?.startsWith("actions/checkout@"));
      expect(checkouts.map((s) => s.with!.path)).to.deep.equal(["submission", "grading"]);
      for (const s of checkouts) expect(s.with!["persist-credentials"], s.name).to.equal(false);
      const grading = checkouts[1].with!;
      expect(grading).to.include({ repository: "${{ vars.GRADING_REPOSITORY }}", ref: "${{ vars.GRADING_REF }}", token: "${{ secrets.GRADING_TOKEN || github.token }}" });
      expect(steps[0].run).to.include("^[0-9a-f]{40}$");
      const node = steps.find((s) => s.uses?.startsWith("actions/setup-node@"))!;
      expect(["22", "24"]).to.include(String(node.with!["node-version"]));
      const commands = steps.map((s) => (s.run ?? String(s.with?.command ?? "")).trim()).filter(Boolean);
      for (const command of commands) {
        expect(command, "no npm script runs").to.not.match(/\bnpm (run|test|start|exec)\b|\bnpx\b/);
        if (/\bnpm (ci|install)\b/.test(command)) expect(command).to.include("--ignore-scripts");
      }
      const install = steps.find((s) => /npm ci/.test(s.run ?? ""))!;
      expect(install["working-directory"]).to.equal("grading");
      const graders = steps.filter((s) => /tools\/grade\/grade\.ts/.test(s.run ?? String(s.with?.command ?? "")));
      expect(graders).to.have.length(config.exercises.length);
      for (const s of graders) {
        const command = s.run ?? String(s.with!.command);
        expect(s["working-directory"] === "grading" || command.startsWith("cd grading && "), s.name).to.equal(true);
        expect(command).to.match(/^(?:cd grading && )?node -r ts-node\/register\/transpile-only tools\/grade\/grade\.ts --submission \.\.\/submission --out (\S+) \d+ ?(&&|;) node -r ts-node\/register\/transpile-only tools\/grade\/classroomResult\.ts \1 --(strict|github-output)( |$)/);
      }
      for (const s of steps.filter((step) => step.uses?.startsWith("actions/"))) {
        expect(Number(/@v(\d+)$/.exec(s.uses!)?.[1]), `${s.uses}: a release that runs on Node 24`).to.be.at.least(5);
      }
    });
  }

  it("#12 the Classroom result has one test per requirement whose scores sum to the report's points; --strict wants them all", () => {
    const { toRunnerResult } = require("../tools/grade/classroomResult") as typeof import("../tools/grade/classroomResult");
    const test = (status: "passed" | "failed" | "timeout", message = "") => ({ name: `t ${status}`, status, message, points: 0, maxPoints: 0, hidden: false });
    const report = {
      submission: "s",
      points: 7.5,
      maxPoints: 15,
      hiddenMaxPoints: 0,
      hiddenRan: false,
      flags: ["timeout"],
      durationMs: 1,
      exercises: [],
      requirements: [
        { id: "R1.1", exercise: 1, points: 5, maxPoints: 5, tests: [test("passed"), test("passed")] },
        { id: "R1.2", exercise: 1, points: 2.5, maxPoints: 5, tests: [test("passed"), test("timeout", "ran past 5000 ms")] },
        { id: "R1.3", exercise: 1, points: 0, maxPoints: 5, tests: [] },
      ],
    };
    const result = toRunnerResult(report);
    expect(result).to.include({ version: 1, status: "fail", max_score: 15 });
    expect(result.tests.map((t) => [t.name, t.status, t.score])).to.deep.equal([["R1.1 (2/2 tests)", "pass", 5], ["R1.2 (1/2 tests)", "fail", 2.5], ["R1.3 (0/0 tests)", "fail", 0]]);
    expect(result.tests[1].message).to.equal("t timeout: timeout: ran past 5000 ms");
    expect(result.tests[2].message).to.equal("no test result [timeout]");
  });

  it("#12 partial credit: a grader that reports nothing still posts an error result worth 0 of the exercise's points", () => {
    const { generator, config } = load();
    const steps = stepsOf(generator.classroomWorkflow(config, { partialCredit: true }));
    for (const ex of config.exercises) {
      const step = steps.find((s) => s.id === `exercise${ex.id}`)!;
      const encoded = /\|\| echo "result=([A-Za-z0-9+/=]+)" >> "\$GITHUB_OUTPUT"$/.exec(step.run!)![1];
      const result = JSON.parse(Buffer.from(encoded, "base64").toString("utf8"));
      expect(result).to.include({ version: 1, status: "error", max_score: total(ex) });
      expect(result.tests[0]).to.include({ status: "error", score: 0 });
    }
  });
});
