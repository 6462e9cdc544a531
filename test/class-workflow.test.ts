import { expect } from "./helpers/expect";
import * as fs from "node:fs";
import * as path from "node:path";

// The workflow generator is instructor-only: copied into a student checkout, these tests skip.
const ROOT = path.join(__dirname, "..");
const instructorOnly = fs.existsSync(path.join(ROOT, "tools", "instructor", "workflow.ts"));
const suite = instructorOnly ? describe : describe.skip;

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  "working-directory"?: string;
  with?: Record<string, string | number | boolean>;
}

suite("#19 GitHub Actions grading workflow (no platform), generated from grading.json", () => {
  const load = () => ({
    generator: require("../tools/instructor/workflow") as typeof import("../tools/instructor/workflow"),
    config: (require("../tools/core/config") as typeof import("../tools/core/config")).loadGradingConfig(path.join(ROOT, "grading.json")),
    yaml: require("js-yaml") as { load(text: string): unknown },
  });
  const committed = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");
  const parse = (text: string) => load().yaml.load(text) as { permissions: Record<string, string>; jobs: Record<string, { steps: Step[]; "timeout-minutes": number }> };

  it("#19 the committed workflow is exactly what `npm run workflow` generates (run it after changing grading.json)", () => {
    const { generator, config } = load();
    expect(committed(generator.WORKFLOW_PATH), "run npm run workflow and commit .github/workflows/grade.yml").to.equal(generator.gradingWorkflow(config));
    expect(fs.existsSync(path.join(ROOT, ".github", "workflows", "classroom.yml")), "the retired GitHub Classroom workflow is gone").to.equal(false);
  });

  it("#19 grades with the grading source's files at a pinned commit, never the student's scripts, hooks or credentials", () => {
    const { generator, config } = load();
    const workflow = parse(generator.gradingWorkflow(config));
    expect(workflow.permissions).to.deep.equal({ contents: "read" });
    const steps = workflow.jobs.grade.steps;
    const checkouts = steps.filter((s) => s.uses?.startsWith("actions/checkout@"));
    expect(checkouts.map((s) => s.with!.path)).to.deep.equal(["submission", "grading"]);
    for (const s of checkouts) expect(s.with!["persist-credentials"], s.name).to.equal(false);
    expect(checkouts[1].with!).to.include({ repository: "${{ vars.GRADING_REPOSITORY }}", ref: "${{ vars.GRADING_REF }}", token: "${{ secrets.GRADING_TOKEN || github.token }}" });
    expect(steps[0].run).to.include("^[0-9a-f]{40}$");
    const node = steps.find((s) => s.uses?.startsWith("actions/setup-node@"))!;
    expect(String(node.with!["node-version"])).to.equal("24");
    for (const command of steps.map((s) => (s.run ?? "").trim()).filter(Boolean)) {
      expect(command, "no npm script runs").to.not.match(/\bnpm (run|test|start|exec)\b|\bnpx\b/);
      if (/\bnpm (ci|install)\b/.test(command)) expect(command).to.include("--ignore-scripts");
    }
    for (const s of steps.filter((step) => step.uses?.startsWith("actions/"))) {
      expect(Number(/@v(\d+)$/.exec(s.uses!)?.[1]), `${s.uses}: a release that runs on Node 24`).to.be.at.least(5);
    }
  });

  it("#19 one grading step: the GitHub summary format and --strict (the job fails unless every point was earned), no Classroom action", () => {
    const { generator, config } = load();
    const text = generator.gradingWorkflow(config);
    const steps = parse(text).jobs.grade.steps;
    const graders = steps.filter((s) => /tools\/core\/grade\.ts/.test(s.run ?? ""));
    expect(graders).to.have.length(1);
    expect(graders[0]["working-directory"]).to.equal("grading");
    expect(graders[0].run).to.equal(generator.GRADE_COMMAND);
    expect(generator.GRADE_COMMAND).to.match(/--submission \.\.\/submission --format github-summary --strict$/);
    expect(text).to.not.match(/classroom-resources|autograding/);
  });

  it("#19 the job's time limit follows grading.json's submission limit", () => {
    const { generator, config } = load();
    const minutes = (submissionMs: number) => parse(generator.gradingWorkflow({ ...config, timeouts: { ...config.timeouts, submissionMs } })).jobs.grade["timeout-minutes"];
    expect([minutes(300_000), minutes(600_000)]).to.deep.equal([15, 20]);
  });
});
