/**
 * Runs one exercise's tests with mocha inside a child process and reports each test's start and end on the events
 * pipe (fd 3), each line signed with a nonce only this file knows. The parent (runExercise.ts) owns the list of
 * tests, enforces time limits and restarts it; nothing here trusts the code under test. Everything this file needs
 * after student code has loaded is captured first, and the test framework is hardened (harden.ts).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { createMocha, loadFiles, plan, runLoaded, type RunEvent } from "../../core/run/driver";
import type { PlannedTest } from "../../core/run/outcome";
import { confineStudentCode } from "./confine";
import { hardenLibraries, lockMochaGlobals, type MochaClasses } from "./harden";
import * as protocol from "./protocol";

// Keep our own references before any test can replace them.
const writeSync = fs.writeSync;
const reallyExit = (process as unknown as { reallyExit: (code: number) => never }).reallyExit;
/** Exits at once, even when a test has replaced `process.exit`, `process.reallyExit` or added exit handlers. */
const realExit = (code: number) => reallyExit.call(process, code);
const stringify = JSON.stringify;
const cwd = process.cwd();
const describeThrown = protocol.describeThrown;
const ErrorClass = Error;
const EVENTS_FD = protocol.EVENTS_FD;
const StringOf = String;
const bufferFrom = Buffer.from.bind(Buffer);

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

interface MochaSuite {
  title: string;
  root?: boolean;
  parent?: MochaSuite;
  file?: string;
  tests: unknown[];
  suites: MochaSuite[];
  addTest(test: unknown): void;
}

/** A JSON array's inside from already-encoded items, without Array.prototype.join (code under test may replace it). */
function jsonItems(items: string[]): string {
  let out = "";
  for (let i = 0; i < items.length; i++) out += i === 0 ? items[i] : `,${items[i]}`;
  return out;
}

/** The plan event's list of tests. */
function planItems(tests: PlannedTest[]): string {
  const items: string[] = [];
  for (let i = 0; i < tests.length; i++) {
    const t = tests[i];
    items[i] = `{"id":${quote(t.id)},"title":${quote(t.title)},"file":${quote(t.file)}}`;
  }
  return jsonItems(items);
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
  const mocha = createMocha({ timeoutMs: env.testMs });
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
  // One file at a time, with require (never mocha's import() fallback): a file that throws is reported as itself.
  const failures = loadFiles(mocha, env.files, { root: cwd });
  if (failures.length > 0) {
    send(`{"type":"load-error","message":${quote(failures[0].message)}}`);
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
    send(`{"type":"plan","tests":[${planItems(plan(mocha as never, cwd))}]}`);
    realExit(0);
    return;
  }
  const onEvent = (event: RunEvent) => {
    if (event.type === "start") {
      send(`{"type":"start","id":${quote(event.test.id)}}`);
    } else if (event.type === "end") {
      const o = event.outcome;
      send(`{"type":"end","id":${quote(o.id)},"status":"${o.status}","message":${quote(o.message)},"durationMs":${o.durationMs},"uncaught":${event.uncaught},"stub":${o.stub}}`);
    } else if (event.type === "hook-failed") {
      const ids: string[] = [];
      for (let i = 0; i < event.tests.length; i++) ids[i] = quote(event.tests[i].id);
      send(`{"type":"hook-failed","ids":[${jsonItems(ids)}],"message":${quote(event.message)}}`);
    } else {
      send('{"type":"done"}');
      realExit(0);
    }
  };
  const skip = new Set(env.skip);
  const only = new Set(env.only);
  const kept = (id: string) => !skip.has(id) && (only.size === 0 || only.has(id));
  const all = plan(mocha as never, cwd);
  const listed: PlannedTest[] = [];
  for (let i = 0; i < all.length; i++) if (kept(all[i].id)) listed[listed.length] = all[i];
  send(`{"type":"plan","tests":[${planItems(listed)}]}`);
  void runLoaded(mocha as never, { skip: env.skip, only: env.only, onEvent }, cwd);
}

interface MochaInstance {
  suite: unknown;
}
interface SuiteClass {
  create(parent: MochaSuite, title: string): MochaSuite;
}
type TestClass = new (title: string, fn: () => unknown) => { file?: string };

main().catch((error) => {
  send(`{"type":"load-error","message":${quote(describeThrown(error))}}`);
  realExit(0);
});
