/**
 * #20 The pieces of the grading child's confinement that work without lockdown(): the students' require, the
 * global facades and the load error for source SES rejects. The confinement itself (lockdown, the Compartment) is
 * exercised by test/grader.test.ts and `npm run test:adversarial`, in grading children.
 */
import { expect } from "./helpers/expect";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as sinon from "sinon";
import { studentGlobals } from "../tools/instructor/grader/facades";
import { explainRejection, SourceRejectedError } from "../tools/instructor/grader/rejectedSource";
import { RequireRefusedError, studentRequire } from "../tools/instructor/grader/studentRequire";

describe("#20 confining student code", () => {
  const root = path.join(os.tmpdir(), "confine-test");
  const src = path.join(root, "src");
  const file = path.join(src, "ex1", "index.ts");
  const loaded: string[] = [];
  const confined = studentRequire(
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    { require: (id: string) => (id.startsWith("node:") ? require(id) : (loaded.push(id), { id })) },
    (request) => path.resolve(path.dirname(file), request),
    file,
    src,
    root,
  );

  afterEach(() => sinon.restore());

  it("#20 require loads ./ and ../ files under src/ through the real module system", () => {
    expect(confined("./stages")).to.deep.equal({ id: path.join(src, "ex1", "stages") });
    expect(confined("../shared/Logger")).to.deep.equal({ id: path.join(src, "shared", "Logger") });
  });

  it("#20 require refuses paths that leave src/, packages and built-ins outside the allow-list", () => {
    expect(() => confined("../../test/helpers/expect")).to.throw(RequireRefusedError, /src\/ex1\/index\.ts: require\("\.\.\/\.\.\/test\/helpers\/expect"\) leaves src\//);
    for (const id of ["fs", "node:v8", "mocha", "child_process", "module"]) expect(() => confined(id), id).to.throw(RequireRefusedError, /is not allowed while grading/);
  });

  it("#20 allowed built-ins come as frozen copies", () => {
    const crypto = confined("node:crypto") as Record<string, unknown>;
    expect(Object.isFrozen(crypto)).to.equal(true);
    expect(crypto.randomUUID).to.be.a("function");
    expect(confined("crypto")).to.equal(crypto);
  });

  it("#20 the facades are frozen and reach whatever the real global is at call time (fake timers, console stubs)", () => {
    const globals = studentGlobals(globalThis);
    for (const name of ["console", "performance", "Date", "Math", "setTimeout", "queueMicrotask"]) expect(Object.isFrozen(globals[name]), name).to.equal(true);
    const log = sinon.stub(console, "log");
    (globals.console as Console).log("hello");
    expect(log.calledWith("hello")).to.equal(true);
    log.restore();
    const clock = sinon.useFakeTimers({ now: 1000, toFake: ["Date", "setTimeout", "performance"] });
    try {
      const FacadeDate = globals.Date as DateConstructor;
      expect(FacadeDate.now()).to.equal(1000);
      expect(new FacadeDate().getTime()).to.equal(1000);
      expect(new FacadeDate(5)).to.be.instanceOf(Date);
      let fired = false;
      (globals.setTimeout as typeof setTimeout)(() => (fired = true), 10);
      clock.tick(10);
      expect(fired).to.equal(true);
      expect((globals.performance as { now(): number }).now()).to.equal(10);
    } finally {
      clock.restore();
    }
    const random = sinon.stub(Math, "random").returns(0.25);
    expect((globals.Math as Math).random()).to.equal(0.25);
    random.restore();
    expect(() => Object.assign(globals.console as object, { log: () => undefined })).to.throw(TypeError);
  });

  it("#20 source SES rejects is a load error naming the file, the line and what to rewrite", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "confine-"));
    const student = path.join(dir, "src", "a.ts");
    fs.mkdirSync(path.dirname(student));
    fs.writeFileSync(student, "export const a = 1;\n// see import(x) below\nexport const b = 2;\n");
    const ses = new SyntaxError("Possible import expression rejected at /x/a.ts:3. (SES_IMPORT_REJECTED)");
    const error = explainRejection(ses, student, dir) as SourceRejectedError;
    fs.rmSync(dir, { recursive: true, force: true });
    expect(error).to.be.instanceOf(SourceRejectedError);
    expect(error.name).to.equal("SourceRejectedError");
    expect(error.message).to.match(/^src\/a\.ts:2: the grader runs your code under SES, which refuses any file containing a dynamic `import\(`/);
    expect(error.message).to.include("Rewrite line 2");
    expect(error.cause).to.equal(ses);
    const other = new TypeError("x");
    expect(explainRejection(other, student, dir)).to.equal(other);
  });
});
