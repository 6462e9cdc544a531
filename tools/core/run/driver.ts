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
import { allTests, idOf, keepTests, planned, type SuiteLike, type TestLike } from "./tests";

export { allTests, idOf, plan } from "./tests";

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
