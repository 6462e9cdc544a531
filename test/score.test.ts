import { expect } from "./helpers/expect";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { formatVerdict } from "../tools/core/report/feedback";
import { formatNamed, formats, UnknownFormatError } from "../tools/core/report/formats";
import { formatTable } from "../tools/core/report/text";
import type { TestStatus } from "../tools/core/result";
import type { ExerciseOutcomes } from "../tools/core/score/outcome";
import { scoreOutcomes, ungradable } from "../tools/core/score/score";
import { GradingConfigError, hiddenRunnable, loadGradingConfig, presentHiddenTests, type GradingConfig } from "../tools/core/config";
import { parseGradeArgs } from "../tools/core/grade";
import { UsageError } from "../tools/core/cli/args";

const config: GradingConfig = {
  timeouts: { testMs: 1, exerciseMs: 1 },
  hiddenShare: 0.2,
  exercises: [
    { id: 1, title: "One", tests: ["test/one.test.ts"], hiddenTests: ["test/hidden/one.hidden.test.ts"], sources: [], hints: "docs/1.md#hints", requirements: { "R1.1": 5, "R1.2": 5, "R1.3": 10 } },
    { id: 2, title: "Two", tests: ["test/two.test.ts"], sources: [], hints: "", requirements: { "R2.1": 5 } },
  ],
};
const visible = (title: string, status: TestStatus = "passed") => ({ title, file: "test/one.test.ts", status, message: status === "passed" ? "" : "expected 1 to equal 2" });
const hidden = (title: string, status: TestStatus = "passed") => ({ title, file: "test/hidden/one.hidden.test.ts", status, message: status === "passed" ? "" : "expected 3 to equal 4" });
const two: ExerciseOutcomes = { exercise: 2, tests: [{ title: "R2.1 a", file: "test/two.test.ts", status: "passed", message: "" }] };
const root = "/project";

describe("#22 hidden tests: how a requirement's points split between visible and hidden tests", () => {
  it("#22 integer shares: visible tests share 1 − hiddenShare, hidden ones hiddenShare, each equally", () => {
    const result = scoreOutcomes(config, [{ exercise: 1, tests: [visible("R1.1 a"), visible("R1.1 b"), hidden("R1.1 h")] }], { root });
    const r11 = result.requirements[0];
    expect(r11.tests.map((t) => [t.name, t.points, t.maxPoints, t.hidden])).to.deep.equal([["R1.1 a", 2, 2, false], ["R1.1 b", 2, 2, false], ["R1.1 h", 1, 1, true]]);
    expect(r11.points).to.equal(5);
    expect(result.hiddenRan).to.equal(true);
  });

  it("#22 fractional shares are kept to hundredths and a requirement's total is computed before rounding", () => {
    const tests = [visible("R1.3 a"), visible("R1.3 b"), visible("R1.3 c", "failed"), hidden("R1.3 h1"), hidden("R1.3 h2", "failed"), hidden("R1.3 h3", "failed")];
    const result = scoreOutcomes(config, [{ exercise: 1, tests }], { root });
    const r13 = result.requirements.find((r) => r.id === "R1.3")!;
    expect(r13.tests.map((t) => t.maxPoints)).to.deep.equal([2.67, 2.67, 2.67, 0.67, 0.67, 0.67]);
    expect(r13.points).to.equal(6);
    expect(result.hiddenMaxPoints).to.equal(2);
  });

  it("#22 a requirement without hidden tests keeps all its points on its visible tests", () => {
    const result = scoreOutcomes(config, [{ exercise: 1, tests: [visible("R1.1 a"), hidden("R1.1 h"), visible("R1.2 a"), visible("R1.2 b", "failed")] }, two], { root });
    const [r11, r12] = result.requirements;
    expect(r12.tests.map((t) => t.maxPoints)).to.deep.equal([2.5, 2.5]);
    expect(r12.points).to.equal(2.5);
    expect(r11.tests.map((t) => t.maxPoints)).to.deep.equal([4, 1]);
    expect(result.requirements[3].tests[0].maxPoints, "an exercise with no hidden tests at all").to.equal(5);
    expect(result).to.include({ points: 12.5, maxPoints: 25, hiddenMaxPoints: 1, hiddenRan: true });
  });

  it("#22 hidden files missing (a student's repository): the result says so, and the table and npm test say how many points they carry", () => {
    const result = scoreOutcomes(config, [{ exercise: 1, tests: [visible("R1.1 a"), visible("R1.2 a"), visible("R1.3 a")] }, two], { root });
    expect(result).to.include({ hiddenRan: false, hiddenMaxPoints: 4, points: 21, maxPoints: 25 });
    expect(result.requirements.map((r) => r.points)).to.deep.equal([4, 4, 8, 5]);
    const note = "4 of the 25 points come from hidden tests your instructor runs";
    expect(formatTable(result)).to.include(note);
    expect(formatVerdict(result)).to.include(note);
    const instructor = scoreOutcomes(config, [{ exercise: 1, tests: [visible("R1.1 a"), hidden("R1.1 h")] }], { root });
    expect(formatTable(instructor)).not.to.include("hidden tests your instructor runs");
  });

  it("#21 an exercise's flag shows on its own line, not again on the total (the total is not all crashed)", () => {
    const result = scoreOutcomes(config, [{ exercise: 1, tests: [], flags: ["crashed"], loadError: "Error: boom" }, two], { root });
    expect(result.flags).to.include("crashed");
    const table = formatTable(result);
    expect(table).to.match(/^Exercise 1 — .*\bcrashed$/m);
    expect(table).to.match(/^Total\s+\S+ \/ 25$/m);
    expect(formatTable({ ...result, flags: [...result.flags, "late"] })).to.match(/^Total\s+\S+ \/ 25  late$/m);
  });

  it("#22 tampering zeroes hidden points too; an ungradable submission lists every requirement at 0 with the hidden points", () => {
    const result = scoreOutcomes(config, [{ exercise: 1, tests: [visible("R1.1 a"), hidden("R1.1 h")], flags: ["tampered"] }, two], { root });
    expect(result.points).to.equal(0);
    expect(result.requirements.flatMap((r) => r.tests.map((t) => t.points))).to.deep.equal([0, 0, 0]);
    const failed = ungradable(config, "alice", "timeout", "grading stopped");
    expect(failed).to.include({ submission: "alice", points: 0, maxPoints: 25, hiddenMaxPoints: 4, hiddenRan: false, error: "grading stopped" });
    expect(failed.flags).to.deep.equal(["timeout"]);
    expect(failed.requirements.map((r) => r.id)).to.deep.equal(["R1.1", "R1.2", "R1.3", "R2.1"]);
  });

  it("#22 hidden files run where they exist; with one missing (a student's repository) the grade says hidden tests did not run", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hidden-present-"));
    try {
      expect(presentHiddenTests(dir, config.exercises[0])).to.deep.equal([]);
      expect(hiddenRunnable(dir, config.exercises)).to.equal(false);
      fs.mkdirSync(path.join(dir, "test", "hidden"), { recursive: true });
      fs.writeFileSync(path.join(dir, "test", "hidden", "one.hidden.test.ts"), "");
      expect(presentHiddenTests(dir, config.exercises[0])).to.deep.equal(["test/hidden/one.hidden.test.ts"]);
      expect(hiddenRunnable(dir, config.exercises)).to.equal(true);
      expect(hiddenRunnable(dir, [config.exercises[1]]), "no hidden tests listed").to.equal(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("#22 grading.json's hiddenTests and hiddenShare are checked, and errors name the field", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "grading-hidden-"));
    const file = path.join(dir, "grading.json");
    const load = (value: unknown) => () => {
      fs.writeFileSync(file, JSON.stringify(value));
      return loadGradingConfig(file);
    };
    const ex = { id: 1, tests: ["a"], requirements: { "R1.1": 1 } };
    const base = { timeouts: { testMs: 1, exerciseMs: 1 } };
    try {
      expect(load({ ...base, hiddenShare: 0.2, exercises: [{ ...ex, hiddenTests: ["h"] }] })()).to.deep.include({ hiddenShare: 0.2 });
      expect(load({ ...base, exercises: [ex] })()).to.deep.include({ hiddenShare: 0 });
      expect(load({ ...base, exercises: [ex] })().exercises[0].hiddenTests).to.deep.equal([]);
      expect(load({ ...base, hiddenShare: 0.2, exercises: [{ ...ex, hiddenTests: "h" }] })).to.throw(GradingConfigError, /exercises\[0\]\.hiddenTests: expected a list of test files, got "h"/);
      expect(load({ ...base, hiddenShare: 0.2, exercises: [{ ...ex, hiddenTests: ["a"] }] })).to.throw(GradingConfigError, /hiddenTests: expected files not also in tests/);
      expect(load({ ...base, hiddenShare: 1, exercises: [ex] })).to.throw(GradingConfigError, /hiddenShare: expected a number from 0 up to \(not including\) 1, got 1/);
      expect(load({ ...base, exercises: [{ ...ex, hiddenTests: ["h"] }] })).to.throw(GradingConfigError, /hiddenShare: expected a number above 0 and below 1, since an exercise lists hiddenTests/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("#19 report formats and the grade command line", () => {
  const result = scoreOutcomes(config, [two], { root, submission: "bob" });

  it("#19 text and json render a GradeResult; an unknown format names the known ones", () => {
    expect(JSON.parse(formats.json.render(result, {}))).to.deep.equal(result);
    expect(formats.json.defaultFile).to.equal("grade.json");
    expect(formats.text.render(result, {})).to.match(/Total\s+5 \/ 5\n$/);
    expect(() => formatNamed("csv")).to.throw(UnknownFormatError, /--format: expected one of text, json.*, got "csv"/);
    expect(() => formatNamed("toString")).to.throw(UnknownFormatError);
  });

  it("#19 --format is repeatable; --out names one format's file, --out-dir several; by default text on stdout and grade.json", () => {
    const cwd = "/w";
    expect(parseGradeArgs(["2"], cwd)).to.deep.include({ exercises: [2], formats: ["text", "json"], destinations: ["-", "/w/grade.json"] });
    expect(parseGradeArgs(["--out", "r.json"], cwd).destinations).to.deep.equal(["-", "/w/r.json"]);
    expect(parseGradeArgs(["--format", "json", "--out", "-"], cwd).destinations).to.deep.equal(["-"]);
    expect(parseGradeArgs(["--format", "text", "--format", "json", "--out-dir", "o"], cwd).destinations).to.deep.equal(["-", "/w/o/grade.json"]);
    expect(parseGradeArgs(["--submission", "s/alice"], cwd).destinations).to.deep.equal(["-", "/w/grade-reports/alice.json"]);
    expect(() => parseGradeArgs(["--format", "text", "--format", "json", "--out", "x"], cwd)).to.throw(UsageError, /--out: expected one --format \(with several, --out-dir DIR\), got text, json/);
    expect(() => parseGradeArgs(["--bogus"], cwd)).to.throw(UsageError, /^expected \[N …\].*; got "--bogus": Unknown option '--bogus'/);
    expect(() => parseGradeArgs(["two"], cwd)).to.throw(UsageError, /expected exercise numbers \(like 2\), got "two"/);
    expect(() => parseGradeArgs(["--jobs", "0"], cwd)).to.throw(UsageError, /--jobs: expected a positive integer, got "0"/);
    expect(parseGradeArgs(["--submission", "s", "--strict", "--format", "github-summary"], cwd, { GITHUB_STEP_SUMMARY: "/run/summary.md" })).to.deep.include({ strict: true, destinations: [">>/run/summary.md"] });
    expect(parseGradeArgs(["--format", "github-summary"], cwd, {}).destinations).to.deep.equal(["/w/github-summary.md"]);
  });
});

describe("#19 no import cycles in the grading code", () => {
  const { importCycles } = require("../tools/instructor/cycles") as typeof import("../tools/instructor/cycles");

  it("#19 tools/ has no cycle of run-time imports (type-only imports and lazy require() are not edges)", function () {
    this.timeout(30000); // parses some 60 files: about a second, more on a busy machine
    expect(importCycles(path.join(__dirname, "..", "tools"))).to.deep.equal([]);
  });

  it("#19 the check finds a cycle through import and export … from, and ignores import type", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cycles-"));
    try {
      fs.writeFileSync(path.join(dir, "a.ts"), 'import { b } from "./b";\nexport const a = b;\n');
      fs.writeFileSync(path.join(dir, "b.ts"), 'export { c as b } from "./c";\n');
      fs.writeFileSync(path.join(dir, "c.ts"), 'import { a } from "./a";\nexport const c = () => a;\n');
      fs.writeFileSync(path.join(dir, "d.ts"), 'import type { a } from "./a";\nimport { type c } from "./c";\nexport type D = typeof a | typeof c;\n');
      expect(importCycles(dir)).to.deep.equal([["a.ts", "b.ts", "c.ts"]]);
      fs.writeFileSync(path.join(dir, "c.ts"), 'import type { a } from "./a";\nexport const c = (x: typeof a) => x;\n');
      expect(importCycles(dir)).to.deep.equal([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
