import { expect } from "./helpers/expect";
import * as fs from "node:fs";
import * as path from "node:path";
import { loadGradingConfig } from "../tools/grade/config";
import { releaseMarkdown, releaseNotebook } from "../tools/release/documents";
import { MarkerError, stubRegions, type Region } from "../tools/release/regions";
import { execFileSync } from "node:child_process";
import * as os from "node:os";
import { MANIFEST_PATH, checkProtectedFiles, type ProtectedManifest } from "../tools/grade/protected";
import { INSTRUCTOR_ONLY, projectFiles, release, releaseFile, releaseManifest } from "../tools/release/release";

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

  it("#6 instructor-only files stay out, and every instructor-only path still exists", () => {
    for (const prefix of INSTRUCTOR_ONLY) {
      expect(fs.existsSync(path.join(ROOT, prefix)), prefix).to.equal(true);
      expect(releaseFile(prefix, "x")).to.equal(undefined);
    }
    const pkg = JSON.parse(releaseFile("package.json", fs.readFileSync(path.join(ROOT, "package.json"), "utf8"))!);
    expect(pkg.scripts).to.include.keys("start", "test", "grade", "watch");
    expect(pkg.scripts).to.not.include.keys("release", "teeth", "bench");
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
    const pattern = /instructors\.md|npm run (bench|teeth|release)\b|tools\/release|tools\/teeth|\bbench\/|\.ci\/run/;
    const offenders: string[] = [];
    for (const file of projectFiles(ROOT)) {
      const text = releaseFile(file, fs.readFileSync(path.join(ROOT, file), "utf8"));
      if (text === undefined) continue;
      for (const [i, line] of text.split("\n").entries()) if (pattern.test(line)) offenders.push(`${file}:${i + 1}: ${line.trim()}`);
    }
    expect(offenders, offenders.join("\n")).to.deep.equal([]);
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
    write("test/a.test.ts", "it('R1.1 a')");
    write("grading.json", "{}");
    write("src/a.ts", "export const a = 1;");
    write(".gitignore", "ignored.md\n");
    execFileSync("git", ["add", "-A"], { cwd: repo });
    write("docs/draft-answers.md", "the answers");
    write("test/b.test.ts", "it('R1.2 untracked')");
    write("ignored.md", "x");
  });
  afterEach(() => {
    fs.rmSync(repo, { recursive: true, force: true });
    fs.rmSync(path.dirname(out), { recursive: true, force: true });
  });

  it("#12 untracked files never ship, ignored or not (a draft of answers in docs/ stays home)", () => {
    expect(projectFiles(repo)).to.deep.equal([".gitignore", "grading.json", "package.json", "src/a.ts", "test/a.test.ts"]);
    release(repo, out);
    expect(fs.existsSync(path.join(out, "docs", "draft-answers.md"))).to.equal(false);
    expect(fs.existsSync(path.join(out, "test", "b.test.ts"))).to.equal(false);
  });

  it("#12 the release ships a manifest its own files match, equal to the one class grading computes from the instructor's checkout", () => {
    release(repo, out);
    const shipped = JSON.parse(fs.readFileSync(path.join(out, MANIFEST_PATH), "utf8")) as ProtectedManifest;
    expect(Object.keys(shipped.files)).to.deep.equal(["grading.json", "package.json#scripts", "test/a.test.ts"]);
    expect(shipped).to.deep.equal(releaseManifest(repo));
    expect(checkProtectedFiles(out, shipped)).to.deep.equal({ changed: [], added: [], missing: [] });
    fs.appendFileSync(path.join(out, "test", "a.test.ts"), "\nit.skip");
    expect(checkProtectedFiles(out, shipped).changed).to.deep.equal(["test/a.test.ts"]);
  });

  it("#12 this repository's manifest covers every graded test file, grading.json, the scripts, tsconfig, mocha config and the workflow, and no instructor-only file", () => {
    const manifest = releaseManifest(ROOT);
    const config = loadGradingConfig(path.join(ROOT, "grading.json"));
    const expected = [...config.exercises.flatMap((ex) => ex.tests), "grading.json", "package.json#scripts", "tsconfig.json", ".mocharc.json", ".github/workflows/classroom.yml", "tools/grade/grade.ts"];
    expect(Object.keys(manifest.files)).to.include.members(expected);
    const leaked = Object.keys(manifest.files).filter((file) => INSTRUCTOR_ONLY.some((prefix) => file === prefix || file.startsWith(prefix)));
    expect(leaked).to.deep.equal([]);
  });
});
