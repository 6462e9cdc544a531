import { expect } from "./helpers/expect";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { GradingConfigError, loadGradingConfig, requirementOf } from "../tools/core/config";
import { grade } from "../tools/core/grade";
import { formatNextStep, formatProgress } from "../tools/core/report/feedback";
import { formatTable } from "../tools/core/report/text";
import type { GradeResult, TestResult } from "../tools/core/result";
import { fromGraderRun } from "../tools/core/score/adapt";
import { scoreOutcomes } from "../tools/core/score/score";
import type { ExerciseRun } from "../tools/instructor/grader/runExercise";
import { affectedExercises, formatWatchScreen, scoresOf } from "../tools/student/watch";
import { parseEventLine } from "../tools/instructor/grader/protocol";
import { PERMISSION_FLAG, permissionSyntax, sandboxCommand } from "../tools/instructor/grader/sandbox";
import { transpileAll, transpileFile } from "../tools/instructor/grader/transpile";

const FIXTURES = path.join(__dirname, "fixtures", "grader");

// Grading the fixture class and the CLI runs take seconds of child processes. A full run (npm test) starts them
// at load, while mocha runs the other files; a filtered run (`-g R2.3`) starts them only if it reaches these tests.
let fixtureGrading: Promise<GradeResult> | undefined;
const startFixtureGrading = () => (fixtureGrading ??= grade({ root: FIXTURES }));
let cliRuns: ReturnType<typeof runGradeCli> | undefined;
const startCliRuns = () => (cliRuns ??= runGradeCli([["3", "--strict"], ["3"], ["6", "--strict"], ["9"], ["6", "--format", "junit"]]));
if (!process.argv.some((arg) => /^(-g|--grep|-f|--fgrep)(=|$)/.test(arg))) {
  startFixtureGrading().catch(() => {});
  startCliRuns().catch(() => {});
}

/** Runs `npm run grade` on the fixtures once per argument list, all at once, each with its own report folder. */
async function runGradeCli(argLists: string[][]) {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "grade-cli-"));
  const github = path.join(out, "github-output");
  fs.writeFileSync(github, "");
  const script = path.join(__dirname, "..", "tools", "core", "grade.ts");
  const runs = await Promise.all(
    argLists.map(
      (args, i) =>
        new Promise<{ status: number; stdout: string; report: string }>((resolve) => {
          const report = path.join(out, String(i), "grade.json");
          fs.mkdirSync(path.dirname(report));
          const env = { ...process.env, GITHUB_OUTPUT: github };
          execFile(process.execPath, ["-r", "ts-node/register/transpile-only", script, "--root", FIXTURES, "--out", report, ...args], { env }, (error, stdout) =>
            resolve({ status: error ? Number(error.code) : 0, stdout, report }),
          );
        }),
    ),
  );
  return { out, github, runs };
}

describe("#6 grader survives bad submissions (fixtures in test/fixtures/grader)", function () {
  // Ten fixture exercises, some restarted several times, each process a plain child: over a minute when the
  // machine is loaded (npm test runs the integration suites side by side).
  this.timeout(240_000);
  let report: GradeResult;
  const test = (name: string): TestResult => {
    const found = report.requirements.flatMap((r) => r.tests).find((t) => t.name === name);
    if (!found) throw new Error(`no graded test named ${JSON.stringify(name)}`);
    return found;
  };
  const exercise = (id: number) => report.exercises.find((ex) => ex.id === id)!;

  before(async () => {
    report = await startFixtureGrading();
  });

  it("#6 the report covers every exercise and requirement of the config", () => {
    const config = loadGradingConfig(path.join(FIXTURES, "grading.json"));
    expect(report.exercises.map((ex) => ex.id)).to.deep.equal(config.exercises.map((ex) => ex.id));
    expect(report.maxPoints).to.equal(105);
    for (const ex of config.exercises) {
      expect(report.requirements.filter((r) => r.exercise === ex.id).map((r) => r.id)).to.deep.equal(Object.keys(ex.requirements));
    }
  });

  it("#6 a test that loops forever times out, and the exercise's other tests still run", () => {
    expect(test("R1.1 never returns")).to.include({ status: "timeout", points: 0 });
    expect(test("R1.1 never returns").message).to.match(/longer than 600 ms/);
    expect(test("R1.2 still runs after the endless loop was killed")).to.include({ status: "passed", points: 5 });
  });

  it("#6 process.exit() in a test fails only that test", () => {
    expect(test("R2.1 passes before the exit").status).to.equal("passed");
    expect(test("R2.2 exits the process")).to.include({ status: "crashed", points: 0 });
    expect(test("R2.2 exits the process").message).to.match(/process\.exit\(\)/);
    expect(test("R2.3 still runs after the exit").status).to.equal("passed");
  });

  it("#6 throwing a string, undefined, an unprintable object or rejecting with null fails with a message", () => {
    for (const name of ["R3.1 throws a string", "R3.2 throws undefined", "R3.3 throws an object whose toString throws", "R3.4 rejects with null"]) {
      expect(test(name).status, name).to.equal("failed");
      expect(test(name).message, name).to.be.a("string").and.not.equal("");
    }
    expect(test("R3.1 throws a string").message).to.include("just a string");
  });

  it("#6 megabytes of output neither block nor bloat the report", () => {
    expect(test("R4.1 prints 8 MB and passes").status).to.equal("passed");
    expect(test("R4.2 fails with a message of a megabyte").message.length).to.be.below(2100);
    expect(JSON.stringify(report).length).to.be.below(100_000);
  });

  it("#6 a syntax error zeroes only its own exercise, and says why", () => {
    expect(exercise(5).points).to.equal(0);
    expect(exercise(5).loadError).to.match(/syntax-src\.ts\(2,14\).*Expression expected/s);
    expect(report.requirements.find((r) => r.id === "R5.1")!.tests, "no test ran").to.deep.equal([]);
    expect(exercise(5).flags).to.include("compile-error");
  });

  it("#6 type errors do not cost anything: the code is graded on what it does", () => {
    expect(exercise(6).points).to.equal(5);
  });

  it("#6 replacing Math.random, timers, Date and process.exit affects only that exercise's own tests", () => {
    expect(test("R7.1 replaces Math.random, the timers, Date, performance.now and process.exit").status).to.equal("passed");
    expect(test("R7.2 waits on a timer that never fires")).to.include({ status: "failed" });
    expect(test("R7.2 waits on a timer that never fires").message).to.match(/Timeout of 600ms/);
    expect(test("R7.3 still runs").status).to.equal("passed");
  });

  it("#6 process.exit() while loading the tests is a load error for that exercise only", () => {
    expect(exercise(8).loadError).to.match(/exited with code 3/);
    expect(exercise(6).loadError).to.equal(undefined);
  });

  it("#11 a timer that throws during a later test does not cost that test: it is re-run alone", () => {
    expect(test("R10.1 leaves a timer that throws later").status).to.equal("passed");
    expect(test("R10.2 waits while the stray timer fires, and is re-run alone")).to.include({ status: "passed", points: 5 });
  });

  it("#11 a requirement whose tests all loop stops after its time together; the next requirement still runs", () => {
    expect(test("R11.1 loop 1").status).to.equal("timeout");
    expect(test("R11.1 loop 2").status).to.equal("timeout");
    expect(test("R11.1 loop 3")).to.include({ status: "timeout" });
    expect(test("R11.1 loop 3").message).to.match(/R11\.1's tests ran out of their time together \(2500 ms\)/);
    expect(test("R11.2 still runs")).to.include({ status: "passed", points: 5 });
  });

  it("#6 totals add up, and the table shows every exercise", () => {
    expect(report.points).to.equal(50);
    const table = formatTable(report);
    for (const id of [1, 2, 3, 4, 5, 6, 7, 8, 10, 11]) expect(table).to.include(`Exercise ${id} — `);
    expect(table).to.match(/Total\s+50 \/ 105/);
  });
});

describe("#6 grader scoring and report formats", () => {
  const exercise = { id: 2, title: "Descriptors", tests: ["t"], sources: [], hints: "docs/exercise-2.md#hints", requirements: { "R2.1": 5, "R2.2": 5, "R2.3": 6 } };
  const config = { timeouts: { testMs: 1, exerciseMs: 1 }, exercises: [exercise] };
  const outcome = (title: string, status: "passed" | "failed", message = "") => ({ id: title, title, file: "t", status, message, durationMs: 1 });
  const run: ExerciseRun = {
    tests: [
      outcome("R2.1 a", "passed"),
      outcome("R2.1 b", "passed"),
      outcome("R2.2 a", "passed"),
      outcome("R2.2 b", "failed", "NotImplementedError: R2.2 RangeFloat.validate: not implemented yet"),
      outcome("R2.2 c", "passed"),
      outcome("R2.x given: helper", "passed"),
    ],
    outputTail: "",
    processes: 1,
  };
  const scored = (r: ExerciseRun = run) => scoreOutcomes(config, [fromGraderRun(2, r)]);

  it("#12 instructor mode transpiles once: a syntax error gives ts-node's TSError text with the file's position, and trusted files are cached by content", () => {
    const tsconfig = path.join(__dirname, "..", "tsconfig.json");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "grade-transpile-"));
    try {
      const broken = transpileFile(path.join(dir, "src", "bad.ts"), "export const x: number = 1;\nconst y = ;\n", tsconfig, dir);
      expect(broken).to.deep.equal({ error: "⨯ Unable to compile TypeScript:\nsrc/bad.ts(2,11): error TS1109: Expression expected.\n" });
      const good = transpileFile(path.join(dir, "ok.ts"), "export const x: number = 1;", tsconfig, dir);
      expect("js" in good && good.js).to.match(/exports\.x = 1;[\s\S]*sourceMappingURL=data:application\/json/);
      const file = path.join(dir, "t.ts");
      fs.writeFileSync(file, "export const a: string = 'a';");
      const cache = path.join(dir, "cache");
      const first = transpileAll([{ file, cache: true }], tsconfig, dir, cache);
      expect(fs.readdirSync(cache)).to.have.length(1);
      expect(transpileAll([{ file, cache: true }], tsconfig, dir, cache)).to.deep.equal(first);
      fs.writeFileSync(file, "export const a: string = 'b';");
      expect(JSON.stringify(transpileAll([{ file, cache: true }], tsconfig, dir, cache))).to.include("'b'");
      expect(fs.readdirSync(cache)).to.have.length(2);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("#6 a requirement's points are shared among its tests; a requirement without tests earns nothing", () => {
    const result = scored();
    expect(result.requirements.map((r) => [r.id, r.tests.filter((t) => t.status === "passed").length, r.tests.length, r.points])).to.deep.equal([
      ["R2.1", 2, 2, 5],
      ["R2.2", 2, 3, 3.33],
      ["R2.3", 0, 0, 0],
    ]);
    expect(result).to.include({ points: 8.33, maxPoints: 16, hiddenMaxPoints: 0, hiddenRan: false });
    expect(result.exercises[0].ungraded!.map((t) => t.name)).to.deep.equal(["R2.x given: helper"]);
    const table = (ungraded: TestResult[]) => formatTable({ ...result, exercises: [{ ...result.exercises[0], ungraded }] });
    expect(table(result.exercises[0].ungraded!), "tests of given code carry no points by design: no line").not.to.include("not graded");
    expect(table([...result.exercises[0].ungraded!, { ...result.exercises[0].ungraded![0], name: "checks R2 stuff" }])).to.include("(1 test(s) in these files name no requirement of this exercise and are not graded)");
    expect(table([])).to.match(/Total\s+8\.33 \/ 16$/);
    expect(result.requirements[1].tests.map((t) => [t.points, t.maxPoints, t.hidden])).to.deep.equal([[1.67, 1.67, false], [0, 1.67, false], [1.67, 1.67, false]]);
  });

  it("#6 the progress line counts requirements done and the next step names the first failing test with its hint", () => {
    const result = scored();
    expect(formatProgress(result, result.exercises[0])).to.equal("Exercise 2: 1/2 requirements run  ✔ R2.1  ✘ R2.2  · R2.3");
    expect(formatNextStep(result)).to.equal(
      "Next: R2.2 (2/3 tests pass) — R2.2 b\n      NotImplementedError: R2.2 RangeFloat.validate: not implemented yet\nHint: docs/exercise-2.md#hints (R2.2)",
    );
  });

  it("#6 requirement IDs are read from the start of a test title only", () => {
    expect(requirementOf("R2.3 OneOf lists every allowed value")).to.equal("R2.3");
    expect(requirementOf("R2.x given: helper")).to.equal(undefined);
    expect(requirementOf("R2.31x")).to.equal(undefined);
    expect(requirementOf("see R2.3")).to.equal(undefined);
  });

  it("#6 a broken grading config is refused with the field that is wrong", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "grading-config-"));
    const write = (config: unknown) => {
      fs.writeFileSync(path.join(dir, "grading.json"), JSON.stringify(config));
      return () => loadGradingConfig(path.join(dir, "grading.json"));
    };
    try {
      const ok = { timeouts: { testMs: 1, exerciseMs: 1 }, exercises: [{ id: 1, tests: ["a"], requirements: { "R1.1": 1 } }] };
      expect(write(ok)().exercises[0].title).to.equal("Exercise 1");
      expect(write({ ...ok, timeouts: { testMs: 0, exerciseMs: 1 } })).to.throw(GradingConfigError, /timeouts\.testMs/);
      expect(write({ ...ok, exercises: [{ ...ok.exercises[0], requirements: { "R1.1": NaN } }] })).to.throw(GradingConfigError, /R1\.1: expected points >= 0, got null/);
      expect(write({ ...ok, exercises: [{ ...ok.exercises[0], requirements: { R11: 1 } }] })).to.throw(GradingConfigError, /expected IDs like "R1\.1", got "R11"/);
      expect(write({ ...ok, exercises: [ok.exercises[0], { ...ok.exercises[0], id: 2 }] })).to.throw(GradingConfigError, /R1\.1 appears twice/);
      fs.writeFileSync(path.join(dir, "grading.json"), "{");
      expect(() => loadGradingConfig(path.join(dir, "grading.json"))).to.throw(GradingConfigError, /readable JSON/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("#6 this repository's grading config covers R1.1 … R4.5, 100 points, and names existing test files and hints", () => {
    const root = path.join(__dirname, "..");
    const config = loadGradingConfig(path.join(root, "grading.json"));
    const ids = config.exercises.flatMap((ex) => Object.keys(ex.requirements));
    expect(ids).to.deep.equal([1, 2, 3, 4].flatMap((e) => [1, 2, 3, 4, 5].map((r) => `R${e}.${r}`)));
    expect(config.exercises.reduce((sum, ex) => sum + Object.values(ex.requirements).reduce((a, b) => a + b, 0), 0)).to.equal(100);
    for (const ex of config.exercises) {
      for (const file of [...ex.tests, ...ex.sources]) expect(fs.existsSync(path.join(root, file)), file).to.equal(true);
      const [doc, anchor] = ex.hints.split("#");
      expect(fs.readFileSync(path.join(root, doc), "utf8")).to.match(new RegExp(`^## ${anchor}$`, "im"));
    }
  });
});

describe("#6 watch mode", () => {
  const config = loadGradingConfig(path.join(__dirname, "..", "grading.json"));

  it("#6 a saved file re-runs its own exercise; shared code re-runs all; other files none", () => {
    expect(affectedExercises(config, "src/ex2-descriptors/OneOf.ts")).to.deep.equal([2]);
    expect(affectedExercises(config, "test/ex3-metrics.test.ts")).to.deep.equal([3]);
    expect(affectedExercises(config, "src/shared/Random.ts")).to.deep.equal([1, 2, 3, 4]);
    expect(affectedExercises(config, "docs/exercise-1.md")).to.deep.equal([]);
    expect(affectedExercises(config, "test/fixtures/grader/loop.fixture.js")).to.deep.equal([]);
    expect(affectedExercises(config, "src/ex2-descriptors-old/x.ts")).to.deep.equal([1, 2, 3, 4]);
  });

  it("#6 the screen shows requirements per exercise and the next step in the exercise being worked on", () => {
    const ran = (id: number, passed: boolean[]) => passed.map((ok, i) => ({ title: `R${id}.${i + 1} t`, file: config.exercises[id - 1].tests[0], passed: ok, message: ok ? "" : "boom" }));
    const root = path.join(__dirname, "..");
    const result = scoresOf(config, root, [1, 2], [...ran(1, [true, false, true, true, true]), ...ran(2, [true, true, false, true, true])]);
    const screen = formatWatchScreen(result, "", 2);
    expect(screen).to.include("Exercise 1: 4/5 requirements").and.include("Exercise 2: 4/5 requirements");
    expect(screen).to.include("Next: R2.3 (0/1 tests pass) — R2.3 t\n      boom\nHint: docs/exercise-2.md#hints (R2.3)\n");
    expect(formatWatchScreen(result, "")).to.include("Next: R1.2");
    expect(formatWatchScreen(scoresOf(config, root, [1], ran(1, [true, true, true, true, true])), "")).to.include("Every requirement whose tests ran passes.");
    expect(formatWatchScreen(scoresOf(config, root, [3], [], "the tests ran longer than 30 s"), "")).to.include("Exercise 3: ⚠ its tests did not load").and.include("Next: make Exercise 3's tests load — the tests ran longer than 30 s");
  });
});

// The Classroom workflow itself is generated from grading.json and checked by test/class-workflow.test.ts.
describe("#6 student-mode grading CLI (--strict, --format)", () => {
  it("#6 --strict exits 1 unless the exercise is complete; without it grading exits 0 whatever the score; --format junit writes --out", async function () {
    this.timeout(30000);
    const { out, runs } = await startCliRuns();
    try {
      const [strictFail, lenient, strictPass, unknown, junit] = runs;
      expect(strictFail.status).to.equal(1);
      expect(strictFail.stdout).to.match(/Exercise 3 — throws non-Error values\s+0 \/ 20/);
      expect(lenient.status).to.equal(0);
      const report = JSON.parse(fs.readFileSync(lenient.report, "utf8"));
      expect(report.exercises.map((ex: { id: number }) => ex.id)).to.deep.equal([3]);
      expect(report).to.include({ maxPoints: 20, hiddenRan: false, hiddenMaxPoints: 0 });
      expect(strictPass.status).to.equal(0);
      expect(unknown.status).to.equal(2);
      expect(junit.status).to.equal(0);
      expect(fs.readFileSync(junit.report, "utf8")).to.match(/^<\?xml[^]*<testsuites[^]*tests="1"/);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});

describe("#11 grader protocol, sandbox and instructor report (units; the attacks are in npm run test:adversarial)", () => {
  const nonce = "n0nce";
  const end = { type: "end", id: "t :: R1.1 a", status: "passed", message: "", durationMs: 3, uncaught: false, stub: false };

  it("#11 an events line counts only with the run's nonce and well-formed JSON of a known shape", () => {
    expect(parseEventLine(`${nonce} ${JSON.stringify(end)}`, nonce)).to.deep.equal(end);
    for (const line of [
      JSON.stringify(end),
      `other ${JSON.stringify(end)}`,
      `${nonce} {not json`,
      `${nonce} ${JSON.stringify({ ...end, status: "ok" })}`,
      `${nonce} ${JSON.stringify({ ...end, durationMs: "3" })}`,
      `${nonce} ${JSON.stringify({ type: "plan", tests: [{ id: 1 }] })}`,
      `${nonce} ${JSON.stringify({ type: "shell", command: "rm" })}`,
      `${nonce} null`,
      `${nonce} [1]`,
      "",
    ]) {
      expect(parseEventLine(line, nonce), line).to.equal(undefined);
    }
  });

  it("#11 the sandbox command sets the permission model, both memory limits and the read/write lists", () => {
    expect(["repeat", "comma"]).to.include(permissionSyntax());
    const comma = sandboxCommand(["child.ts"], { read: ["/a", "/b"], write: ["/t"], heapMb: 512, virtualMb: 2048, permission: true }, "comma").args;
    expect(comma).to.include("--allow-fs-read=/a,/b");
    expect(sandboxCommand(["child.ts"], { read: ["/a"], write: ["/t"], heapMb: 512, virtualMb: 2048, permission: true }, "none").args.join(" ")).to.not.include("--allow-fs");
    const { command, args } = sandboxCommand(["child.ts"], { read: ["/a", "/a", "/b"], write: ["/t"], heapMb: 512, virtualMb: 2048, permission: true }, "repeat");
    const all = [command, ...args].join(" ");
    expect(all).to.include("--max-old-space-size=512").and.include(PERMISSION_FLAG).and.include("--allow-fs-write=/t");
    expect(args.filter((a) => a.startsWith("--allow-fs-read="))).to.deep.equal(["--allow-fs-read=/a", "--allow-fs-read=/b"]);
    expect(args.some((a) => a.startsWith("--allow-child-process") || a.startsWith("--allow-worker"))).to.equal(false);
    if (command === "/bin/sh") expect(args[1]).to.match(/^ulimit -v 2097152 .*exec "\$0" "\$@"$/);
    expect(args.at(-1)).to.equal("child.ts");
  });

  it("#11 the instructor report zeroes a tampered submission, and a compile error costs only its exercise", () => {
    const exercises = [1, 2].map((id) => ({ id, title: `E${id}`, tests: [`t${id}`], sources: [], hints: "", requirements: { [`R${id}.1`]: 5 } }));
    const config = { timeouts: { testMs: 1, exerciseMs: 1 }, exercises };
    const run = (id: number, status: "passed" | "failed", extra: Partial<ExerciseRun> = {}) =>
      fromGraderRun(id, { tests: [{ id: "a", title: `R${id}.1 a`, file: `t${id}`, status, message: "", durationMs: 1 }], outputTail: "", processes: 1, ...extra });
    const honest = scoreOutcomes(config, [run(1, "passed"), run(2, "failed", { tests: [], loadError: "TSError: ⨯ Unable to compile TypeScript" })], { submission: "s", durationMs: 5 });
    expect(honest).to.include({ submission: "s", points: 5, maxPoints: 10, durationMs: 5 });
    expect(honest.flags).to.deep.equal(["compile-error"]);
    expect(honest.exercises.map((ex) => [ex.id, ex.points, ex.flags])).to.deep.equal([[1, 5, []], [2, 0, ["compile-error"]]]);
    expect(honest.requirements[1].tests).to.deep.equal([]);
    const tampered = scoreOutcomes(config, [run(1, "passed"), run(2, "passed", { flags: ["tampered"], tampering: ["canary"] })], { submission: "s" });
    expect(tampered.points).to.equal(0);
    expect(tampered.flags).to.deep.equal(["tampered"]);
    expect(tampered.requirements.map((r) => r.points)).to.deep.equal([0, 0]);
    expect(tampered.requirements.flatMap((r) => r.tests.map((t) => t.points))).to.deep.equal([0, 0]);
  });

  it("#11 the new timeouts and memory limits are checked when given", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "grading-config-"));
    try {
      const file = path.join(dir, "grading.json");
      const base = { timeouts: { testMs: 1, exerciseMs: 1 }, exercises: [{ id: 1, tests: ["a"], requirements: { "R1.1": 1 } }] };
      fs.writeFileSync(file, JSON.stringify({ ...base, timeouts: { ...base.timeouts, requirementMs: -1 } }));
      expect(() => loadGradingConfig(file)).to.throw(GradingConfigError, /timeouts\.requirementMs/);
      fs.writeFileSync(file, JSON.stringify({ ...base, limits: { heapMb: 0 } }));
      expect(() => loadGradingConfig(file)).to.throw(GradingConfigError, /limits\.heapMb/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
