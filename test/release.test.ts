import { expect } from "./helpers/expect";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { hiddenRunnable, loadGradingConfig } from "../tools/core/config";
import { hiddenNote } from "../tools/core/report/points";
import { ungradable } from "../tools/core/score/score";
import { releaseMarkdown, releaseNotebook } from "../tools/instructor/release/documents";
import { MarkerError, stubRegions, type Region } from "../tools/instructor/release/regions";
import { execFileSync } from "node:child_process";
import { MANIFEST_PATH, checkProtectedFiles, type ProtectedManifest } from "../tools/instructor/class/protected";
import { projectFiles, release, releaseFile, releaseManifest } from "../tools/instructor/release/release";
import { AWAITED_PATTERNS, INSTRUCTOR_BRANCHES, KNOWN_EXCEPTIONS, STUDENT_FILES, STUDENT_SCRIPTS, isStudentFile, matchesAny } from "../tools/instructor/release/studentFiles";
import { traceStudentCommands } from "../tools/instructor/release/trace";
import { formatMatrix, judge, loadPrerequisites, planCopies, prerequisitesOf } from "../tools/instructor/teeth/perRequirement";
import { parseArgs } from "../tools/student/test-run/run";
import { formatProgress, formatVerdict } from "../tools/core/report/feedback";
import { isStubError, resultOf } from "../tools/student/test-run/verdict";

const ROOT = path.join(__dirname, "..");

describe("#6 student release: solution regions become stubs", () => {
  const method = [
    'import { Descriptor } from "./Descriptor";',
    "export class OneOf extends Descriptor {",
    "  validate(value: unknown): string {",
    "    // TODO(R2.3): accept only allowed values.",
    "    // BEGIN SOLUTION R2.3",
    "    return String(value);",
    "    // END SOLUTION",
    "  }",
    "}",
  ].join("\n");

  it("#6 a region in a method becomes a NotImplementedError naming requirement and method; the TODO stays", () => {
    const { text, regions } = stubRegions(method, "/repo/src/ex2-descriptors/OneOf.ts");
    expect(text).to.include('    // TODO(R2.3): accept only allowed values.\n    throw new NotImplementedError("R2.3", "OneOf.validate");\n  }');
    expect(text).to.not.include("return String(value)");
    expect(text.split("\n")[1]).to.equal('import { NotImplementedError } from "../shared/NotImplementedError";');
    expect(regions).to.deep.equal([{ requirement: "R2.3", line: 5, what: "OneOf.validate", explicitStub: false }]);
  });

  it("#6 the import is added once, after multi-line imports, and not when the file already has one", () => {
    const multi = `import {\n  a,\n  b,\n} from "./x";\nexport function f() {\n  // BEGIN SOLUTION R1.1\n  return 1;\n  // END SOLUTION\n}\n`;
    expect(stubRegions(multi, "src/ex1/f.ts").text).to.match(/} from "\.\/x";\nimport \{ NotImplementedError \} from "\.\.\/shared\/NotImplementedError";\n/);
    const has = `import { NotImplementedError } from "../shared/NotImplementedError";\n${multi}`;
    expect(stubRegions(has, "src/ex1/f.ts").text.match(/import \{ NotImplementedError \}/g)).to.have.length(1);
  });

  it("#6 an explicit STUB block replaces a region outside any function", () => {
    const text = ["// BEGIN SOLUTION R4.3", "export class A extends B {}", "// END SOLUTION", "// BEGIN STUB", "// export class A extends Error {}", "//", "// END STUB", "export const x = 1;"].join("\n");
    const out = stubRegions(text, "src/ex4/errors.ts");
    expect(out.text).to.equal("export class A extends Error {}\n\nexport const x = 1;");
    expect(out.regions[0]).to.include({ requirement: "R4.3", explicitStub: true });
  });

  it("#6 malformed markers are refused with file and line", () => {
    const bad = (text: string) => () => stubRegions(text, "src/x.ts");
    expect(bad("function f() {\n  // BEGIN SOLUTION R1.1\n  return 1;\n}")).to.throw(MarkerError, /src\/x\.ts:2: the region R1\.1 has no "\/\/ END SOLUTION"/);
    expect(bad("// BEGIN SOLUTION R1.1\nconst a = 1;\n// END SOLUTION")).to.throw(MarkerError, /not inside a function body; add a "\/\/ BEGIN STUB" block/);
    expect(bad("function f() {\n  // BEGIN SOLUTION R1.1\n  // BEGIN SOLUTION R1.2\n  // END SOLUTION\n}")).to.throw(MarkerError, /:3: expected "\/\/ END SOLUTION"/);
    expect(bad("function f() {\n  // END SOLUTION\n}")).to.throw(MarkerError, /:2: expected "\/\/ BEGIN SOLUTION Rx\.y" before this marker/);
    expect(bad("// BEGIN SOLUTION R1.1\n// END SOLUTION\n// BEGIN STUB\nnot commented\n// END STUB")).to.throw(MarkerError, /:4: expected every line of a STUB block to be commented out/);
  });

  it("#6 every requirement in grading.json has at least one region, so every requirement's tests can fail", () => {
    const regions: Region[] = [];
    for (const file of projectFiles(ROOT).filter((f) => f.startsWith("src/") && f.endsWith(".ts"))) {
      const text = releaseFile(file, fs.readFileSync(path.join(ROOT, file), "utf8"), regions);
      expect(text, file).to.not.match(/BEGIN SOLUTION|END SOLUTION|BEGIN STUB/);
    }
    const config = loadGradingConfig(path.join(ROOT, "grading.json"));
    const stubbed = new Set(regions.map((r) => r.requirement));
    const missing = config.exercises.flatMap((ex) => Object.keys(ex.requirements)).filter((id) => !stubbed.has(id));
    expect(missing, `requirements without a solution region: ${missing.join(", ")}`).to.deep.equal([]);
  });

  it("#6 the release's package.json has no install hook, so npm records none in the lock", () => {
    const pkg = JSON.parse(releaseFile("package.json", fs.readFileSync(path.join(ROOT, "package.json"), "utf8"))!);
    expect(pkg.scripts).to.include.keys("start", "test", "grade", "watch");
    expect(pkg.scripts).to.not.include.keys("release", "teeth", "bench");
    // The lock says whether the root package has install hooks: it must agree, or `npm install` rewrites it.
    expect(pkg.scripts, "the release's install hooks").to.not.include.any.keys("preinstall", "install", "postinstall");
  });
});

describe("#6 student release: docs and notebooks", () => {
  it("#6 Markdown loses SOLUTION and INSTRUCTOR blocks and instructor-only lines, and reveals STUDENT blocks", () => {
    const text = [
      "# Title",
      "<!-- BEGIN SOLUTION -->",
      "the answer",
      "<!-- END SOLUTION -->",
      "| a | b | <!-- instructor-only -->",
      "<!-- BEGIN INSTRUCTOR -->",
      "bench figures",
      "<!-- END INSTRUCTOR -->",
      "<!-- BEGIN STUDENT",
      "Your tests fail until you write the stubs.",
      "END STUDENT -->",
      "end",
    ].join("\n");
    expect(releaseMarkdown(text, "README.md")).to.equal("# Title\nYour tests fail until you write the stubs.\nend");
    expect(() => releaseMarkdown("<!-- BEGIN SOLUTION -->\nx", "a.md")).to.throw(MarkerError, /a\.md:1: the block has no END marker/);
    expect(() => releaseMarkdown("<!-- BEGIN STUDENT\nx", "a.md")).to.throw(MarkerError, /STUDENT block/);
  });

  it("#6 notebooks lose outputs and counts; solution cells become their exercise cells; regions in cells are stubbed", () => {
    const notebook = {
      cells: [
        { cell_type: "code", metadata: {}, execution_count: 3, outputs: [{ output_type: "stream", text: "hi" }], source: ["console.log(1);\n"] },
        { cell_type: "code", metadata: { tags: ["solution", "keep"], exercise_source: ["// TODO(R1.2): write f\n", "function f() {}\n"] }, execution_count: 4, outputs: [], source: ["function f() { return 42; }\n"] },
        { cell_type: "code", metadata: {}, execution_count: 5, outputs: [], source: ["function g() {\n", "  // BEGIN SOLUTION R1.3\n", "  return 1;\n", "  // END SOLUTION\n", "}\n"] },
        { cell_type: "markdown", metadata: {}, source: ["Read this.\n", "<!-- BEGIN SOLUTION -->\n", "Spoiler.\n", "<!-- END SOLUTION -->\n"] },
      ],
      metadata: { kernelspec: { name: "tslab" } },
      nbformat: 4,
      nbformat_minor: 5,
    };
    const out = JSON.parse(releaseNotebook(JSON.stringify(notebook), "nb.ipynb"));
    expect(out.cells.map((c: { outputs?: unknown[] }) => c.outputs)).to.deep.equal([[], [], [], undefined]);
    expect(out.cells.map((c: { execution_count?: number }) => c.execution_count)).to.deep.equal([null, null, null, undefined]);
    expect(out.cells[1].source.join("")).to.equal("// TODO(R1.2): write f\nfunction f() {}\n");
    expect(out.cells[1].metadata).to.deep.equal({ tags: ["keep"] });
    expect(out.cells[2].source.join("")).to.include('throw new NotImplementedError("R1.3", "g");');
    expect(out.cells[3].source.join("")).to.equal("Read this.\n");
    expect(out.metadata).to.deep.equal(notebook.metadata);
    const orphan = { ...notebook, cells: [{ cell_type: "code", metadata: { tags: ["solution"] }, source: "x", outputs: [] }] };
    expect(() => releaseNotebook(JSON.stringify(orphan), "nb.ipynb")).to.throw(MarkerError, /cell 0 is tagged "solution" but has no metadata\.exercise_source/);
  });
});

describe("#6 student release: nothing points at instructor-only files", () => {
  it("#6 no released file mentions an instructor-only path or script", () => {
    const pattern = /instructors\.md|npm run (bench|teeth|release)\b|tools\/instructor|\bbench\/|\.ci\/run/;
    const offenders: string[] = [];
    for (const file of projectFiles(ROOT)) {
      const text = releaseFile(file, fs.readFileSync(path.join(ROOT, file), "utf8"));
      if (text === undefined) continue;
      for (const [i, line] of text.split("\n").entries()) if (pattern.test(line)) offenders.push(`${file}:${i + 1}: ${line.trim()}`);
    }
    expect(offenders, offenders.join("\n")).to.deep.equal([]);
  });
});

describe("#10 teeth: each requirement stands alone (tools/instructor/teeth/perRequirement.ts)", () => {
  const file = [
    'import { NotImplementedError } from "../shared/NotImplementedError";',
    "export function a() {",
    "  // BEGIN SOLUTION R1.1",
    "  return 1;",
    "  // END SOLUTION",
    "}",
    "// BEGIN SOLUTION R1.2",
    "export class B extends Map {}",
    "// END SOLUTION",
    "// BEGIN STUB",
    "// export class B {}",
    "// END STUB",
  ].join("\n");

  it("#10 stubRegions keeps the chosen requirements' code, drops their markers and STUB blocks, and stubs the rest", () => {
    const keepB = stubRegions(file, "src/ex1/a.ts", { keep: (r) => r === "R1.2" });
    expect(keepB.text).to.include('throw new NotImplementedError("R1.1", "a");');
    expect(keepB.text).to.include("export class B extends Map {}");
    expect(keepB.text).to.not.match(/BEGIN|END|export class B \{\}/);
    expect(keepB.regions.map((r) => r.requirement)).to.deep.equal(["R1.1"]);
    const keepA = stubRegions(file, "src/ex1/a.ts", { keep: (r) => r === "R1.1" });
    expect(keepA.text).to.include("  return 1;\n}");
    expect(keepA.text).to.include("export class B {}");
    expect(stubRegions(file, "src/ex1/a.ts").text).to.equal(releaseFile("src/ex1/a.ts", file));
  });

  it("#10 grading.json lets every Rx.5 build on Rx.1–Rx.4 and R3.4 on R3.2 and R3.3, and nothing else", () => {
    const config = loadGradingConfig(path.join(ROOT, "grading.json"));
    const prerequisites = loadPrerequisites(path.join(ROOT, "grading.json"), config);
    expect(prerequisites).to.deep.equal({
      "R1.5": ["R1.1", "R1.2", "R1.3", "R1.4"],
      "R2.5": ["R2.1", "R2.2", "R2.3", "R2.4"],
      "R3.4": ["R3.2", "R3.3"],
      "R3.5": ["R3.1", "R3.2", "R3.3", "R3.4"],
      "R4.5": ["R4.1", "R4.2", "R4.3", "R4.4"],
    });
    expect([...prerequisitesOf({ "R3.5": ["R3.4"], "R3.4": ["R3.2", "R3.3"] }, "R3.5")]).to.have.members(["R3.4", "R3.2", "R3.3"]);
  });

  it("#10 a prerequisite that names an unknown requirement is refused", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "prereq-"));
    try {
      const config = loadGradingConfig(path.join(ROOT, "grading.json"));
      fs.writeFileSync(path.join(dir, "grading.json"), JSON.stringify({ prerequisites: { "R1.5": ["R9.9"] } }));
      expect(() => loadPrerequisites(path.join(dir, "grading.json"), config)).to.throw(TypeError, /prerequisites\.R1\.5: expected known requirement IDs, got \["R9\.9"\]/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("#10 only-one keeps the requirement and its prerequisites; all-but-one stubs the requirement alone", () => {
    const config = loadGradingConfig(path.join(ROOT, "grading.json"));
    const copies = planCopies(config, { "R1.5": ["R1.1", "R1.2"] }, ["R1.5", "R1.2"]);
    expect(copies.map((c) => `${c.requirement} ${c.mode}`)).to.deep.equal(["R1.5 only-one", "R1.5 all-but-one", "R1.2 only-one", "R1.2 all-but-one"]);
    const kept = (i: number) => ["R1.1", "R1.2", "R1.3", "R1.4", "R1.5", "R2.1"].filter(copies[i].keep);
    expect(kept(0)).to.deep.equal(["R1.1", "R1.2", "R1.5"]);
    expect(kept(1)).to.deep.equal(["R1.1", "R1.2", "R1.3", "R1.4", "R2.1"]);
    expect(kept(2)).to.deep.equal(["R1.2"]);
    expect(() => planCopies(config, {}, ["R7.1"])).to.throw(RangeError, /got "R7\.1"/);
  });

  describe("#10 judging a copy's run", () => {
    const config = loadGradingConfig(path.join(ROOT, "grading.json"));
    const test = (title: string, state: "passed" | "failed" = "passed", message = "") => ({ title, fullTitle: `Ex ${title}`, state, message });
    const reference = [test("R1.1 a"), test("R1.1 b"), test("R1.2 c"), test("R1.5 d"), test("R1.x given: e")];
    const copy = (requirement: string, mode: "only-one" | "all-but-one") => planCopies(config, { "R1.5": ["R1.1", "R1.2"] }, [requirement]).find((c) => c.mode === mode)!;
    const judgeRun = (requirement: string, mode: "only-one" | "all-but-one", tests: ReturnType<typeof test>[]) =>
      judge(copy(requirement, mode), { tests, durationMs: 1 }, reference, { "R1.5": ["R1.1", "R1.2"] });

    it("#10 only-one: every own test must pass; others may fail; given-code tests must pass", () => {
      expect(judgeRun("R1.1", "only-one", [test("R1.1 a"), test("R1.1 b"), test("R1.2 c", "failed"), test("R1.5 d", "failed"), test("R1.x given: e")]).problems).to.deep.equal([]);
      const bad = judgeRun("R1.1", "only-one", [test("R1.1 a"), test("R1.1 b", "failed", "R1.4 summary: not implemented yet"), test("R1.x given: e", "failed", "boom")]);
      expect(bad.problems).to.deep.equal([
        "fails with only R1.1 solved: R1.1 b — R1.4 summary: not implemented yet",
        "given-code/ungraded test fails: R1.x given: e — boom",
      ]);
    });

    it("#10 all-but-one: every own test must fail, no other requirement's test may, except one built on it", () => {
      const ok = judgeRun("R1.1", "all-but-one", [test("R1.1 a", "failed"), test("R1.1 b", "failed"), test("R1.2 c"), test("R1.5 d", "failed"), test("R1.x given: e")]);
      expect(ok.problems).to.deep.equal([]);
      const bad = judgeRun("R1.2", "all-but-one", [test("R1.1 a", "failed", "R1.2 exit: not implemented yet"), test("R1.1 b"), test("R1.2 c"), test("R1.5 d"), test("R1.x given: e")]);
      expect(bad.problems).to.deep.equal([
        "R1.1 test fails when only R1.2 is stubbed: R1.1 a — R1.2 exit: not implemented yet",
        "passes on its own stub (no teeth): R1.2 c",
      ]);
    });

    it("#10 a test that did not run counts as failing, and a run that wrote no report is one problem", () => {
      const missing = judgeRun("R1.1", "only-one", [test("R1.1 a"), test("R1.x given: e")]);
      expect(missing.problems).to.deep.equal(["fails with only R1.1 solved: R1.1 b — did not run (a hook failed or mocha stopped)"]);
      const crashed = judge(copy("R1.1", "only-one"), { tests: [], error: "killed (SIGKILL) after 120000 ms", durationMs: 1 }, reference, {});
      expect(crashed.problems).to.deep.equal(["the tests did not run: killed (SIGKILL) after 120000 ms"]);
    });

    it("#10 the matrix has one line per requirement and lists every offending test under its run", () => {
      const verdicts = [judgeRun("R1.1", "only-one", [test("R1.1 a"), test("R1.1 b"), test("R1.x given: e")]), judgeRun("R1.1", "all-but-one", [test("R1.1 a"), test("R1.1 b", "failed"), test("R1.2 c"), test("R1.5 d"), test("R1.x given: e")])];
      const text = formatMatrix({ verdicts, referenceProblems: [], wallMs: 1500 });
      expect(text).to.match(/^R1\.1 +✔ 0\.0s +✘ 1 0\.0s$/m);
      expect(text).to.include("R1.1 all-but-one (only R1.1's regions stubbed):\n  - passes on its own stub (no teeth): R1.1 a");
      expect(text).to.include("Per-requirement teeth: 1/2 runs pass, in 1.5 s.");
    });
  });
});

describe("#10 npm test: the student's run ends with the verdict (tools/test-run)", () => {
  const config = loadGradingConfig(path.join(ROOT, "grading.json"));
  const ran = (title: string, passed: boolean, file = "test/ex2-descriptors.test.ts", message = passed ? "" : "expected 1 to equal 2") => ({ title, file, passed, message });

  it("#10 one line per exercise that ran: requirements done, each marked; the next step names test, message, hint and command", () => {
    const tests = [ran("R2.1 a", true), ran("R2.2 b", true), ran("R2.3 c", false), ran("R2.3 d", true), ran("R2.4 e", true), ran("R2.5 f", false), ran("R2.x given: g", true)];
    const states = resultOf(config, ROOT, tests);
    expect(states.exercises.map((s) => s.id)).to.deep.equal([2]);
    const text = formatVerdict(states, { focus: 2, build: "Build: dist/ is up to date." });
    expect(text).to.include("Exercise 2: 3/5 requirements  ✔ R2.1  ✔ R2.2  ✘ R2.3  ✔ R2.4  ✘ R2.5");
    expect(text).to.include("Next: R2.3 (1/2 tests pass) — R2.3 c\n      expected 1 to equal 2\nHint: docs/exercise-2.md#hints (R2.3); re-run this exercise alone: npm test -- 2");
    expect(text.trimEnd().split("\n").pop()).to.equal("Build: dist/ is up to date.");
  });

  it("#10 a filtered run counts only the requirements that ran; a finished exercise says so; given-code failures are flagged", () => {
    const grep = resultOf(config, ROOT, [ran("R2.3 c", true)]);
    expect(formatProgress(grep, grep.exercises[0])).to.equal("Exercise 2: 1/1 requirements run  · R2.1  · R2.2  ✔ R2.3  · R2.4  · R2.5");
    expect(formatVerdict(grep)).to.include("Every requirement whose tests ran passes.");
    const given = formatVerdict(resultOf(config, ROOT, [ran("R2.1 a", true), ran("R2.x given: g", false)]));
    expect(given).to.include("⚠ 1 test(s) of code you were given fail (see above): first R2.x given: g");
  });

  it("#10 a test file that does not load is one failing test: its exercise says so and the next step is to fix it", () => {
    const states = resultOf(config, ROOT, [ran("the test file loads: test/ex2-descriptors.test.ts", false, "test/ex2-descriptors.test.ts", "TSError: ⨯ Unable to compile TypeScript: src/ex2-descriptors/OneOf.ts(3,9): error TS1109: Expression expected.")]);
    expect(formatProgress(states, states.exercises[0])).to.equal("Exercise 2: ⚠ its tests did not load: test/ex2-descriptors.test.ts: TSError: ⨯ Unable to compile TypeScript: src/ex2-descriptors/OneOf.ts(3,9): error TS1109: Expression expected.");
    expect(formatVerdict(states)).to.include("Next: make Exercise 2's tests load — test/ex2-descriptors.test.ts: TSError: ⨯ Unable to compile TypeScript: src/ex2-descriptors/OneOf.ts(3,9)");
  });

  it("#10 a stub failure is recognized directly, inside an assertion message and as a cause", () => {
    class NotImplementedError extends Error {
      override name = "NotImplementedError";
    }
    expect(isStubError(new NotImplementedError("R1.1 enter: not implemented yet"))).to.equal(true);
    expect(isStubError(new Error("expected [Function] to throw 'RangeError' but 'NotImplementedError: R3.1 x' was thrown"))).to.equal(true);
    expect(isStubError(new Error("Property failed", { cause: new NotImplementedError("R2.3 OneOf.validate: not implemented yet") }))).to.equal(true);
    expect(isStubError(new Error("expected 1 to equal 2"))).to.equal(false);
  });

  it("#10 npm test -- 2 selects an exercise; -g, -t and test files are read (#19: node:util parseArgs)", () => {
    expect(parseArgs(["2", "-g", "R2.3"], [1, 2, 3, 4])).to.deep.include({ exercises: [2], files: [], grep: "R2.3" });
    expect(parseArgs(["--timeout", "3", "1", "4"], [1, 2, 3, 4])).to.deep.include({ exercises: [1, 4], timeoutMs: 3 });
    expect(parseArgs(["test/ex2-descriptors.test.ts", "--all"], [1, 2, 3, 4])).to.deep.include({ files: ["test/ex2-descriptors.test.ts"], all: true });
    expect(() => parseArgs(["7"], [1, 2, 3, 4])).to.throw(RangeError, /expected an exercise number among 1, 2, 3, 4, got 7/);
  });

  it("#10 .mocharc.json names no spec, so `npx mocha <file>` runs that file alone, and the reporter ends with the verdict", () => {
    const rc = JSON.parse(fs.readFileSync(path.join(ROOT, ".mocharc.json"), "utf8"));
    expect(rc).to.not.have.property("spec");
    expect(rc.reporter).to.equal("./tools/student/test-run/reporter.ts");
    expect(JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).scripts.test).to.match(/tools\/student\/test-run\/run\.ts$/);
  });
});

describe("#12 student release: tracked files only, and a manifest of the protected files", () => {
  let repo = "";
  let out = "";
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
    fs.writeFileSync(path.join(repo, file), text);
  };
  beforeEach(() => {
    repo = fs.mkdtempSync(path.join(os.tmpdir(), "release-repo-"));
    out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "release-out-")), "student");
    execFileSync("git", ["init", "-q"], { cwd: repo });
    write("package.json", JSON.stringify({ name: "x", scripts: { test: "mocha", release: "node release", grade: "node grade" } }));
    write("test/ex1.test.ts", "it('R1.1 a')");
    write("grading.json", "{}");
    write("src/a.ts", "export const a = 1;");
    write(".gitignore", "ignored.md\n");
    execFileSync("git", ["add", "-A"], { cwd: repo });
    write("docs/draft-answers.md", "the answers");
    write("test/ex2.test.ts", "it('R1.2 untracked')");
    write("ignored.md", "x");
  });
  afterEach(() => {
    fs.rmSync(repo, { recursive: true, force: true });
    fs.rmSync(path.dirname(out), { recursive: true, force: true });
  });

  it("#12 untracked files never ship, ignored or not (a draft of answers in docs/ stays home)", () => {
    expect(projectFiles(repo)).to.deep.equal([".gitignore", "grading.json", "package.json", "src/a.ts", "test/ex1.test.ts"]);
    release(repo, out);
    expect(fs.existsSync(path.join(out, "docs", "draft-answers.md"))).to.equal(false);
    expect(fs.existsSync(path.join(out, "test", "ex2.test.ts"))).to.equal(false);
  });

  it("#12 the release ships a manifest its own files match, equal to the one class grading computes from the instructor's checkout", () => {
    release(repo, out);
    const shipped = JSON.parse(fs.readFileSync(path.join(out, MANIFEST_PATH), "utf8")) as ProtectedManifest;
    expect(Object.keys(shipped.files)).to.deep.equal(["grading.json", "package.json#scripts", "test/ex1.test.ts"]);
    expect(shipped).to.deep.equal(releaseManifest(repo));
    expect(checkProtectedFiles(out, shipped)).to.deep.equal({ changed: [], added: [], missing: [] });
    fs.appendFileSync(path.join(out, "test", "ex1.test.ts"), "\nit.skip");
    expect(checkProtectedFiles(out, shipped).changed).to.deep.equal(["test/ex1.test.ts"]);
  });

  it("#12 this repository's manifest covers every graded test file, grading.json, the scripts, tsconfig, mocha config and the workflow, and no instructor-only file", () => {
    const manifest = releaseManifest(ROOT);
    const config = loadGradingConfig(path.join(ROOT, "grading.json"));
    const expected = [...config.exercises.flatMap((ex) => ex.tests), "grading.json", "package.json#scripts", "tsconfig.json", ".mocharc.json", ".github/workflows/grade.yml", "tools/core/grade.ts"];
    expect(Object.keys(manifest.files)).to.include.members(expected);
    const leaked = Object.keys(manifest.files).filter((file) => file !== "package.json#scripts" && !isStudentFile(file));
    expect(leaked).to.deep.equal([]);
  });
});

describe("#21 student release by allow-list (tools/instructor/release/studentFiles.ts)", () => {
  const tracked = projectFiles(ROOT);
  const instructorPackage = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string>; devDependencies: Record<string, string> };
  const studentPackage = JSON.parse(releaseFile("package.json", JSON.stringify(instructorPackage))!) as typeof instructorPackage;
  const workflows = tracked.filter((file) => file.startsWith(".github/workflows/") && isStudentFile(file));
  const reach = traceStudentCommands(ROOT, studentPackage.scripts, tracked, Object.keys(INSTRUCTOR_BRANCHES), workflows);

  it("#21 a file ships only when a pattern names it: a folder, an exact path or a * pattern; anything new stays home", () => {
    const ships = ["src/ex1-tiered-pipeline/stages.ts", "test/ex1-tiered-pipeline.test.ts", "test/helpers/expect.ts", "docs/exercise-3.md", "tsconfig.build.json", "tools/core/run/mocha.ts", "tools/student/doctor.ts"];
    const stays = ["tools/instructor/class/class.ts", "tools/instructor/release/release.ts", "test/hidden/ex1-tiered-pipeline.hidden.test.ts", "test/fixtures/grader/throw.fixture.js", "test/release.test.ts", "docs/instructors.md", "docs/answers.md", "tools/newTool.ts", "tools/instructor/grader/confine.ts", "tools/grade/newInstructorTool.ts", ".github/workflows/ci.yml", "patches/x.patch", "bench/run.ts", ".ci/run"];
    expect(ships.filter((file) => !isStudentFile(file)), "files that should ship").to.deep.equal([]);
    expect(stays.filter(isStudentFile), "files that should stay").to.deep.equal([]);
    expect(matchesAny("test/ex1.test.ts", ["test/ex*.test.ts"])).to.equal(true);
    expect(matchesAny("test/sub/ex1.test.ts", ["test/ex*.test.ts"])).to.equal(false);
  });

  it("#21 the trace follows imports, requires, spawned files, shell sources, configs and notebooks, not hidden tests, and stops where told", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "trace-"));
    const files: Record<string, string> = {
      "tools/cli.ts": 'import { a } from "./a";\nimport type { T } from "../lib/types";\nconst child = path.join(__dirname, "child.ts");\nrequire("fast-check");\nif (flag) require("./instructor");',
      "tools/a.ts": 'export const a = path.join(root, "tools", "preload.cjs");',
      "tools/child.ts": 'import Mocha from "mocha";',
      "tools/preload.cjs": 'require("./hook.cjs");',
      "tools/hook.cjs": "",
      "tools/instructor.ts": 'import "./secret";',
      "tools/secret.ts": "",
      "tools/run.sh": 'source "$(dirname "${BASH_SOURCE[0]}")/env.sh"\n# tools/comment.ts is not read',
      "tools/env.sh": "node -r ts-node/register/transpile-only -e 'require(\"./tools/a\")'",
      "tools/comment.ts": "",
      "tools/reporter.ts": "",
      "lib/types.ts": "",
      "src/a.ts": 'import "source-map-support";',
      "notebooks/n.ipynb": JSON.stringify({ cells: [{ cell_type: "code", source: ['import { a } from "../dist/a";\n', 'import * as tslab from "tslab";'] }] }),
      ".mocharc.json": JSON.stringify({ require: ["ts-node/register"], reporter: "./tools/reporter.ts" }),
      "grading.json": JSON.stringify({ exercises: [{ tests: ["test/ex1.test.ts"], hiddenTests: ["test/hidden/ex1.hidden.test.ts"] }] }),
      "test/hidden/ex1.hidden.test.ts": "",
      "test/ex1.test.ts": 'import * as sinon from "sinon";',
      "tsconfig.json": JSON.stringify({ compilerOptions: { types: ["node"] } }),
    };
    try {
      for (const [file, text] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        fs.writeFileSync(path.join(dir, file), text);
      }
      const scripts = { cli: "npm run build && node -r ts-node/register/transpile-only tools/cli.ts", build: "node node_modules/typescript/bin/tsc", nb: "bash tools/run.sh" };
      const reach = traceStudentCommands(dir, scripts, Object.keys(files), ["tools/instructor.ts"]);
      expect([...reach.files.keys()].sort()).to.deep.equal(Object.keys(files).filter((f) => !["tools/secret.ts", "tools/comment.ts", "test/hidden/ex1.hidden.test.ts"].includes(f)).sort());
      expect(reach.files.get("tools/child.ts")).to.equal("tools/cli.ts");
      expect([...reach.packages].sort()).to.deep.equal(["@types/node", "fast-check", "mocha", "sinon", "source-map-support", "ts-node", "tslab", "typescript"]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("#21 every pattern names a tracked file, but for the folders the target layout still awaits", () => {
    const stale = STUDENT_FILES.filter((pattern) => !AWAITED_PATTERNS.includes(pattern) && !tracked.some((file) => matchesAny(file, [pattern])));
    expect(stale, `patterns that name no tracked file: remove them from tools/instructor/release/studentFiles.ts`).to.deep.equal([]);
  });

  it("#21 every file a student command imports ships, and every known exception and instructor branch is still reached", () => {
    const missing = [...reach.files].filter(([file]) => !isStudentFile(file) && !Object.hasOwn(INSTRUCTOR_BRANCHES, file)).map(([file, from]) => `${file} (imported by ${from})`);
    expect(missing, `student commands import files the release leaves out: add them to STUDENT_FILES or stop importing them:\n${missing.join("\n")}`).to.deep.equal([]);
    const stale = [...Object.keys(KNOWN_EXCEPTIONS), ...Object.keys(INSTRUCTOR_BRANCHES)].filter((file) => !reach.files.has(file));
    expect(stale, "no student command reaches these any more: remove them from KNOWN_EXCEPTIONS or INSTRUCTOR_BRANCHES").to.deep.equal([]);
    const allowed = Object.keys(KNOWN_EXCEPTIONS).filter((file) => matchesAny(file, STUDENT_FILES));
    expect(allowed, "known exceptions STUDENT_FILES lists anyway").to.deep.equal([]);
  });

  it("#21 no grader sandbox (but for the known exceptions), class grading, teeth, mutants, notebooks-ui, notebook runner, release tool, fixture or hidden test ships", () => {
    const instructorOnly = /^(tools\/(grade\/(child|childLoader|runChild|runExercise|sandbox|harden|canaries|protocol|transpile|listTests|submission|class|gradebook\w*|protected|classroomResult)\.\w+|instructor\/|release\/|teeth|mutants\/|notebooks-ui\/|notebookRunner\.ts|classroom\/)|test\/(hidden|fixtures)\/|docs\/instructors\.md|bench\/|patches\/|\.ci\/)/;
    expect(tracked.filter((file) => isStudentFile(file) && instructorOnly.test(file) && !Object.hasOwn(KNOWN_EXCEPTIONS, file))).to.deep.equal([]);
    expect(tracked.filter((file) => matchesAny(file, STUDENT_FILES) && instructorOnly.test(file)), "the allow-list itself").to.deep.equal([]);
    expect(tracked.filter((file) => file.startsWith("test/") && isStudentFile(file) && !/^test\/(ex\d[\w-]*\.test\.ts|helpers\/)/.test(file))).to.deep.equal([]);
  });

  it("#21 the student's package.json keeps the student's scripts and exactly the packages the student's files use", () => {
    expect(Object.keys(studentPackage.scripts)).to.deep.equal(Object.keys(instructorPackage.scripts).filter((name) => STUDENT_SCRIPTS.includes(name)));
    const used = (name: string) => reach.packages.has(name) || (name.startsWith("@types/") && reach.packages.has(name.slice("@types/".length)));
    const expected = Object.keys(instructorPackage.devDependencies).filter(used);
    expect(Object.keys(studentPackage.devDependencies)).to.deep.equal(expected);
    expect(Object.keys(studentPackage.devDependencies).join(" ")).to.not.match(/stryker|patch-package|puppeteer/);
  });

  describe("#21 a fresh release of this repository", function () {
    this.timeout(120_000);
    let out = "";
    before(() => {
      out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "release-root-")), "student");
      release(ROOT, out);
    });
    after(() => fs.rmSync(path.dirname(out), { recursive: true, force: true }));

    it("#21 holds exactly the tracked files the allow-list names, and the manifest", () => {
      const files = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.relative(out, path.join(dir, e.name)).split(path.sep).join("/")]));
      expect(files(out).sort()).to.deep.equal([...tracked.filter(isStudentFile), MANIFEST_PATH].sort());
    });

    it("#21 its package-lock.json is pruned to the student's packages: it agrees with package.json and every entry is needed", () => {
      const pkg = JSON.parse(fs.readFileSync(path.join(out, "package.json"), "utf8"));
      const lock = JSON.parse(fs.readFileSync(path.join(out, "package-lock.json"), "utf8")) as { packages: Record<string, { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string>; peerDependencies?: Record<string, string>; devDependencies?: Record<string, string>; hasInstallScript?: boolean }> };
      expect(lock.packages[""].devDependencies).to.deep.equal(pkg.devDependencies);
      expect(lock.packages[""], "the released lock's root package").to.not.have.property("hasInstallScript");
      const locations = Object.keys(lock.packages).filter((location) => location !== "");
      expect(locations.filter((location) => /stryker|patch-package|puppeteer/.test(location))).to.deep.equal([]);
      expect(locations.length, "packages in the lock").to.be.at.most(170);
      const wanted = new Set(Object.values(lock.packages).flatMap((entry) => Object.keys({ ...entry.dependencies, ...entry.optionalDependencies, ...entry.peerDependencies })));
      for (const name of Object.keys(pkg.devDependencies)) wanted.add(name);
      const orphans = locations.filter((location) => !wanted.has(location.slice(location.lastIndexOf("node_modules/") + "node_modules/".length)));
      expect(orphans, "lock entries nothing depends on").to.deep.equal([]);
    });
  });
});

describe("#22 student release: hidden tests stay home", () => {
  /** Inputs only the hidden tests use: each must be in a hidden file and in no released file. */
  const HIDDEN_INPUTS = ["sampleHumidity", "253.64159", "entropy exhausted", "halveValues", "Thermostat", "oddsPlus"];

  it("#22 no hidden test file and no hidden input is released; grading.json still names the hidden files", () => {
    const hiddenText = fs.readdirSync(path.join(ROOT, "test", "hidden")).map((f) => fs.readFileSync(path.join(ROOT, "test", "hidden", f), "utf8")).join("\n");
    for (const input of HIDDEN_INPUTS) expect(hiddenText, `a hidden test uses ${input}`).to.include(input);
    const released: string[] = [];
    const leaks: string[] = [];
    for (const file of projectFiles(ROOT)) {
      const text = releaseFile(file, fs.readFileSync(path.join(ROOT, file), "utf8"));
      if (text === undefined) continue;
      released.push(file);
      for (const input of HIDDEN_INPUTS) if (text.includes(input)) leaks.push(`${file}: ${input}`);
    }
    expect(released.filter((f) => f.startsWith("test/hidden/") || f.startsWith("tools/instructor/")), "released hidden or instructor files").to.deep.equal([]);
    expect(leaks, "released files that contain a hidden input").to.deep.equal([]);
    const config = loadGradingConfig(path.join(ROOT, "grading.json"));
    expect(config.exercises.map((ex) => ex.hiddenTests?.length ?? 0), "hidden files per exercise").to.deep.equal([1, 1, 1, 1]);
    expect(config.hiddenShare).to.equal(0.2);
  });
});

describe("#22 the student is told about the hidden tests", () => {
  it("#22 a copy without the hidden files gets one line with the points they carry; the instructor's checkout runs them", () => {
    const config = loadGradingConfig(path.join(ROOT, "grading.json"));
    expect(hiddenRunnable(ROOT, config.exercises), "in the instructor's checkout").to.equal(true);
    const student = fs.mkdtempSync(path.join(os.tmpdir(), "hidden-notice-"));
    try {
      expect(hiddenRunnable(student, config.exercises)).to.equal(false);
      const line = hiddenNote(ungradable(config, student, "not-run", "nothing ran"));
      expect(line).to.equal("20 of the 100 points come from hidden tests your instructor runs: they check the same written requirements on other inputs, so they are not counted here (the most you can see here is 80).");
      expect(fs.readFileSync(path.join(ROOT, "docs", "grading.md"), "utf8"), "docs/grading.md shows the line").to.include(line);
    } finally {
      fs.rmSync(student, { recursive: true, force: true });
    }
  });
});
