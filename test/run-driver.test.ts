import { expect } from "./helpers/expect";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describeLoadError, isStubError, locate } from "../tools/core/run/describe";
import { pool } from "../tools/core/run/pool";
import { runPlain } from "../tools/core/run/runPlain";

describe("#21 load errors are described as themselves, with the project's file and line", () => {
  const root = "/home/s/project";
  it("#21 a throw names the first stack frame in the project, outside node_modules", () => {
    const error = new Error("boom");
    error.stack = ["Error: boom", "    at Object.<anonymous> (/home/s/project/node_modules/x/index.js:3:1)", `    at Object.<anonymous> (${root}/src/ex1/a.ts:12:7)`, "    at Module._compile (node:internal/modules/cjs/loader:1521:14)"].join("\n");
    expect(describeLoadError(error, root)).to.equal("Error: boom (at src/ex1/a.ts:12:7)");
  });

  it("#21 a missing import keeps its first line, not Node's require stack", () => {
    const error = Object.assign(new Error(`Cannot find module './gone'\nRequire stack:\n- ${root}/src/a.ts`), { code: "MODULE_NOT_FOUND" });
    error.stack = `Error: Cannot find module './gone'\n    at Function.Module._resolveFilename (node:internal/modules/cjs/loader:1207:15)\n    at Object.<anonymous> (${root}/src/a.ts:1:15)`;
    expect(describeLoadError(error, root)).to.equal("Error: Cannot find module './gone' (at src/a.ts:1:15)");
  });

  it("#21 ts-node's TSError is joined into one line and already names its file", () => {
    const error = Object.assign(new Error("⨯ Unable to compile TypeScript:\nsrc/s.ts(3,1): error TS1005: '}' expected.\n"), { name: "TSError" });
    error.stack = `TSError: ${error.message}\n    at createTSError (${root}/node_modules/ts-node/src/index.ts:859:12)`;
    expect(describeLoadError(error, root)).to.equal("TSError: ⨯ Unable to compile TypeScript: src/s.ts(3,1): error TS1005: '}' expected.");
  });

  it("#21 a syntax error V8 found in compiled code is placed on the TypeScript line that holds the quoted source", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "describe-"));
    try {
      fs.mkdirSync(path.join(dir, "src"));
      fs.writeFileSync(path.join(dir, "src", "c.ts"), "export const a = 1;\nconst x;\n");
      const error = new SyntaxError("Missing initializer in const declaration");
      error.stack = `${dir}/src/c.ts:5\nconst x;\n      ^\n\nSyntaxError: Missing initializer in const declaration\n    at wrapSafe (node:internal/modules/cjs/loader:1464:18)`;
      expect(locate(error, dir)).to.equal("src/c.ts:2");
      expect(describeLoadError(error, dir)).to.equal("SyntaxError: Missing initializer in const declaration (at src/c.ts:2)");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("#19 a stub is recognized in the error, in its message and in its cause chain, and odd values do not throw", () => {
    const stub = Object.assign(new Error("R1.1 enter: not implemented yet"), { name: "NotImplementedError" });
    expect(isStubError(stub)).to.equal(true);
    expect(isStubError(new Error("wrapped", { cause: new Error("x", { cause: stub }) }))).to.equal(true);
    expect(isStubError(new Error("expected 1 to equal 2"))).to.equal(false);
    const hostile = new Proxy({}, { get: () => { throw new Error("no"); } });
    expect(isStubError(hostile)).to.equal(false);
    expect(describeLoadError(hostile, root)).to.be.a("string");
  });
});

describe("#19 the mocha driver in a plain child process (tools/core/run)", function () {
  this.timeout(60_000);
  let dir = "";
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "driver-"));
    fs.writeFileSync(
      path.join(dir, "ok.test.js"),
      [
        'class NotImplementedError extends Error { name = "NotImplementedError"; }',
        'describe("block", () => {',
        '  it("R1.1 passes", () => {});',
        '  it("R1.2 fails", () => { throw new Error("expected 1 to equal 2"); });',
        '  it("R1.3 reaches a stub", () => { throw new Error("wrapped", { cause: new NotImplementedError("R1.3 f: not implemented yet") }); });',
        '  it.skip("R1.4 is pending", () => {});',
        "});",
        'describe("hooked", () => {',
        '  before(() => { throw new Error("setup broke"); });',
        '  it("R1.5 never runs", () => {});',
        "});",
      ].join("\n"),
    );
    fs.writeFileSync(path.join(dir, "broken.test.js"), 'require("./code");\nit("R2.1 x", () => {});\n');
    fs.writeFileSync(path.join(dir, "code.js"), 'const a = 1;\nthrow new Error("boom at load");\n');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("#19 reports one outcome per test: status, message, stub, and a failed hook's tests failed with its message", async () => {
    const run = await runPlain({ root: dir, files: ["ok.test.js"], testMs: 2000, exerciseMs: 30_000 });
    const by = (title: string) => run.tests.find((t) => t.title === title)!;
    expect(run.loadError).to.equal(undefined);
    expect(run.tests.map((t) => t.title)).to.deep.equal(["R1.1 passes", "R1.2 fails", "R1.3 reaches a stub", "R1.4 is pending", "R1.5 never runs"]);
    expect(by("R1.1 passes")).to.include({ status: "passed", stub: false, id: "ok.test.js :: block R1.1 passes" });
    expect(by("R1.2 fails")).to.include({ status: "failed", message: "Error: expected 1 to equal 2", stub: false });
    expect(by("R1.3 reaches a stub")).to.include({ status: "failed", stub: true });
    expect(by("R1.4 is pending")).to.include({ status: "failed", message: "skipped (pending)" });
    expect(by("R1.5 never runs").status).to.equal("failed");
    expect(by("R1.5 never runs").message).to.match(/not run: a hook failed .*setup broke/);
  });

  it("#21 a file that throws while loading is a load error of its own, named as itself with its file and line", async () => {
    const [broken, ok] = await pool(2, 2, (i) => runPlain({ root: dir, files: [i === 0 ? "broken.test.js" : "ok.test.js"], testMs: 2000, exerciseMs: 30_000 }));
    expect(broken.loadError).to.equal("Error: boom at load (at code.js:2:7)");
    expect(broken.tests).to.deep.equal([]);
    expect(ok.tests).to.have.length(5);
  });
});
