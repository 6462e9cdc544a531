import { expect } from "./helpers/expect";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

// Plain CommonJS (tools/student/transpileCache.cjs runs before TypeScript loads), so it is required, not imported.
const { cacheTranspiles } = require("../tools/student/transpileCache.cjs") as {
  cacheTranspiles(service: FakeService, dir: string): Map<string, { key: string; output: string }>;
};

interface FakeService {
  compile(code: string, fileName: string, lineOffset?: number): string;
  config: { options: object };
  ts: { version: string };
}

const ROOT = path.join(__dirname, "..");

/** A ts-node service whose compiler records each file it is asked for. */
function fakeService(options: object = { target: "es2022" }): FakeService & { compiled: string[] } {
  const compiled: string[] = [];
  return {
    compiled,
    compile: (code, fileName) => {
      compiled.push(fileName);
      return `// js of ${fileName}\n${code}`;
    },
    config: { options },
    ts: { version: "5.9.3" },
  };
}

describe("#21 the student's transpile cache (tools/student/transpileCache.cjs)", () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "lecture34-transpile-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("#21 a file transpiled once is served from disk to the next process, without compiling", () => {
    const first = fakeService();
    cacheTranspiles(first, dir);
    const output = first.compile("export const a = 1;", "/p/src/a.ts");
    const next = fakeService();
    cacheTranspiles(next, dir);
    expect(next.compile("export const a = 1;", "/p/src/a.ts")).to.equal(output);
    expect(first.compiled).to.deep.equal(["/p/src/a.ts"]);
    expect(next.compiled).to.deep.equal([]);
  });

  it("#21 a changed source is compiled again, never served stale, and takes the file's one slot", () => {
    const first = fakeService();
    cacheTranspiles(first, dir);
    first.compile("export const a = 1;", "/p/src/a.ts");
    const next = fakeService();
    cacheTranspiles(next, dir);
    expect(next.compile("export const a = 2;", "/p/src/a.ts")).to.contain("a = 2");
    expect(next.compile("export const a = 1;", "/p/src/a.ts")).to.contain("a = 1");
    expect(next.compiled).to.have.length(2);
    expect(fs.readdirSync(dir)).to.have.length(1);
  });

  it("#21 other compiler options or another file name miss the cache", () => {
    const first = fakeService({ target: "es2022" });
    cacheTranspiles(first, dir);
    first.compile("export const a = 1;", "/p/src/a.ts");
    const other = fakeService({ target: "es2020" });
    cacheTranspiles(other, dir);
    other.compile("export const a = 1;", "/p/src/a.ts");
    other.compile("export const a = 1;", "/p/src/b.ts");
    expect(other.compiled).to.deep.equal(["/p/src/a.ts", "/p/src/b.ts"]);
  });

  it("#21 code with a line offset (the REPL's) bypasses the cache", () => {
    const service = fakeService();
    cacheTranspiles(service, dir);
    service.compile("1 + 1", "/p/[eval].ts", 3);
    service.compile("1 + 1", "/p/[eval].ts", 3);
    expect(service.compiled).to.have.length(2);
    expect(fs.readdirSync(dir)).to.deep.equal([]);
  });

  it("#21 a cache folder that cannot be written only costs time", () => {
    const blocked = path.join(dir, "a-file");
    fs.writeFileSync(blocked, "not a folder");
    const service = fakeService();
    cacheTranspiles(service, blocked);
    expect(service.compile("export const a = 1;", "/p/src/a.ts")).to.contain("a = 1");
    expect(service.compile("export const a = 1;", "/p/src/a.ts")).to.contain("a = 1");
    expect(service.compiled).to.have.length(1); // the process's own memory still serves it
  });

  it("#21 a stack trace from a file served from the cache points at its line in the .ts file", function () {
    this.timeout(60_000);
    const file = path.join(dir, "thrower.ts");
    fs.writeFileSync(file, "const pad: number = 1;\n\nexport function boom(): never {\n  throw new Error(`boom ${pad}`);\n}\nboom();\n");
    // Each run: a fresh process with ts-node, the cache kept in `dir/cache`, and the file required.
    const script = [
      `const service = process[Symbol.for("ts-node.register.instance")];`,
      `require(${JSON.stringify(path.join(ROOT, "tools", "student", "transpileCache.cjs"))}).cacheTranspiles(service, ${JSON.stringify(path.join(dir, "cache"))});`,
      `const compile = service.compile; let compiled = 0; service.compile = (...a) => (compiled++, compile(...a));`,
      `try { require(${JSON.stringify(file)}); } catch (e) { console.log(compiled, e.stack.split("\\n")[1]); }`,
    ].join("\n");
    const run = () =>
      spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script], { cwd: ROOT, encoding: "utf8" }).stdout.trim();
    const [first, second] = [run(), run()];
    expect(first).to.match(/thrower\.ts:4:9\)$/);
    expect(second).to.match(/thrower\.ts:4:9\)$/);
    expect(fs.readdirSync(path.join(dir, "cache"))).to.have.length(1);
  });
});
