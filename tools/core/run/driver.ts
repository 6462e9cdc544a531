/**
 * The one mocha driver every command runs tests through (npm test, watch, student-mode grading, the grader's
 * sandboxed child, teeth): it creates mocha, loads the test files one at a time with `require` (so a file that
 * throws while loading fails alone, reported as its own error, and mocha's `import()` fallback never replaces
 * that error on Node 22 and 24), and reports one outcome per test.
 *
 * Test files are CommonJS: `.js`, or `.ts` through a `require` hook (ts-node, or the grader's transpiled table).
 * Everything the driver uses once tests run is captured when it loads, before any test or student code.
 */
import EventEmitter from "node:events";
import * as path from "node:path";
import Mocha from "mocha";
import { describeLoadError, describeThrown, isStubError, loadFailureError } from "./describe";
import type { LoadFailure, PlannedTest, TestOutcome } from "./outcome";

/** This folder: a sandboxed test process must be able to read (and the grader to transpile) the driver's files. */
export const RUN_DIR = __dirname;

/** The title (then `: <file>`) of the placeholder test that stands for a test file that could not be loaded. */
export const LOAD_FAILED = "the test file loads";

/** The message of a pending (skipped) test's outcome; graders count it as failed. */
export const PENDING_MESSAGE = "skipped (pending)";

/** What the driver reports while tests run. */
export type RunEvent =
  | { type: "start"; test: PlannedTest }
  | { type: "end"; outcome: TestOutcome; uncaught: boolean }
  | { type: "hook-failed"; tests: PlannedTest[]; message: string }
  | { type: "done"; outcomes: TestOutcome[] };

/** How to create mocha. */
export interface DriverOptions {
  /** Per-test timeout (mocha's own, which stops asynchronous tests; a runner around it stops endless loops). */
  timeoutMs: number;
  /** Only tests whose full title matches. */
  grep?: string | RegExp;
  /** A mocha reporter class that prints as tests run (npm test's); silent by default. */
  reporter?: Mocha.ReporterConstructor;
}

/** Options of {@link runLoaded}. */
export interface RunOptions {
  /** Test IDs to leave out (already run by an earlier process). */
  skip?: string[];
  /** Test IDs to run, none else (a re-run in isolation); empty for all. */
  only?: string[];
  onEvent?: (event: RunEvent) => void;
}

const StringOf = String;
const Round = Math.round;
const now = performance.now.bind(performance);
const relative = path.relative;
const resolve = path.resolve;
const emitEvent = EventEmitter.prototype.emit;
const addListener = EventEmitter.prototype.on;
const { EVENT_FILE_PRE_REQUIRE, EVENT_FILE_REQUIRE, EVENT_FILE_POST_REQUIRE } = Mocha.Suite.constants;
/** Where src/shared/NotImplementedError.ts records the stubs reached (not imported: src/ may not even compile). */
const STUBS_REACHED = Symbol.for("lecture34.stubsReached");

interface SuiteLike {
  title: string;
  root?: boolean;
  parent?: SuiteLike;
  file?: string;
  tests: TestLike[];
  suites: SuiteLike[];
}
interface TestLike {
  title: string;
  file?: string;
  parent?: SuiteLike;
  type?: string;
}

/** Creates mocha (silent unless given a reporter); the caller may listen on `mocha.suite` before loading. */
export function createMocha(options: DriverOptions): Mocha {
  const mocha = new Mocha({ timeout: options.timeoutMs, reporter: options.reporter ?? (class {} as never), ...(options.grep ? { grep: options.grep } : {}) });
  return mocha;
}

/**
 * Loads test files one at a time, the way `Mocha#loadFiles` does (its documented file events, then `require`),
 * so a file that throws is a {@link LoadFailure} of its own and the others load. With `placeholders`, each failed
 * file also gets one failing test titled {@link LOAD_FAILED}, so a printed run shows it where its tests would be.
 */
export function loadFiles(mocha: Mocha, files: string[], options: { root?: string; placeholders?: boolean } = {}): LoadFailure[] {
  const root = options.root ?? process.cwd();
  const failures: LoadFailure[] = [];
  for (const given of files) {
    // Not mocha.addFile(): mocha.run() would then load every file again, all at once.
    const file = resolve(root, given);
    try {
      mocha.suite.emit(EVENT_FILE_PRE_REQUIRE, globalThis, file, mocha);
      mocha.suite.emit(EVENT_FILE_REQUIRE, require(file), file, mocha);
      mocha.suite.emit(EVENT_FILE_POST_REQUIRE, globalThis, file, mocha);
    } catch (error) {
      failures.push({ file, message: describeLoadError(error, root) });
      if (options.placeholders) {
        const rel = relative(root, file).split(path.sep).join("/");
        const suite = Mocha.Suite.create(mocha.suite, rel);
        const failure = loadFailureError(error, root);
        const test = new Mocha.Test(`${LOAD_FAILED}: ${rel}`, () => {
          throw failure;
        });
        test.file = file;
        suite.addTest(test);
      }
    }
  }
  return failures;
}

/**
 * A test's ID: its file and full title, built by plain string concatenation rather than with mocha's
 * `fullTitle()`, which uses Array methods that code under test could replace to relabel results.
 */
export function idOf(test: TestLike, root = process.cwd()): string {
  let title = StringOf(test.title);
  for (let suite = test.parent; suite && !suite.root; suite = suite.parent) title = `${StringOf(suite.title)} ${title}`;
  return `${relative(root, test.file ?? "")} :: ${title}`;
}

/** Every test below a suite, in run order, collected with index loops only. */
export function allTests(suite: SuiteLike, into: TestLike[] = []): TestLike[] {
  for (let i = 0; i < suite.tests.length; i++) into[into.length] = suite.tests[i];
  for (let i = 0; i < suite.suites.length; i++) allTests(suite.suites[i], into);
  return into;
}

const planned = (test: TestLike, root: string): PlannedTest => ({ id: idOf(test, root), title: StringOf(test.title), file: test.file ?? "" });

/** The tests loaded, in run order (after `grep`). */
export function plan(mocha: Mocha, root = process.cwd()): PlannedTest[] {
  const grep = (mocha.options as { grep?: RegExp | string }).grep;
  const pattern = grep === undefined ? undefined : new RegExp(grep);
  const tests = allTests(mocha.suite as unknown as SuiteLike);
  const found: PlannedTest[] = [];
  for (let i = 0; i < tests.length; i++) {
    if (!pattern || pattern.test((tests[i] as unknown as Mocha.Test).fullTitle())) found[found.length] = planned(tests[i], root);
  }
  return found;
}

/** Keeps the tests `keep` accepts, with index loops only (code under test may have replaced Array methods). */
function keepTests(suite: SuiteLike, keep: (test: TestLike) => boolean): void {
  const kept: TestLike[] = [];
  for (let i = 0; i < suite.tests.length; i++) if (keep(suite.tests[i])) kept[kept.length] = suite.tests[i];
  suite.tests = kept;
  for (let i = 0; i < suite.suites.length; i++) keepTests(suite.suites[i], keep);
}

/**
 * Runs the loaded tests and resolves with one outcome per test that ran. A hook that fails gives its tests a
 * failed outcome each (`not run: a hook failed …`). `onEvent` hears every start and end as it happens.
 */
export function runLoaded(mocha: Mocha, options: RunOptions = {}, root = process.cwd()): Promise<TestOutcome[]> {
  const skip = new Set(options.skip ?? []);
  const only = new Set(options.only ?? []);
  if (skip.size > 0 || only.size > 0) keepTests(mocha.suite as unknown as SuiteLike, (t) => !skip.has(idOf(t, root)) && (only.size === 0 || only.has(idOf(t, root))));
  const outcomes: TestOutcome[] = [];
  const ended = new Set<string>();
  const started = new Map<string, number>();
  const stubs = () => ((globalThis as { [STUBS_REACHED]?: string[] })[STUBS_REACHED] ??= []);
  const finish = (test: TestLike, status: "passed" | "failed" | "pending", message: string, stub: boolean, uncaught = false) => {
    const p = planned(test, root);
    if (ended.has(p.id)) return;
    ended.add(p.id);
    const outcome: TestOutcome = { ...p, status, message, stub, durationMs: Round(now() - (started.get(p.id) ?? now())) };
    outcomes[outcomes.length] = outcome;
    options.onEvent?.({ type: "end", outcome, uncaught });
  };
  return new Promise((done) => {
    const runner = mocha.run(() => {
      options.onEvent?.({ type: "done", outcomes });
      done(outcomes);
    });
    // The runner reports through the emit/on captured at load, whatever happens to EventEmitter.prototype later.
    Object.defineProperty(runner, "emit", { value: emitEvent, writable: false, configurable: false });
    const on = (event: string, listener: (...args: never[]) => void) => addListener.call(runner as never, event, listener as never);
    on(Mocha.Runner.constants.EVENT_TEST_BEGIN, (test: TestLike) => {
      const p = planned(test, root);
      started.set(p.id, now());
      try {
        stubs().splice(0);
      } catch {
        // a test replaced the list: stubs are then told by their errors only
      }
      options.onEvent?.({ type: "start", test: p });
    });
    on(Mocha.Runner.constants.EVENT_TEST_PASS, (test: TestLike) => finish(test, "passed", "", false));
    on(Mocha.Runner.constants.EVENT_TEST_PENDING, (test: TestLike) => finish(test, "pending", PENDING_MESSAGE, false));
    on(Mocha.Runner.constants.EVENT_TEST_FAIL, (runnable: TestLike, error: unknown) => {
      let stub = isStubError(error);
      if (!stub) {
        try {
          stub = stubs().length > 0;
        } catch {
          stub = false;
        }
      }
      if (runnable.type === "hook") {
        const message = `${StringOf(runnable.title)}: ${describeThrown(error)}`;
        const below = allTests(runnable.parent ?? (mocha.suite as unknown as SuiteLike));
        const tests: TestLike[] = [];
        const ids: PlannedTest[] = [];
        for (let i = 0; i < below.length; i++) {
          if (ended.has(idOf(below[i], root))) continue;
          tests[tests.length] = below[i];
          ids[ids.length] = planned(below[i], root);
        }
        options.onEvent?.({ type: "hook-failed", tests: ids, message });
        for (let i = 0; i < tests.length; i++) finish(tests[i], "failed", `not run: a hook failed (${message})`, stub);
        return;
      }
      let uncaught = false;
      try {
        uncaught = (error as { uncaught?: unknown })?.uncaught === true;
      } catch {
        uncaught = false;
      }
      finish(runnable, "failed", describeThrown(error), stub, uncaught);
    });
  });
}

/** Everything {@link runTests} gives. */
export interface TestRun {
  outcomes: TestOutcome[];
  loadFailures: LoadFailure[];
}

/** Creates mocha, loads the files one at a time (a failed file is a failing placeholder test) and runs them. */
export async function runTests(files: string[], options: DriverOptions & RunOptions & { root?: string }): Promise<TestRun> {
  const root = options.root ?? process.cwd();
  const mocha = createMocha(options);
  const loadFailures = loadFiles(mocha, files, { root, placeholders: true });
  const outcomes = await runLoaded(mocha, options, root);
  return { outcomes, loadFailures };
}
