import { expect } from "./helpers/expect";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { GradingConfig } from "../tools/core/config";
import type { SubmissionReport } from "../tools/instructor/class/gradebook";
import type { ProtectedManifest } from "../tools/instructor/class/protected";

// Class grading is instructor-only: when these tests are copied into a student checkout, they skip instead of
// breaking its `npm test`.
const ROOT = path.join(__dirname, "..");
const instructorOnly = fs.existsSync(path.join(ROOT, "tools", "instructor", "class", "class.ts"));
const load = () => ({
  class: require("../tools/instructor/class/class") as typeof import("../tools/instructor/class/class"),
  gradebook: require("../tools/instructor/class/gradebook") as typeof import("../tools/instructor/class/gradebook"),
  html: require("../tools/instructor/class/gradebookHtml") as typeof import("../tools/instructor/class/gradebookHtml"),
  protectedFiles: require("../tools/instructor/class/protected") as typeof import("../tools/instructor/class/protected"),
});
const suite = instructorOnly ? describe : describe.skip;

const config: GradingConfig = {
  timeouts: { testMs: 100, exerciseMs: 1000 },
  exercises: [
    { id: 1, title: "One", tests: ["t1"], sources: [], hints: "", requirements: { "R1.1": 5, "R1.2": 2.5 } },
    { id: 2, title: "Two <b>", tests: ["t2"], sources: [], hints: "", requirements: { "R2.1": 10 } },
  ],
};

function report(submission: string, points: Record<string, number>, flags: string[] = [], message = "boom"): SubmissionReport {
  const requirements = config.exercises.flatMap((ex) =>
    Object.entries(ex.requirements).map(([id, maxPoints]) => ({
      id,
      exercise: ex.id,
      points: points[id] ?? 0,
      maxPoints,
      tests: [{ name: `${id} does it`, status: (points[id] ?? 0) === maxPoints ? ("passed" as const) : ("failed" as const), message: (points[id] ?? 0) === maxPoints ? "" : message, points: points[id] ?? 0, maxPoints, hidden: false }],
    })),
  );
  const total = requirements.reduce((a, r) => a + r.points, 0);
  return { submission, points: total, maxPoints: 17.5, hiddenMaxPoints: 0, hiddenRan: false, flags, durationMs: 1, exercises: [], requirements };
}

suite("#12 gradebook.csv", () => {
  it("#12 has a column per requirement of grading.json, a total and the flags, with CRLF line ends", () => {
    const { gradebookCsv } = load().gradebook;
    const csv = gradebookCsv([report("alice", { "R1.1": 5, "R1.2": 2.5 / 3 }), report("bob", {}, ["timeout", "crashed"])], config);
    expect(csv).to.equal("submission,R1.1,R1.2,R2.1,total,flags\r\nalice,5,0.83,0,5.83,\r\nbob,0,0,0,0,timeout crashed\r\n");
  });

  it("#12 quotes commas, quotes and line breaks (RFC 4180) and defuses formulas in names", () => {
    const { csvField, gradebookCsv } = load().gradebook;
    expect(csvField('Smith, "Jo"')).to.equal('"Smith, ""Jo"""');
    expect(csvField("two\nlines")).to.equal('"two\nlines"');
    for (const name of ["=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]) {
      const field = csvField(name);
      expect(field.replace(/^"/, ""), name).to.match(/^'/);
    }
    expect(csvField("plain-name")).to.equal("plain-name");
    const row = gradebookCsv([report('=cmd|" /C calc"!A0', {})], config).split("\r\n")[1];
    expect(row).to.equal(`"'=cmd|"" /C calc""!A0",0,0,0,0,`);
  });

  it("#12 a requirement missing from a report is an empty cell, not a zero", () => {
    const { gradebookCsv } = load().gradebook;
    const partial = { ...report("carol", { "R1.1": 5 }), requirements: report("carol", { "R1.1": 5 }).requirements.slice(0, 1) };
    expect(gradebookCsv([partial], config).split("\r\n")[1]).to.equal("carol,5,,,5,");
  });
});

suite("#12 gradebook.html", () => {
  it("#19 shows why an exercise's tests did not load (its requirements then have no test result)", () => {
    const { gradebookHtml } = load().html;
    const broken = { ...report("dave", { "R1.1": 5 }), exercises: [{ id: 2, title: "Two", hints: "", points: 0, maxPoints: 10, flags: ["compile-error"], loadError: "TSError: src/x.ts(3,9): error TS1109: Expression expected <b>" }] };
    broken.requirements = broken.requirements.map((r) => (r.exercise === 2 ? { ...r, tests: [] } : r));
    const html = gradebookHtml([broken], config);
    expect(html).to.include("Its tests did not load:</p><pre class=\"error\">TSError: src/x.ts(3,9): error TS1109: Expression expected &#60;b&#62;</pre>");
    expect(html).to.include("no test result (its exercise's tests did not load, see above)");
  });

  it("#12 escapes every student-controlled text: names, messages, test names and flags", () => {
    const { gradebookHtml } = load().html;
    const evil = "<script>alert(1)</script>";
    const html = gradebookHtml([report(`"><img src=x onerror=alert(1)>`, {}, [evil], `${evil} & 'quotes'`)], config);
    expect(html).to.not.include("<script>").and.not.include("<img");
    expect(html).to.include("&#60;script&#62;alert(1)&#60;/script&#62; &#38; &#39;quotes&#39;");
    expect(html).to.include("&#34;&#62;&#60;img src=x onerror=alert(1)&#62;");
    expect(html).to.include("Exercise 2").and.include('title="Two &#60;b&#62;"');
  });

  it("#12 is self-contained: no script, no external resource, a CSP that forbids loading anything", () => {
    const { gradebookHtml } = load().html;
    const html = gradebookHtml([report("alice", { "R1.1": 5 })], config);
    expect(html).to.not.match(/<script|<link|src=|https?:\/\//i);
    expect(html).to.include(`content="default-src 'none'; style-src 'unsafe-inline'"`);
  });

  it("#12 shows a heatmap cell per requirement and, per submission, each failing test with its message", () => {
    const { gradebookHtml } = load().html;
    const html = gradebookHtml([report("alice", { "R1.1": 5, "R2.1": 10 }, [], "expected 3, got 4"), report("bob", { "R1.1": 5, "R1.2": 2.5, "R2.1": 10 })], config);
    expect(html.match(/<td class="cell"/g)).to.have.length(6);
    expect(html).to.include('title="R1.2: 0 / 2.5, 0/1 tests"');
    expect(html).to.match(/alice — 15 \/ 17\.5[\s\S]*R1\.2 — 0 \/ 2\.5[\s\S]*failed<\/span> R1\.2 does it<pre>expected 3, got 4<\/pre>/);
    expect(html).to.match(/bob — 17\.5 \/ 17\.5<\/h2>\n<p>Every graded test passed\.<\/p>/);
  });

  it("#12 explains flags and lists the protected files a submission changed", () => {
    const { gradebookHtml } = load().html;
    const flagged = { ...report("mallory", {}, ["protected-files-changed"]), protectedFiles: { changed: ["test/ex1.test.ts"], added: [".mocharc.yml"], missing: [] } };
    const html = gradebookHtml([flagged], config);
    expect(html).to.include("changed: <code>test/ex1.test.ts</code>").and.include("added: <code>.mocharc.yml</code>");
    expect(html).to.include("on Classroom those copies are what ran");
  });
});

suite("#12 protected files", () => {
  let dir = "";
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  };
  const pkg = (scripts: Record<string, string>, extra = {}) => JSON.stringify({ name: "x", scripts, ...extra });
  let manifest: ProtectedManifest;

  beforeEach(() => {
    const { buildManifest } = load().protectedFiles;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "protected-"));
    const files: [string, string][] = [
      ["test/ex1.test.ts", "it('R1.1')"],
      ["grading.json", "{}"],
      ["package.json", pkg({ test: "mocha", grade: "node grade" })],
      ["tsconfig.json", "{}"],
      [".mocharc.json", "{}"],
      [".github/workflows/classroom.yml", "on: push"],
      ["tools/core/grade.ts", "// grader"],
      ["src/ex1/a.ts", "export {}"],
      ["README.md", "# hi"],
    ];
    for (const [file, text] of files) write(file, text);
    manifest = buildManifest(files);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("#12 the manifest covers tests, grading.json, package.json's scripts, tsconfig, mocha config, .github/ and tools/ only", () => {
    expect(Object.keys(manifest.files)).to.deep.equal([".github/workflows/classroom.yml", ".mocharc.json", "grading.json", "package.json#scripts", "test/ex1.test.ts", "tools/core/grade.ts", "tsconfig.json"]);
    expect(Object.values(manifest.files).every((h) => /^[0-9a-f]{64}$/.test(h))).to.equal(true);
  });

  it("#12 an untouched submission passes; src/, docs and package.json's other fields are the student's", () => {
    const { checkProtectedFiles } = load().protectedFiles;
    write("src/ex1/a.ts", "export const answer = 42;");
    write("README.md", "my notes");
    write("package.json", pkg({ grade: "node grade", test: "mocha" }, { description: "mine" }));
    write("node_modules/x/index.js", "");
    expect(checkProtectedFiles(dir, manifest)).to.deep.equal({ changed: [], added: [], missing: [] });
  });

  it("#20 a submission that holds only src/ (as Gradescope and PrairieLearn deliver it) is not flagged", () => {
    const { checkProtectedFiles, protectedFilesChanged } = load().protectedFiles;
    for (const name of fs.readdirSync(dir)) fs.rmSync(path.join(dir, name), { recursive: true, force: true });
    write("src/ex1/a.ts", "export const answer = 42;");
    const check = checkProtectedFiles(dir, manifest);
    expect(check).to.deep.equal({ changed: [], added: [], missing: [] });
    expect(protectedFilesChanged(check)).to.equal(false);
  });

  it("#12 changed, added and removed protected files are all reported", () => {
    const { checkProtectedFiles, protectedFilesChanged } = load().protectedFiles;
    write("test/ex1.test.ts", "it('R1.1', () => {})");
    write("package.json", pkg({ test: "mocha", grade: "echo 100", pregrade: "curl evil" }));
    write(".mocharc.yml", "require: evil");
    write(".npmrc", "script-shell=/tmp/evil");
    write("test/helpers/extra.ts", "");
    fs.rmSync(path.join(dir, "tools"), { recursive: true });
    const check = checkProtectedFiles(dir, manifest);
    expect(check).to.deep.equal({ changed: ["package.json#scripts", "test/ex1.test.ts"], added: [".mocharc.yml", ".npmrc", "test/helpers/extra.ts"], missing: ["tools/core/grade.ts"] });
    expect(protectedFilesChanged(check)).to.equal(true);
  });

  it("#12 a symlink, a folder or an unparsable package.json in a protected file's place counts as changed, and nothing is followed", () => {
    const { checkProtectedFiles } = load().protectedFiles;
    fs.rmSync(path.join(dir, "grading.json"));
    fs.symlinkSync("/dev/zero", path.join(dir, "grading.json"));
    fs.rmSync(path.join(dir, "tsconfig.json"));
    fs.mkdirSync(path.join(dir, "tsconfig.json"));
    write("package.json", "{ not json");
    expect(checkProtectedFiles(dir, manifest).changed).to.deep.equal(["grading.json", "package.json#scripts", "tsconfig.json"]);
  });
});

/** Whether a process runs (a zombie waiting for its new parent to reap it does not). */
function alive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return !/^\d+ \(.*\) [ZX]/.test(stat);
  } catch {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }
}

suite("#12 class grading runner", function () {
  this.timeout(30000);
  let work = "";
  const manifest: ProtectedManifest = { $comment: "", version: 1, algorithm: "sha256", files: {} };
  const fake = path.join(ROOT, "test", "fixtures", "class", "fake-grader.js");
  beforeEach(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), "class-runner-"));
    for (const name of ["alice", "bob", "carol", ".git", "grades"]) fs.mkdirSync(path.join(work, name));
    fs.writeFileSync(path.join(work, "notes.txt"), "");
    fs.symlinkSync(path.join(work, "nowhere"), path.join(work, "dangling"));
  });
  afterEach(() => fs.rmSync(work, { recursive: true, force: true }));
  const options = (extra: Partial<import("../tools/instructor/class/class").ClassOptions> = {}) => ({
    classDir: work,
    outDir: path.join(work, "grades"),
    config,
    manifest,
    jobs: 3,
    command: (dir: string, out: string) => ({ command: process.execPath, args: [fake, dir, out] }),
    ...extra,
  });

  it("#12 every non-hidden folder but the output folder is a submission", () => {
    const { listSubmissions } = load().class;
    expect(listSubmissions(work, path.join(work, "grades"))).to.deep.equal(["alice", "bob", "carol"]);
  });

  it("#12 grades each submission once, writes its report and both gradebooks, and skips graded ones on a rerun unless forced", async () => {
    const { gradeClass } = load().class;
    const events: string[] = [];
    const reports = await gradeClass(options({ onProgress: (e) => e.type === "finish" && events.push(`${e.name}:${e.skipped}`) }));
    expect(reports.map((r) => [r.submission, r.points])).to.deep.equal([["alice", 5], ["bob", 5], ["carol", 5]]);
    for (const file of ["alice.json", "bob.json", "carol.json", "gradebook.csv", "gradebook.html"]) expect(fs.existsSync(path.join(work, "grades", file)), file).to.equal(true);
    expect(fs.readdirSync(path.join(work, "grades")).filter((f) => f.startsWith("."))).to.deep.equal([]);
    await gradeClass(options({ onProgress: (e) => e.type === "finish" && events.push(`${e.name}:${e.skipped}`) }));
    await gradeClass(options({ force: true, onProgress: (e) => e.type === "finish" && events.push(`${e.name}:${e.skipped}`) }));
    expect(events.sort()).to.deep.equal(["alice:false", "alice:false", "alice:true", "bob:false", "bob:false", "bob:true", "carol:false", "carol:false", "carol:true"]);
  });

  it("#12 a submission past its limit is stopped with everything it started and gets a zero report flagged timeout", async () => {
    const { gradeClass } = load().class;
    fs.writeFileSync(path.join(work, "bob", "hang"), "");
    const pidFile = path.join(work, "bob", "grandchild.pid");
    const started = Date.now();
    const reports = await gradeClass(options({ limitMs: 4000 }));
    expect(Date.now() - started).to.be.below(15000);
    const bob = reports.find((r) => r.submission === "bob")!;
    expect(bob).to.include({ points: 0, maxPoints: 17.5 });
    expect(bob.flags).to.deep.equal(["timeout"]);
    expect(bob.error).to.match(/limit of 4000 ms/);
    expect(bob.requirements.map((r) => r.id)).to.deep.equal(["R1.1", "R1.2", "R2.1"]);
    const grandchild = Number(fs.readFileSync(pidFile, "utf8"));
    // SIGKILL is sent before gradeClass returns; on a loaded machine the process may take a moment to be gone.
    for (let waited = 0; alive(grandchild) && waited < 3000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    expect(alive(grandchild), "the grader's own child was left running").to.equal(false);
    expect(reports.find((r) => r.submission === "alice")!.points).to.equal(5);
  });

  it("#12 a grader that exits without a valid report gives a zero report flagged crashed, with its output", async () => {
    const { gradeClass } = load().class;
    fs.writeFileSync(path.join(work, "carol", "garbage"), "");
    const reports = await gradeClass(options());
    const carol = reports.find((r) => r.submission === "carol")!;
    expect(carol).to.include({ points: 0 });
    expect(carol.flags).to.deep.equal(["crashed"]);
    expect(carol.error).to.match(/exited with code 3[\s\S]*fake grader gave up/);
  });

  it("#12 a submission whose protected files differ is flagged protected-files-changed", async () => {
    const { gradeClass } = load().class;
    const { buildManifest } = load().protectedFiles;
    const withTests = buildManifest([["test/a.test.ts", "original"]]);
    for (const name of ["alice", "bob", "carol"]) {
      fs.mkdirSync(path.join(work, name, "test"));
      fs.writeFileSync(path.join(work, name, "test", "a.test.ts"), name === "bob" ? "// edited by the student" : "original");
    }
    const reports = await gradeClass(options({ manifest: withTests }));
    expect(reports.map((r) => r.flags)).to.deep.equal([[], ["protected-files-changed"], []]);
    expect(reports[1].protectedFiles!.changed).to.deep.equal(["test/a.test.ts"]);
    expect(fs.readFileSync(path.join(work, "grades", "gradebook.csv"), "utf8")).to.include("bob,5,0,0,5,protected-files-changed");
  });

  it("#12 the time limit per submission comes from grading.json", () => {
    const { submissionLimitMs } = load().class;
    expect(submissionLimitMs(config)).to.equal(2000);
    const { SUBMISSION_GRACE_MS } = load().class;
    expect(submissionLimitMs({ ...config, timeouts: { ...config.timeouts, submissionMs: 1234 } as GradingConfig["timeouts"] })).to.equal(1234 + SUBMISSION_GRACE_MS);
  });
});
