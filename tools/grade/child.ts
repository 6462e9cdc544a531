/**
 * Runs one exercise's tests with mocha inside a child process and reports each test's start and end on the events
 * pipe (fd 3), each line signed with a nonce only this file knows. The parent (runExercise.ts) owns the list of
 * tests, enforces time limits and restarts it; nothing here trusts the code under test. Everything this file needs
 * after student code has loaded is captured first, and the test framework is hardened (harden.ts).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { confineStudentCode } from "../instructor/grader/confine";
import { hardenLibraries, lockMochaGlobals, type MochaClasses } from "./harden";
import * as protocol from "./protocol";

// Keep our own references before any test can replace them.
const writeSync = fs.writeSync;
const now = performance.now.bind(performance);
const reallyExit = (process as unknown as { reallyExit: (code: number) => never }).reallyExit;
/** Exits at once, even when a test has replaced `process.exit`, `process.reallyExit` or added exit handlers. */
const realExit = (code: number) => reallyExit.call(process, code);
const stringify = JSON.stringify;
const relative = path.relative;
const cwd = process.cwd();
const describeThrown = protocol.describeThrown;
const ErrorClass = Error;
const EVENTS_FD = protocol.EVENTS_FD;
const StringOf = String;
const Round = Math.round;
const bufferFrom = Buffer.from.bind(Buffer);
// eslint-disable-next-line @typescript-eslint/no-require-imports
const EventEmitter = require("node:events") as typeof import("node:events");
const emitEvent = EventEmitter.prototype.emit;
const addListener = EventEmitter.prototype.on;

/** Reads and deletes the grader's variables, so student code never sees them (not even the nonce). */
function takeEnv() {
  const env = process.env;
  const read = (name: string) => {
    const value = env[name] ?? "";
    delete env[name];
    return value;
  };
  const parseList = (text: string) => (text ? (JSON.parse(text) as string[]) : []);
  return {
    nonce: read(protocol.ENV.nonce),
    files: parseList(read(protocol.ENV.files)),
    skip: parseList(read(protocol.ENV.skip)),
    only: parseList(read(protocol.ENV.only)),
    testMs: Number(read(protocol.ENV.testMs) || 5000),
    canary: read(protocol.ENV.canary),
    list: read(protocol.ENV.mode) === "list",
    confine: read(protocol.ENV.confine) !== "0",
  };
}
const env = takeEnv();

/** A JSON string literal for a value; never calls code under test's `toJSON` (only strings reach stringify). */
const quote = (value: unknown): string => {
  try {
    return stringify(typeof value === "string" ? value : StringOf(value));
  } catch {
    return '"?"';
  }
};

function send(json: string): void {
  const line = bufferFrom(`${env.nonce} ${json}\n`);
  let offset = 0;
  while (offset < line.length) {
    try {
      offset += writeSync(EVENTS_FD, line, offset);
    } catch (error) {
      if ((error as { code?: string }).code !== "EAGAIN") return;
    }
  }
}

interface MochaTest {
  title: string;
  file?: string;
  fullTitle(): string;
  parent?: MochaSuite;
  type?: string;
}
interface MochaSuite {
  title: string;
  root?: boolean;
  parent?: MochaSuite;
  file?: string;
  tests: MochaTest[];
  suites: MochaSuite[];
  addTest(test: MochaTest): void;
}

/**
 * A test's ID: its file and full title, built here by plain string concatenation rather than with mocha's
 * `fullTitle()`, which uses Array methods that code under test could replace to relabel results.
 */
function idOf(test: MochaTest): string {
  let title = StringOf(test.title);
  for (let suite = test.parent; suite && !suite.root; suite = suite.parent) title = `${StringOf(suite.title)} ${title}`;
  return `${relative(cwd, test.file ?? "")} :: ${title}`;
}

/** Every test below a suite, in run order, collected with index loops only. */
function allTests(suite: MochaSuite, into: MochaTest[] = []): MochaTest[] {
  for (let i = 0; i < suite.tests.length; i++) into[into.length] = suite.tests[i];
  for (let i = 0; i < suite.suites.length; i++) allTests(suite.suites[i], into);
  return into;
}

/** A JSON array's inside from already-encoded items, without Array.prototype.join (code under test may replace it). */
function jsonItems(items: string[]): string {
  let out = "";
  for (let i = 0; i < items.length; i++) out += i === 0 ? items[i] : `,${items[i]}`;
  return out;
}

/** The plan event's list of tests. */
function planItems(tests: MochaTest[]): string {
  const items: string[] = [];
  for (let i = 0; i < tests.length; i++) {
    const t = tests[i];
    items[i] = `{"id":${quote(idOf(t))},"title":${quote(t.title)},"file":${quote(t.file ?? "")}}`;
  }
  return jsonItems(items);
}

function keepTests(suite: MochaSuite, keep: (id: string) => boolean): void {
  suite.tests = suite.tests.filter((t) => keep(idOf(t)));
  suite.suites.forEach((s) => keepTests(s, keep));
}

/** Requires a module the way the test files will resolve it (so its instance is the one they get). */
function requireFromTests(name: string): unknown {
  try {
    return require(require.resolve(name, { paths: [path.resolve(env.files[0] ?? "."), cwd] }));
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  // Loaded and hardened before any test file (and so any student code) runs.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mochaModule = require("mocha") as { Mocha?: unknown; default?: unknown };
  const Mocha = (mochaModule.Mocha ?? mochaModule.default ?? mochaModule) as MochaClasses & (new (options: object) => MochaInstance) & { Suite: SuiteClass; Test: TestClass };
  const chai = requireFromTests("chai") as Record<string, unknown> | undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const assert = require("node:assert") as { strictEqual(a: unknown, b: unknown): void };
  const mocha = new Mocha({ timeout: env.testMs, reporter: class {} as never });
  const root = mocha.suite as unknown as MochaSuite & { on: (e: string, f: (...a: unknown[]) => void) => void; prependListener: (e: string, f: () => void) => void };
  const tampering: string[] = [];
  // An exception thrown after its test passed (a stray timer) makes mocha fail that test again and abort the run.
  // Charge it to no test instead and go on; one thrown during another test fails that test, and the parent re-runs
  // such a test on its own.
  const runnerPrototype = Mocha.Runner.prototype as { _uncaught?: (this: { currentRunnable?: { isPassed?: () => boolean } }, error: unknown) => unknown };
  const uncaught = runnerPrototype._uncaught;
  if (typeof uncaught === "function") {
    runnerPrototype._uncaught = function (error: unknown) {
      if (this.currentRunnable?.isPassed?.()) return undefined;
      return uncaught.call(this, error);
    };
  }
  lockMochaGlobals(root, (what) => tampering.push(what));
  hardenLibraries(Mocha, chai, assert);
  const expect = (chai?.expect ?? (() => undefined)) as (v: unknown) => { to: { equal(v: unknown): void } };
  const canaries = env.canary ? (JSON.parse(env.canary) as { word: string; passFirst: boolean[] }) : undefined;

  /** One canary pair: a test that must pass and one that must fail, in the secret order; kind picks the check. */
  const canaryPair = (kind: number, word: string): [() => unknown, () => unknown] => {
    if (kind === 0) return [() => expect(word).to.equal(word), () => expect(word).to.equal(`${word}!`)];
    if (kind === 1) {
      return [
        async () => {
          await Promise.resolve();
          assert.strictEqual(word, word);
        },
        async () => {
          await Promise.resolve();
          assert.strictEqual(word, `${word}!`);
        },
      ];
    }
    return [
      () => undefined,
      () => {
        throw new ErrorClass(`canary ${word}`);
      },
    ];
  };
  const canaryTitles = (fileIndex: number, k: number) => {
    const passFirst = canaries!.passFirst[fileIndex * 3 + k];
    return { suite: `${canaries!.word}-${fileIndex}-${k}`, pass: passFirst ? "a" : "b", fail: passFirst ? "b" : "a" };
  };
  /** Canaries 0 and 2 go through the global describe/it, so a wrapped `it` gets them wrong. */
  const globalCanary = (fileIndex: number, k: number) => {
    const g = globalThis as unknown as { describe: (t: string, f: () => void) => void; it: (t: string, f: () => unknown) => void };
    const titles = canaryTitles(fileIndex, k);
    const [pass, fail] = canaryPair(k, canaries!.word);
    g.describe(titles.suite, () => {
      if (titles.pass === "a") {
        g.it("a", pass);
        g.it("b", fail);
      } else {
        g.it("a", fail);
        g.it("b", pass);
      }
    });
  };
  const fileIndex = new Map(env.files.map((f, i) => [path.resolve(f), i]));
  if (canaries) {
    root.on("pre-require", (...args: unknown[]) => {
      const index = fileIndex.get(args[1] as string);
      if (index !== undefined) globalCanary(index, 0);
    });
    root.on("post-require", (...args: unknown[]) => {
      const index = fileIndex.get(args[1] as string);
      if (index !== undefined) globalCanary(index, 2);
    });
  }

  // Student modules run in an SES compartment (issue 20); listing runs trusted code only.
  if (env.confine && !env.list) confineStudentCode(cwd, requireFromTests);
  for (const file of env.files) mocha.addFile(path.resolve(file));
  try {
    await mocha.loadFilesAsync();
  } catch (error) {
    send(`{"type":"load-error","message":${quote(describeThrown(error))}}`);
    realExit(0);
    return;
  }
  for (const what of tampering) send(`{"type":"tamper","message":${quote(what)}}`);
  if (canaries) {
    // Canary 1 is built from mocha's classes directly and sits between the file's own top-level suites.
    for (const [file, index] of fileIndex) {
      const titles = canaryTitles(index, 1);
      const [pass, fail] = canaryPair(1, canaries.word);
      const suite = Mocha.Suite.create(root, titles.suite);
      suite.file = file;
      const pair: [string, () => unknown][] = titles.pass === "a" ? [["a", pass], ["b", fail]] : [["a", fail], ["b", pass]];
      for (const [title, fn] of pair) {
        const test = new Mocha.Test(title, fn);
        test.file = file;
        suite.addTest(test);
      }
      root.suites.pop();
      const own = root.suites.map((s, i) => [s, i] as const).filter(([s]) => s.file === file);
      const at = own.length > 0 ? own[Math.floor(own.length / 2)][1] : root.suites.length;
      root.suites.splice(at, 0, suite);
    }
  }
  if (env.list) {
    send(`{"type":"plan","tests":[${planItems(allTests(root))}]}`);
    realExit(0);
    return;
  }
  const skip = new Set(env.skip);
  const only = new Set(env.only);
  keepTests(root, (id) => !skip.has(id) && (only.size === 0 || only.has(id)));
  send(`{"type":"plan","tests":[${planItems(allTests(root))}]}`);

  const started = new Map<string, number>();
  const runner = mocha.run(() => {
    send('{"type":"done"}');
    realExit(0);
  });
  // The runner reports through our captured emit/on, whatever happens to EventEmitter.prototype later.
  Object.defineProperty(runner, "emit", { value: emitEvent, writable: false, configurable: false });
  const on = (event: string, listener: (...args: never[]) => void) => addListener.call(runner as never, event, listener as never);
  on("test", (test: MochaTest) => {
    started.set(idOf(test), now());
    send(`{"type":"start","id":${quote(idOf(test))}}`);
  });
  const finish = (test: MochaTest, status: "passed" | "failed" | "pending", message = "", uncaught = false) => {
    const id = idOf(test);
    const durationMs = Round(now() - (started.get(id) ?? now()));
    send(`{"type":"end","id":${quote(id)},"status":"${status}","message":${quote(message)},"durationMs":${durationMs},"uncaught":${uncaught}}`);
  };
  on("pass", (test: MochaTest) => finish(test, "passed"));
  on("pending", (test: MochaTest) => finish(test, "pending", "skipped (pending)"));
  on("fail", (runnable: MochaTest, error: unknown) => {
    if (runnable.type === "hook") {
      const suite = runnable.parent ?? root;
      const tests = allTests(suite);
      const ids: string[] = [];
      for (let i = 0; i < tests.length; i++) ids[i] = quote(idOf(tests[i]));
      send(`{"type":"hook-failed","ids":[${jsonItems(ids)}],"message":${quote(`${StringOf(runnable.title)}: ${describeThrown(error)}`)}}`);
    } else {
      let uncaught = false;
      try {
        uncaught = (error as { uncaught?: unknown })?.uncaught === true;
      } catch {
        uncaught = false;
      }
      finish(runnable, "failed", describeThrown(error), uncaught);
    }
  });
}

interface MochaInstance {
  suite: unknown;
  addFile(file: string): void;
  loadFilesAsync(): Promise<void>;
  run(done: () => void): { on(event: string, listener: (...args: never[]) => void): void };
}
interface SuiteClass {
  create(parent: MochaSuite, title: string): MochaSuite;
}
type TestClass = new (title: string, fn: () => unknown) => MochaTest;

main().catch((error) => {
  send(`{"type":"load-error","message":${quote(describeThrown(error))}}`);
  realExit(0);
});
