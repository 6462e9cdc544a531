import { expect } from "./helpers/expect";
import * as path from "node:path";
import { planRun, strykerConfig } from "../tools/instructor/mutants/config";
import { hasHiddenTests, withoutHiddenKills, type KillReport } from "../tools/instructor/mutants/hidden";
import { mutateRanges, regionsOfText, solutionRegions } from "../tools/instructor/mutants/regions";
import { formatScores, scoreRequirements, textAt, totalScore, type MutationReport, type ReportMutant } from "../tools/instructor/mutants/score";

const ROOT = path.join(__dirname, "..");

describe("#14 mutation testing: regions, Stryker's mutate list and the score per requirement", () => {
  const source = [
    "export class Gauge {", // 1
    "  read(x: number): number {", // 2
    "    // BEGIN SOLUTION R9.1", // 3
    "    if (x < 0) return 0;", // 4
    "    return x * 2;", // 5
    "    // END SOLUTION", // 6
    "  }", // 7
    "  reset(): void {", // 8
    "    // BEGIN SOLUTION R9.2", // 9
    "    this.x = 0;", // 10
    "    // END SOLUTION", // 11
    "  }", // 12
    "  x = 1;", // 13
    "}", // 14
  ].join("\n");
  const file = "src/ex9/Gauge.ts";
  const regions = regionsOfText(source, file);

  let nextId = 0;
  const mutant = (line: number, status: string, extra: Partial<ReportMutant> = {}): ReportMutant => ({
    id: String(nextId++),
    mutatorName: "EqualityOperator",
    replacement: "x <= 0",
    status,
    location: { start: { line, column: 9 }, end: { line, column: 14 } },
    ...extra,
  });

  it("#14 each region has its requirement and both marker lines; Stryker mutates only the lines between them", () => {
    expect(regions).to.deep.equal([
      { file, requirement: "R9.1", begin: 3, end: 6 },
      { file, requirement: "R9.2", begin: 9, end: 11 },
    ]);
    expect(mutateRanges(regions)).to.deep.equal(["src/ex9/Gauge.ts:4-5", "src/ex9/Gauge.ts:10-10"]);
  });

  it("#14 a mutant counts for the region enclosing its line; mutants outside every region are not counted", () => {
    const report: MutationReport = {
      files: {
        [file]: {
          mutants: [
            mutant(4, "Killed"),
            mutant(4, "Timeout"),
            mutant(5, "Survived", { mutatorName: "ArithmeticOperator", replacement: "x / 2" }),
            mutant(5, "NoCoverage"),
            mutant(5, "CompileError"),
            mutant(10, "Killed"),
            mutant(10, "Ignored", { statusReason: "equivalent: x is overwritten before any read" }),
            mutant(13, "Survived"),
            mutant(1, "Survived"),
          ],
        },
        "src/other.ts": { mutants: [mutant(4, "Survived")] },
      },
    };
    const [r1, r2] = scoreRequirements(report, regions);
    expect(r1).to.include({ requirement: "R9.1", killed: 1, timeout: 1, survived: 1, noCoverage: 1, ignored: 0, invalid: 1 });
    expect(r1.score).to.equal(50);
    expect(r1.survivors.map((s) => `${s.file}:${s.line} ${s.mutatorName} ${s.status}`)).to.deep.equal([
      "src/ex9/Gauge.ts:5 ArithmeticOperator Survived",
      "src/ex9/Gauge.ts:5 EqualityOperator NoCoverage",
    ]);
    expect(r2).to.include({ requirement: "R9.2", killed: 1, survived: 0, ignored: 1, ignoredWithoutReason: 0 });
    expect(r2.score, "a mutant disabled with a reason leaves the score").to.equal(100);
    expect(totalScore([r1, r2]).score).to.be.closeTo(100 * 3 / 5, 1e-9);
  });

  it("#14 a mutant disabled without a reason counts as alive and is listed", () => {
    const report: MutationReport = {
      files: { [file]: { mutants: [mutant(10, "Killed"), mutant(10, "Ignored", { statusReason: "Ignored using a comment" }), mutant(10, "Ignored")] } },
    };
    const [, r2] = scoreRequirements(report, regions);
    expect(r2).to.include({ ignored: 0, ignoredWithoutReason: 2 });
    expect(r2.score).to.be.closeTo(100 / 3, 1e-9);
    expect(r2.survivors.map((s) => s.status)).to.deep.equal(["Ignored without a reason", "Ignored without a reason"]);
  });

  it("#14 a requirement without mutants has no score, and the table marks those under 95% and lists survivors as file:line:column", () => {
    const survivor = mutant(5, "Survived", {
      mutatorName: "ArithmeticOperator",
      replacement: "x\n  / 2",
      location: { start: { line: 5, column: 12 }, end: { line: 5, column: 17 } },
    });
    const report: MutationReport = { files: { [file]: { source, mutants: [survivor] } } };
    const scores = scoreRequirements(report, regions, ["R9.1", "R9.2", "R9.3"]);
    expect(scores.map((s) => s.requirement)).to.deep.equal(["R9.1", "R9.2", "R9.3"]);
    expect(Number.isNaN(scores[2].score)).to.equal(true);
    const text = formatScores(scores);
    expect(text).to.match(/^R9\.1 .* 0\.0% ✘$/m);
    expect(text).to.match(/^R9\.3 .* —$/m);
    expect(text).to.include("R9.1 survivors (1):\n  src/ex9/Gauge.ts:5:12  ArithmeticOperator: x * 2 → x / 2");
    expect(textAt(source.split("\n"), { start: { line: 4, column: 16 }, end: { line: 5, column: 11 } })).to.equal("return 0;\n    return");
  });

  it("#14 the repository's regions: every requirement in grading.json has one, and a selection runs only its exercises' tests", () => {
    const all = solutionRegions(ROOT);
    const plan = planRun(ROOT, all, "R3.2");
    expect(plan.regions.length).to.be.greaterThan(0);
    expect(plan.regions.every((r) => r.requirement === "R3.2" && r.file.startsWith("src/ex3-metrics/"))).to.equal(true);
    expect(plan.tests).to.deep.equal(["test/ex3-metrics.test.ts", "test/hidden/ex3-metrics.hidden.test.ts"]);
    const everything = planRun(ROOT, all);
    expect(new Set(all.map((r) => r.requirement))).to.deep.equal(new Set(everything.requirements));
    const config = strykerConfig(plan) as { mutate: string[]; mochaOptions: { spec: string[] } };
    expect(config.mutate).to.deep.equal(mutateRanges(plan.regions));
    expect(config.mochaOptions.spec).to.deep.equal(["test/ex3-metrics.test.ts", "test/hidden/ex3-metrics.hidden.test.ts"]);
    expect(() => planRun(ROOT, all, "R7.7")).to.throw(/expected requirements from grading.json .* got "R7.7"/);
    const mixed = planRun(ROOT, all, "R4,R1.4");
    expect(mixed.requirements).to.deep.equal(["R1.4", "R4.1", "R4.2", "R4.3", "R4.4", "R4.5"]);
    expect(mixed.tests).to.deep.equal([
      "test/ex1-tiered-pipeline.test.ts", "test/hidden/ex1-tiered-pipeline.hidden.test.ts", "test/ex4-resilience.test.ts", "test/hidden/ex4-resilience.hidden.test.ts",
    ]);
  });

  it("#22 the score without hidden tests: a mutant only hidden tests killed counts as a survivor, one a visible test killed stays killed", () => {
    const at = (line: number) => ({ start: { line, column: 1 }, end: { line, column: 2 } });
    const report: KillReport = {
      files: {
        "src/ex9/Gauge.ts": {
          mutants: [
            { id: "1", mutatorName: "A", status: "Killed", location: at(2), killedBy: ["v1", "h1"] },
            { id: "2", mutatorName: "B", status: "Killed", location: at(3), killedBy: ["h1"] },
            { id: "3", mutatorName: "C", status: "Timeout", location: at(4) },
          ] as KillReport["files"][string]["mutants"],
        },
      },
      testFiles: {
        "test/ex9.test.ts": { tests: [{ id: "v1", name: "Exercise 9 R9.1 visible" }] },
        "test/hidden/ex9.hidden.test.ts": { tests: [{ id: "h1", name: "Exercise 9 — hidden tests R9.1 other inputs" }] },
      },
    };
    const regions = [{ file: "src/ex9/Gauge.ts", requirement: "R9.1", begin: 1, end: 9 }];
    expect(hasHiddenTests(report)).to.equal(true);
    const [visible] = scoreRequirements(withoutHiddenKills(report), regions);
    const [both] = scoreRequirements(report, regions);
    expect([both.killed, both.survived, both.timeout]).to.deep.equal([2, 0, 1]);
    expect([visible.killed, visible.survived, visible.timeout]).to.deep.equal([1, 1, 1]);
    expect(report.files["src/ex9/Gauge.ts"].mutants[1].status, "the report itself").to.equal("Killed");
  });
});
