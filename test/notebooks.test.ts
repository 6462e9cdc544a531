import { expect } from "./helpers/expect";
import { execFileSync } from "node:child_process";
import assert from "node:assert";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as ts from "typescript";
import { check, CHECK_FAILED, CHECK_PASSED, EXAMPLE_PENDING, example, reloadLibrary } from "../src/notebook";
import { buildProblems } from "../src/notebook/buildCheck";
import { NotImplementedError } from "../src/shared/NotImplementedError";
import { KERNEL_DISPLAY_NAME, KERNEL_NAME, kernelSpec } from "../tools/student/frontEnds";
import { codeCells, NotebookSession, type CellRun } from "../tools/instructor/notebookRunner";

// Plain JavaScript (git runs it as a filter), loaded as CommonJS.
const { strip } = require("../tools/student/nbstrip.cjs") as { strip(text: string): string };

const ROOT = path.join(__dirname, "..");
const NOTEBOOKS = path.join(ROOT, "notebooks");
const notebooks = fs.readdirSync(NOTEBOOKS).filter((f) => f.endsWith(".ipynb")).sort();

/** Notebooks that must draw a chart (an inline SVG through tslab's display API). */
const CHARTS = new Set(["03-metrics-decorators.ipynb", "04-retry-circuit-breaker.ipynb"]);

/** The requirement a notebook belongs to: "01-…" is Exercise 1. */
function exerciseOf(file: string): string {
  return `R${Number(file.slice(0, 2))}`;
}

/**
 * A copy of the notebooks and the built library in a temporary project, so a test can "rebuild" (rewrite `dist/`)
 * without touching the checkout; node_modules is linked.
 */
function sandbox(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lecture34-notebooks-"));
  fs.cpSync(path.join(ROOT, "dist"), path.join(dir, "dist"), { recursive: true });
  fs.cpSync(NOTEBOOKS, path.join(dir, "notebooks"), { recursive: true });
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  return dir;
}

let lastBuild = 0;

/** Simulates `npm run build`: the library's newest file gets a modification time later than any before. */
function rebuild(dir: string): void {
  lastBuild = Math.max(Date.now(), lastBuild) + 1500;
  fs.utimesSync(path.join(dir, "dist", "index.js"), new Date(lastBuild), new Date(lastBuild));
}

const lines = (runs: CellRun[]) => runs.flatMap((r) => r.output.split("\n"));
const problems = (runs: CellRun[]) => lines(runs).filter((l) => l.startsWith(CHECK_FAILED) || l.startsWith(EXAMPLE_PENDING));
const failedCell = (runs: CellRun[]) => runs.find((r) => !r.ok);
const describeFailure = (r: CellRun) => `cell ${r.index} failed:\n${r.source}\n---\n${r.output}`;

/**
 * Runs cells through tslab's executor in a plain `node` process, as the kernel does (no ts-node), in the sandbox
 * `dir`'s notebooks/ folder; returns what each cell printed ("<failed>" first when the cell did not run).
 */
function kernelRun(dir: string, cells: string[]): string[] {
  const driver = `
    const [root, nbDir, cells] = [process.argv[1], process.argv[2], JSON.parse(process.argv[3])];
    const { createConverter } = require(root + "/node_modules/tslab/dist/converter");
    const { createExecutor } = require(root + "/node_modules/tslab/dist/executor");
    let out = [];
    const sink = { log: (...a) => out.push(a.join(" ")), error: (...a) => out.push(a.map((x) => (x && x.stack) || String(x)).join(" ")) };
    console.log = sink.log;
    process.chdir(nbDir);
    const node = createConverter({ isJS: false, isBrowser: false });
    const executor = createExecutor(nbDir, { node, browser: node, close: () => node.close() }, sink);
    (async () => {
      const cellsOut = [];
      for (const cell of cells) {
        out = [];
        const ok = await executor.execute(cell);
        cellsOut.push((ok ? "" : "<failed>") + out.join("\\n"));
      }
      executor.close();
      process.stdout.write(JSON.stringify(cellsOut));
    })();`;
  const stdout = execFileSync(process.execPath, ["-e", driver, ROOT, path.join(dir, "notebooks"), JSON.stringify(cells)], { encoding: "utf8" });
  return JSON.parse(stdout) as string[];
}

describe("Notebooks run in-process with tslab's compiler and executor", function () {
  this.timeout(120000);
  let dir: string;
  before(() => {
    dir = sandbox();
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  for (const file of notebooks) {
    describe(file, () => {
      let session: NotebookSession;
      let runs: CellRun[];
      let setup: number;
      before(async () => {
        session = new NotebookSession(path.join(dir, "notebooks", file));
        setup = session.cells.findIndex((c) => c.includes("reloadLibrary()"));
        runs = await session.runFrom(0);
      });
      after(() => session.close());

      it(`${exerciseOf(file)}.x ${file}: every code cell compiles and runs`, () => {
        expect(file).to.match(/^0[1-4]-[a-z0-9]+(-[a-z0-9]+)*\.ipynb$/);
        const failed = failedCell(runs);
        expect(failed, failed && describeFailure(failed)).to.equal(undefined);
      });

      it(`${exerciseOf(file)}.x ${file}: every example runs and every check cell passes`, () => {
        const failures = problems(runs);
        if (failures.length > 0) expect.fail(`${failures.length} example(s) or check(s) did not pass:\n${failures.join("\n")}`);
        expect(lines(runs).some((l) => l.startsWith(CHECK_PASSED))).to.equal(true);
      });

      if (CHARTS.has(file)) {
        it(`${exerciseOf(file)}.x ${file}: draws its chart as inline SVG`, () => {
          expect(runs.flatMap((r) => r.displays)).to.include("image/svg+xml");
        });
      }

      it(`${exerciseOf(file)}.x ${file}: its first code cell is the setup cell, which calls reloadLibrary()`, () => {
        expect(setup).to.equal(0);
      });

      it(`${exerciseOf(file)}.x ${file}: re-running the setup cell without a rebuild keeps every check passing`, async () => {
        expect((await session.run(setup)).output).to.equal("");
        const checks = session.cells.map((c, i) => i).filter((i) => /\bcheck\(/.test(session.cells[i]));
        const again = [];
        // Each check again, after the cell above it (some checks read what the example above them made).
        for (const i of checks) again.push(await session.run(i - 1), await session.run(i));
        expect(problems(again), lines(again).join("\n")).to.deep.equal([]);
      });

      it(`${exerciseOf(file)}.x ${file}: after a rebuild, Run All Below from the setup cell passes with no stale class`, async () => {
        rebuild(dir);
        const below = await session.runFrom(setup);
        const failed = failedCell(below);
        expect(failed, failed && describeFailure(failed)).to.equal(undefined);
        expect(below[0].output).to.match(/^↻ loaded the library built at/);
        expect(problems(below), lines(below).join("\n")).to.deep.equal([]);
        expect(lines(below).filter((l) => l.includes("↻")).length, lines(below).join("\n")).to.equal(1);
      });

      it(`${exerciseOf(file)}.x ${file}: after a rebuild, a check run alone that fails says which cells to run again`, async () => {
        rebuild(dir);
        const unreloaded = await session.run(session.cells.findIndex((c) => /\bcheck\(/.test(c)));
        expect(unreloaded.output).to.include("↻ the library was rebuilt at");
        await session.run(setup);
        for (const [i, cell] of session.cells.entries()) {
          if (!/\bcheck\(/.test(cell)) continue;
          const run = await session.run(i);
          const out = run.output.split("\n");
          for (const [n, line] of out.entries()) {
            if (line.startsWith(CHECK_FAILED)) {
              const rest = out.slice(n + 1).join("\n");
              expect(rest, `cell ${i}: ${line}`).to.match(/↻ this check used .+, from cells not run again since the last reload: select the setup cell, then Run All Below/);
              expect(rest, `cell ${i}: the notebook helpers are never stale`).not.to.match(/\b(reloadLibrary|check|example)\b[,.]/);
            }
          }
        }
        const below = await session.runFrom(setup + 1);
        expect(problems(below), lines(below).join("\n")).to.deep.equal([]);
      });
    });
  }
});

describe("#13 ↻ lines name only what a check used from cells not run again since the reload", function () {
  this.timeout(60000);
  const setup = 'import { reloadLibrary } from "../dist/notebook/reload";\nreloadLibrary();\nimport { check } from "../dist";\nimport assert from "node:assert";';
  const early = "let early = 1;";
  const probe = 'check("R0.1 fails on written code", () => assert.equal(early, 2));';
  const later = "let later = 3;";
  /** `npm run build`, simulated: the library's newest file is newer than before. */
  const rebuild = 'import * as fs from "node:fs";\n{ const t = new Date(Date.now() + 5000 * ((globalThis as any).n = ((globalThis as any).n ?? 0) + 1)); fs.utimesSync("../dist/index.js", t, t); }';
  const failed = "✘ R0.1 fails on written code\n    AssertionError: 1 == 2";
  let out: string[];
  before(() => {
    const dir = sandbox();
    try {
      out = kernelRun(dir, [setup, early, probe, later, rebuild, setup, early, probe, later, rebuild, setup, probe, early, probe]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("#13 a check that fails during Run All Below after a rebuild gets no ↻ line for cells further down", () => {
    expect(out[5]).to.match(/^↻ loaded the library built at/);
    expect(out[7]).to.equal(failed);
  });

  it("#13 the same check run alone after the setup cell names the name it read from a cell not run again", () => {
    expect(out[11]).to.match(/^✘ R0\.1 fails on written code\n {4}AssertionError: 1 == 2\n {4}↻ this check used early, from cells not run again since the last reload: select the setup cell/);
    expect(out[13], "after its cell ran again").to.equal(failed);
  });
});

describe("#13 source-mapped tracebacks in the kernel", function () {
  this.timeout(60000);
  let dir: string;
  before(() => {
    dir = sandbox();
    // A planted bug in a library file: line 3 reads a property of undefined.
    const source = [
      "export function doubleLevel(json: string): number {",
      "  const parsed = JSON.parse(json) as { level: { value: number } };",
      "  return parsed.level.value * 2;",
      "}",
      "",
    ].join("\n");
    fs.mkdirSync(path.join(dir, "src"));
    fs.writeFileSync(path.join(dir, "src", "planted.ts"), source);
    const out = ts.transpileModule(source, {
      fileName: "planted.ts",
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, sourceMap: true },
    });
    const map = JSON.parse(out.sourceMapText!) as { sources: string[]; file: string };
    map.sources = ["../src/planted.ts"];
    map.file = "planted.js";
    fs.writeFileSync(path.join(dir, "dist", "planted.js"), out.outputText.replace(/sourceMappingURL=.*$/m, "sourceMappingURL=planted.js.map"));
    fs.writeFileSync(path.join(dir, "dist", "planted.js.map"), JSON.stringify(map));
    fs.writeFileSync(path.join(dir, "dist", "planted.d.ts"), "export declare function doubleLevel(json: string): number;\n");
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const kernel = (cells: string[]): string[] => kernelRun(dir, cells).flatMap((out, i) => [...(out === "" ? [] : out.split("\n")), `<cell ok=${!out.startsWith("<failed>")}>`]);

  it("#13 a planted bug's traceback names the .ts file and line first, and the cells below still run", () => {
    const setup = codeCells(path.join(dir, "notebooks", notebooks[0]))[0];
    const out = kernel([
      setup,
      'import { doubleLevel } from "../dist/planted";\nexample(() => doubleLevel(\'{"x": 1}\'));',
      'check("R0.0 the cell after the bug runs", () => {});',
    ]);
    const stopped = out.findIndex((l) => l.startsWith(`${CHECK_FAILED} the example stopped: TypeError`));
    expect(stopped, out.join("\n")).to.be.greaterThan(-1);
    expect(out[stopped + 1], out.join("\n")).to.match(/^\s+at doubleLevel \(src[\\/]planted\.ts:3:\d+\)$/);
    expect(out.slice(stopped).join("\n")).not.to.match(/dist[\\/]notebook|node:internal|planted\.js/);
    expect(out, out.join("\n")).to.include(`${CHECK_PASSED} R0.0 the cell after the bug runs`);
    expect(out.filter((l) => l.startsWith("<cell"))).to.deep.equal(Array(3).fill("<cell ok=true>"));
  });

  it("#13 an error inside the built library maps to its src/*.ts file (npm run build writes the source maps)", () => {
    // createRandom is given code (no stub), so this holds in the student's repository too.
    const setup = codeCells(path.join(dir, "notebooks", notebooks[0]))[0];
    const out = kernel([setup, 'import { createRandom } from "../dist";\nexample(() => createRandom(0.5));']);
    const stopped = out.findIndex((l) => l.startsWith(`${CHECK_FAILED} the example stopped: TypeError: seed`));
    expect(stopped, out.join("\n")).to.be.greaterThan(-1);
    expect(out[stopped + 1], out.join("\n")).to.match(/^\s+at .*\(src[\\/]shared[\\/]Random\.ts:\d+:\d+\)$/);
  });
});

describe("#6 example(): notebooks run to the end with unwritten stubs and real bugs", () => {
  const stub = () => {
    throw new NotImplementedError("R2.3", "OneOf.validate");
  };

  it("#6 returns what the example returns, and prints nothing of its own", () => {
    const printed: string[] = [];
    expect(example(() => 42, (l) => printed.push(l))).to.equal(42);
    expect(printed).to.deep.equal([]);
  });

  it("#6 an unwritten stub prints one ⏳ line naming the requirement and gives undefined", async () => {
    const printed: string[] = [];
    expect(example(stub, (l) => printed.push(l))).to.equal(undefined);
    expect(await example(async () => stub(), (l) => printed.push(l))).to.equal(undefined);
    expect(printed).to.deep.equal(Array(2).fill(`${EXAMPLE_PENDING} R2.3 OneOf.validate: not implemented yet (see the TODO(R2.3) comment)`));
  });

  it("#13 a check that reaches an unwritten stub prints ⏳ with its title and the stub, not ✘; a real failure prints ✘", async () => {
    const printed: string[] = [];
    check("R2.4 rejects a bad value", stub, (l) => printed.push(l));
    await check("R2.4 rejects a bad value (async)", async () => stub(), (l) => printed.push(l));
    check("R2.4 a stub caught on the way", () => {
      try {
        stub();
      } catch {
        // the check goes on, and fails on what the stub did not do
      }
      assert.equal(1, 2);
    }, (l) => printed.push(l));
    check("R2.4 a wrong value", () => assert.equal(3, 4), (l) => printed.push(l));
    check("R2.4 a bug", () => { throw new TypeError("x is undefined"); }, (l) => printed.push(l));
    const pending = `waits for a stub not written yet: R2.3 OneOf.validate: not implemented yet (see the TODO(R2.3) comment)`;
    expect(printed[0]).to.equal(`${EXAMPLE_PENDING} R2.4 rejects a bad value\n    ${pending}`);
    expect(printed[1]).to.equal(`${EXAMPLE_PENDING} R2.4 rejects a bad value (async)\n    ${pending}`);
    expect(printed[2]).to.equal(`${EXAMPLE_PENDING} R2.4 a stub caught on the way\n    ${pending}`);
    expect(printed[3]).to.equal(`${CHECK_FAILED} R2.4 a wrong value\n    AssertionError: 3 == 4`);
    expect(printed[4]).to.match(/^✘ R2\.4 a bug\n {4}TypeError: x is undefined\n {6}at /);
    check("R2.4 the wrong error", () => assert.throws(() => { throw new TypeError("planted"); }, /out of range/), (l) => printed.push(l));
    expect(printed[5]).to.match(/^✘ R2\.4 the wrong error\n {4}AssertionError: The input did not match the regular expression \/out of range\/\. Input:\n[^]*\n {4}what was thrown came from:\n {6}at /);
    // An example above reached a stub, and the check then fails on what it did not produce: ⏳ for that
    // requirement's check only.
    printed.length = 0;
    example(stub, () => {});
    check("R2.3 the example's result", () => assert.ok(undefined, "the example did not run"), (l) => printed.push(l));
    example(stub, () => {});
    check("R2.4 the example's result", () => assert.ok(undefined, "the example did not run"), (l) => printed.push(l));
    expect(printed[0]).to.equal(`${EXAMPLE_PENDING} R2.3 the example's result\n    ${pending}`);
    expect(printed[1]).to.equal(`${CHECK_FAILED} R2.4 the example's result\n    AssertionError: the example did not run`);
    example(stub, () => {});
    check("R2.5 builds on R2.3 (grading.json)", () => assert.ok(undefined, "the example did not run"), (l) => printed.push(l));
    expect(printed[2]).to.equal(`${EXAMPLE_PENDING} R2.5 builds on R2.3 (grading.json)\n    ${pending}`);
    // Each stub is listed once and the newest are kept: many hits of one stub do not crowd out the next.
    for (let i = 0; i < 12; i++) example(() => { throw new NotImplementedError("R1.1", "TieredPipelineContext.enter"); }, () => {});
    example(stub, () => {});
    check("R2.3 after many other stubs", () => assert.ok(undefined, "the example did not run"), (l) => printed.push(l));
    expect(printed[3]).to.equal(`${EXAMPLE_PENDING} R2.3 after many other stubs\n    ${pending}`);
    // A reload forgets the stubs of the old build: a check of the new build that fails is a ✘.
    example(stub, () => {});
    const library = fs.mkdtempSync(path.join(os.tmpdir(), "lecture34-lib-"));
    fs.writeFileSync(path.join(library, "index.js"), "");
    try {
      reloadLibrary(() => {}, library);
    } finally {
      fs.rmSync(library, { recursive: true, force: true });
    }
    check("R2.3 written now, but wrong", () => assert.equal(3, 4), (l) => printed.push(l));
    expect(printed[4]).to.equal(`${CHECK_FAILED} R2.3 written now, but wrong\n    AssertionError: 3 == 4`);
  });

  it("#13 any other error, thrown or rejected, prints ✘ with the error and its cause, and gives undefined", async () => {
    const printed: string[] = [];
    const boom = new TypeError("a real bug", { cause: new RangeError("the first one") });
    expect(example(() => { throw boom; }, (l) => printed.push(l))).to.equal(undefined);
    expect(await example(async () => { throw "not an Error"; }, (l) => printed.push(l))).to.equal(undefined);
    expect(printed[0]).to.match(/^✘ the example stopped: TypeError: a real bug\n/);
    expect(printed[0]).to.match(/\n {2}caused by RangeError: the first one/);
    expect(printed[1]).to.equal(`${CHECK_FAILED} the example stopped: "not an Error" (thrown, not an Error)`);
  });
});

describe("#13 the setup cell's build check (src/ against dist/.tsbuildinfo)", () => {
  let root: string;
  const sha = (text: string) => createHash("sha256").update(text).digest("hex");
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  };
  const buildInfo = (extra: object = {}) =>
    write("dist/.tsbuildinfo", JSON.stringify({ fileNames: ["../src/a.ts", "../src/ex/b.ts"], fileInfos: [{ version: sha("const a = 1;\n"), signature: "x" }, sha("let b = 2;\n")], ...extra }));
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "lecture34-build-"));
    write("src/a.ts", "const a = 1;\n");
    write("src/ex/b.ts", "let b = 2;\n");
    buildInfo();
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));
  const problems = () => buildProblems(path.join(root, "dist")).map((p) => p.text);

  it("#13 nothing to say when src/ is what the last build compiled, even after a save that changed nothing", () => {
    expect(problems()).to.deep.equal([]);
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(path.join(root, "src", "a.ts"), later, later);
    expect(problems()).to.deep.equal([]);
  });

  it("#13 names the files changed or added since the last build", () => {
    write("src/ex/b.ts", "let b = 3;\n");
    write("src/new.ts", "export {};\n");
    expect(problems()).to.deep.equal(["src/ex/b.ts, src/new.ts changed after the last build"]);
  });

  it("#13 reports the type errors the last build emitted JavaScript despite, with the first one's file and line", () => {
    write("src/ex/b.ts", "let b = 2;\nconst c: number = 'x';\n");
    buildInfo({
      fileInfos: [sha("const a = 1;\n"), sha("let b = 2;\nconst c: number = 'x';\n")],
      semanticDiagnosticsPerFile: [1, [2, [{ start: 17, length: 1, code: 2322, category: 1, messageText: "Type 'string' is not assignable to type 'number'." }]]],
    });
    expect(problems()).to.deep.equal(["the last build reported 1 type error (first: src/ex/b.ts:2 Type 'string' is not assignable to type 'number'.)"]);
  });

  it("#13 says nothing without a build record (no incremental build yet)", () => {
    fs.rmSync(path.join(root, "dist", ".tsbuildinfo"));
    expect(problems()).to.deep.equal([]);
  });
});

describe("#13 notebooks in git: the nbstrip clean filter", function () {
  this.timeout(30000);

  for (const file of notebooks) {
    it(`#13 ${file} is stored as the filter writes it and names the kernel npm run kernel registers`, () => {
      const text = fs.readFileSync(path.join(NOTEBOOKS, file), "utf8");
      expect(strip(text) === text, `${file} is not canonical: node tools/student/nbstrip.cjs < ${file} > tmp && mv tmp ${file}`).to.equal(true);
      const nb = JSON.parse(text) as { metadata: { kernelspec: { name: string; display_name: string } } };
      expect(nb.metadata.kernelspec).to.deep.include({ name: KERNEL_NAME, display_name: KERNEL_DISPLAY_NAME });
    });
  }

  it("#13 drops outputs, counts and front-end metadata, keeps tags, and reads a Jupyter save (sorted keys) back to the stored file", () => {
    const stored = fs.readFileSync(path.join(NOTEBOOKS, notebooks[0]), "utf8");
    const nb = JSON.parse(stored) as { cells: Record<string, unknown>[]; metadata: Record<string, unknown> };
    const sortKeys = (v: unknown): unknown =>
      Array.isArray(v) ? v.map(sortKeys) : v && typeof v === "object" ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)).map(([k, x]) => [k, sortKeys(x)])) : v;
    for (const cell of nb.cells) {
      cell.metadata = { collapsed: false, scrolled: true, execution: { "iopub.status.idle": "2026-01-01" } };
      if (cell.cell_type === "code") {
        cell.execution_count = 7;
        cell.outputs = [{ output_type: "stream", name: "stdout", text: ["✔ R1.1 …\n"] }];
      }
    }
    nb.metadata = { ...nb.metadata, kernelspec: { name: "tslab", display_name: "TypeScript", language: "typescript" }, widgets: {}, vscode: { x: 1 } };
    const saved = `${JSON.stringify(sortKeys(nb), null, 1)}\n`;
    expect(strip(saved)).to.equal(stored);
    expect(strip(strip(saved))).to.equal(stored);
    const tagged = JSON.parse(stored) as { cells: { metadata: Record<string, unknown> }[] };
    tagged.cells[0].metadata = { tags: ["solution"], exercise_source: "x", collapsed: true };
    expect((JSON.parse(strip(JSON.stringify(tagged))) as typeof tagged).cells[0].metadata).to.deep.equal({ tags: ["solution"], exercise_source: "x" });
  });

  it("#13 a notebook as VS Code saves it (sorted keys, counts, outputs, kernel metadata) is stored unchanged", () => {
    // 01-saved-by-vscode.ipynb: 01-as-stored.ipynb after running three cells, saved through VS Code 1.123's ipynb
    // serializer (extensions/ipynb/src/serializers.ts: keys sorted, one-space indent, lines split, final newline).
    const fixtures = path.join(ROOT, "test", "fixtures", "notebooks");
    const stored = fs.readFileSync(path.join(fixtures, "01-as-stored.ipynb"), "utf8");
    const saved = fs.readFileSync(path.join(fixtures, "01-saved-by-vscode.ipynb"), "utf8");
    expect(saved, "the fixture has outputs").to.include('"output_type": "stream"');
    expect(strip(stored), "the stored form is canonical").to.equal(stored);
    expect(strip(saved)).to.equal(stored);
  });

  /** A throwaway clone-like repository with the filter and the first notebook committed. */
  function gitRepo(): { dir: string; file: string; git(...args: string[]): string; runAndSave(run?: number): void } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lecture34-git-"));
    const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@t", ...args], { cwd: dir, encoding: "utf8" });
    fs.mkdirSync(path.join(dir, "tools", "student"), { recursive: true });
    fs.mkdirSync(path.join(dir, "notebooks"));
    fs.copyFileSync(path.join(ROOT, ".gitattributes"), path.join(dir, ".gitattributes"));
    fs.copyFileSync(path.join(ROOT, "tools", "student", "nbstrip.cjs"), path.join(dir, "tools", "student", "nbstrip.cjs"));
    const file = path.join(dir, "notebooks", notebooks[0]);
    fs.copyFileSync(path.join(NOTEBOOKS, notebooks[0]), file);
    git("init", "-q");
    execFileSync(process.execPath, ["tools/student/nbstrip.cjs", "--install"], { cwd: dir });
    git("add", "-A");
    git("commit", "-qm", "init");
    const runAndSave = (run = 1) => {
      const nb = JSON.parse(fs.readFileSync(file, "utf8")) as { cells: Record<string, unknown>[] };
      const outputs = [{ output_type: "stream", name: "stdout", text: [`${"out ".repeat(run)}\n`] }];
      for (const cell of nb.cells) if (cell.cell_type === "code") Object.assign(cell, { execution_count: run, outputs });
      fs.writeFileSync(file, JSON.stringify(nb, null, 1));
    };
    return { dir, file, git, runAndSave };
  }

  it("#21 in a git repository, a run and saved notebook has an empty git diff; git status lists it until git add, which stages nothing", () => {
    const { dir, file, git, runAndSave } = gitRepo();
    try {
      runAndSave();
      expect(git("diff", "--stat")).to.equal("");
      // git trusts the changed size before it runs the filter: the README says so, and that `git add` clears it.
      expect(git("status", "--porcelain")).to.equal(` M notebooks/${notebooks[0]}\n`);
      git("add", "--", file);
      expect(git("diff", "--cached", "--stat"), "what git add staged").to.equal("");
      expect(git("status", "--porcelain")).to.equal("");
      // A real edit shows in git diff.
      fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("# Exercise 1", "# Exercise One"));
      expect(git("diff")).to.include('+    "# Exercise One');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("#21 the kernel runs the pinned tslab and nothing else of the checkout (no preload, no git index writes)", () => {
    const spec = kernelSpec("/some/copy");
    expect(spec.argv).to.deep.equal([process.execPath, path.join("/some/copy", "node_modules", "tslab", "bin", "tslab"), "kernel", "--config-path", "{connection_file}"]);
    expect(KERNEL_NAME).to.equal("lecture34");
    expect(fs.existsSync(path.join(ROOT, "tools", "nbindex.cjs")), "tools/nbindex.cjs").to.equal(false);
  });
});
