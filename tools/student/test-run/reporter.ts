/**
 * The test reporter of `npm test` and `npx mocha`: mocha's spec layout, made short for a student's run, then the
 * verdict (requirements done per exercise, the next step and its hint) as the last thing printed.
 *
 * - The tests of a describe block that stop at an unwritten stub (NotImplementedError) share one line: ⏳ N tests …
 * - Failure details are printed for real failures only (at most {@link MAX_DETAILS}); stub failures are counted.
 *
 * - A test file that cannot load (a syntax error in the code it imports) is one failing test, the student's error
 *   as itself with its file and line; the others still run (the driver, tools/core/run/driver.ts, loads them so).
 * - The tool tests `npm test` ran in child processes (the instructor repository) are summed up in one line, after
 *   the details of their failures.
 *
 * `.mocharc.json` names this file, so `npx mocha test/ex2-descriptors.test.ts` ends the same way (`npm test --
 * test/ex2-descriptors.test.ts` is the safer spelling: mocha's own loader may replace a load error by another on
 * Node 22 and 24, the driver never does).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import Mocha from "mocha";
import { loadGradingConfig } from "../../core/config";
import { verdictExtras } from "./extras";
import { LOAD_FAILED, isStubError, verdictOf, type RanTest } from "./verdict";

const { EVENT_RUN_BEGIN, EVENT_RUN_END, EVENT_SUITE_BEGIN, EVENT_SUITE_END, EVENT_TEST_BEGIN, EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING } = Mocha.Runner.constants;
const Base = Mocha.reporters.Base;
const color = (type: string, text: string) => Base.color(type, text);
const log = (text = "") => Base.consoleLog(text);

/** Failure details printed at most; the rest are counted. */
const MAX_DETAILS = 10;

interface TestLike {
  title: string;
  file?: string;
  type?: string;
  duration?: number;
  speed?: string;
  err?: unknown;
  fullTitle?: () => string;
  parent?: { eachTest?: (fn: (t: TestLike) => void) => void };
}


/** The first `lines` non-empty lines of an error's message, joined. */
function firstLine(error: unknown, lines = 1): string {
  const e = error as { name?: string; message?: string } | undefined;
  const text = e?.message !== undefined ? `${e.name && e.name !== "Error" && e.name !== "AssertionError" ? `${e.name}: ` : ""}${e.message}` : String(error);
  return text
    .split("\n")
    .filter((l) => l.trim())
    .slice(0, lines)
    .map((l) => l.trim())
    .join(" ");
}

/** One line for the tests outside the exercises' files (the instructor repository's tool and notebook tests). */
function formatOthers(exerciseFiles: string[], root: string, tests: RanTest[]): string | undefined {
  const known = new Set(exerciseFiles.map((f) => path.resolve(root, f)));
  const others = tests.filter((t) => !known.has(path.resolve(root, t.file)));
  if (others.length === 0) return undefined;
  const failing = others.filter((t) => !t.passed);
  const files = [...new Set(others.filter((t) => t.file).map((t) => path.relative(root, t.file)))].join(", ");
  return `${failing.length === 0 ? "✔" : "✘"} Other tests (${files}): ${others.length - failing.length} passing, ${failing.length} failing${failing.length ? `; first: ${failing[0].title}` : ""}`;
}

/** "R1.1 TieredPipelineContext.enter" from a NotImplementedError anywhere in the message or cause chain. */
function stubMessage(error: unknown): string {
  for (let e = error as { message?: string; cause?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    const m = /(R\d+\.\d+ [^:]+?): not (?:implemented|written) yet/.exec(String(e.message ?? ""));
    if (m) return m[1];
  }
  return "";
}

/** Where src/shared/NotImplementedError.ts records the stubs reached (not imported: src/ may not even compile). */
const STUBS_REACHED = Symbol.for("lecture34.stubsReached");

/** The stubs reached during the current test. */
function stubsReached(): string[] {
  return ((globalThis as { [STUBS_REACHED]?: string[] })[STUBS_REACHED] ??= []);
}

/** Where src/shared/NotImplementedError.ts records the class-level stubs in the loaded code, by requirement. */
const STUBS_UNWRITTEN = Symbol.for("lecture34.stubsUnwritten");

let prerequisites: Record<string, string[]> | undefined;

/** The class-level stub (a `static {}` block calling `notWritten`) of a test's requirement or of one it builds on. */
function unwrittenStub(title: string): string | undefined {
  const unwritten = (globalThis as { [STUBS_UNWRITTEN]?: Map<string, string> })[STUBS_UNWRITTEN];
  const requirement = /^R\d+\.\d+(?=\s|$)/.exec(title)?.[0];
  if (!unwritten?.size || requirement === undefined) return undefined;
  if (prerequisites === undefined) {
    try {
      prerequisites = (JSON.parse(fs.readFileSync(path.resolve("grading.json"), "utf8")) as { prerequisites?: Record<string, string[]> }).prerequisites ?? {};
    } catch {
      prerequisites = {};
    }
  }
  return [requirement, ...(prerequisites[requirement] ?? [])].map((r) => unwritten.get(r)).find((m) => m !== undefined);
}

/**
 * A failure of a test that reached a stub and caught its error (e.g. to check a state afterwards), or of a test
 * whose requirement (or one it builds on) is still a class-level stub, is a stub failure too: returns an error
 * that names the stub, with the test's own failure as its cause.
 */
function caughtStub(error: unknown, title: string): Error | undefined {
  if (isStubError(error)) return undefined;
  const [first] = stubsReached();
  const unwritten = first === undefined ? unwrittenStub(title) : undefined;
  if (first === undefined && unwritten === undefined) return undefined;
  const stub = new Error(first !== undefined ? `${first} — the test caught it, then failed: ${firstLine(error)}` : `${unwritten} — the test failed: ${firstLine(error)}`, { cause: error });
  stub.name = "NotImplementedError";
  return stub;
}

type Line = { kind: "pass" | "fail" | "pending"; test: TestLike; error?: unknown; n?: number };

class VerdictReporter extends Base {
  private readonly ran = new Map<string, RanTest>();
  private readonly details: { test: TestLike; error: unknown }[] = [];
  private stubFailures = 0;

  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    let depth = 0;
    let buffer: Line[] = [];
    const indent = () => "  ".repeat(Math.max(0, depth - 1));
    const key = (t: TestLike) => `${t.file ?? ""}\0${t.fullTitle?.() ?? t.title}`;
    const record = (t: TestLike, passed: boolean, message: string) => this.ran.set(key(t), { title: t.title, file: t.file ?? "", passed, message });

    const flush = () => {
      const lines = buffer;
      buffer = [];
      if (lines.length === 0) return;
      // Two or more tests of a block that stop at a stub share one line; the block's other tests keep theirs.
      const stubs = lines.filter((l) => l.kind === "fail" && isStubError(l.error));
      const collapse = stubs.length >= 2 || (stubs.length === 1 && lines.length === 1);
      if (collapse) {
        const what = stubMessage(stubs[0].error);
        log(`${indent()}  ${color("pending", `⏳ ${stubs.length === 1 ? "1 test stops" : `${stubs.length} tests stop`} at a stub not written yet`)}${color("light", what ? ` (first: ${what})` : "")}`);
      }
      for (const l of lines) {
        if (collapse && stubs.includes(l)) continue;
        if (l.kind === "pass") {
          const slow = l.test.speed !== "fast" && l.test.duration !== undefined ? color(l.test.speed ?? "medium", ` (${l.test.duration}ms)`) : "";
          log(`${indent()}  ${color("checkmark", Base.symbols.ok)}${color("pass", ` ${l.test.title}`)}${slow}`);
        } else if (l.kind === "pending") {
          log(`${indent()}  ${color("pending", `- ${l.test.title}`)}`);
        } else if (isStubError(l.error)) {
          log(`${indent()}  ${color("pending", `⏳ ${l.test.title}`)}`);
        } else {
          log(`${indent()}  ${color("fail", `${l.n ? `${l.n})` : Base.symbols.err} ${l.test.title}`)}`);
        }
      }
    };

    runner.on(EVENT_RUN_BEGIN, () => log());
    runner.on(EVENT_SUITE_BEGIN, (suite: { title: string; root?: boolean }) => {
      flush();
      depth++;
      if (suite.title) log(color("suite", `${indent()}${suite.title}`));
    });
    runner.on(EVENT_SUITE_END, () => {
      flush();
      depth--;
      if (depth === 1) log();
    });
    runner.on(EVENT_TEST_PENDING, (test: TestLike) => buffer.push({ kind: "pending", test }));
    runner.on(EVENT_TEST_PASS, (test: TestLike) => {
      record(test, true, "");
      buffer.push({ kind: "pass", test });
    });
    runner.on(EVENT_TEST_BEGIN, () => stubsReached().splice(0));
    runner.on(EVENT_TEST_FAIL, (runnable: TestLike, thrown: unknown) => {
      const error = caughtStub(thrown, runnable.type === "hook" ? "" : runnable.title) ?? thrown;
      const stub = isStubError(error);
      if (stub) this.stubFailures++;
      else this.details.push({ test: runnable, error });
      const n = stub ? undefined : this.details.length;
      if (runnable.type === "hook") {
        // Tests under a failed hook never run: they count as failing, with the hook's error.
        runnable.parent?.eachTest?.((t) => {
          if (!this.ran.has(key(t))) record(t, false, `not run: a hook failed: ${firstLine(error)}`);
        });
      } else {
        // A file that did not load: the error as itself (its name too, `Error: boom`), with its file and line.
        const name = (error as { name?: string } | undefined)?.name ?? "Error";
        const text = firstLine(error, runnable.title.startsWith(LOAD_FAILED) ? 2 : 1);
        record(runnable, false, runnable.title.startsWith(LOAD_FAILED) && !text.startsWith(`${name}: `) ? `${name}: ${text}` : text);
      }
      buffer.push({ kind: "fail", test: runnable, error, n });
    });
    runner.once(EVENT_RUN_END, () => {
      flush();
      this.summary();
    });
  }

  /** Counts, then the details of real failures (stub failures are only counted). */
  private summary(): void {
    const stats = this.stats;
    log();
    log(`${color("bright pass", " ")}${color("green", ` ${stats.passes} passing`)}${color("light", ` (${Math.round(stats.duration ?? 0)}ms)`)}`);
    if (stats.pending) log(`${color("pending", `  ${stats.pending} pending`)}`);
    if (stats.failures) {
      const stubs = this.stubFailures ? ` (${this.stubFailures} of them stop at a stub not written yet: ⏳ above, details left out)` : "";
      log(color("fail", `  ${stats.failures} failing${stubs}`));
    }
    if (this.details.length > 0) {
      log();
      const shown = this.details.slice(0, MAX_DETAILS).map(({ test, error }) => Object.assign(test, { err: error }));
      Base.list(shown as unknown as Mocha.Test[]);
      if (this.details.length > MAX_DETAILS) log(color("light", `  … and ${this.details.length - MAX_DETAILS} more failures: run one exercise (npm test -- 2) or one requirement (npx mocha -g "R2.3") for their details.`));
    }
  }

  /** Mocha calls this last; the verdict is the last thing printed. */
  done(failures: number, fn?: (failures: number) => void): void {
    void this.printVerdict().then(
      () => fn?.(failures),
      (error) => {
        console.error(`(the verdict could not be computed: ${error instanceof Error ? error.message : String(error)})`);
        fn?.(failures);
      },
    );
  }

  private async printVerdict(): Promise<void> {
    const root = process.cwd();
    const file = path.join(root, "grading.json");
    if (!fs.existsSync(file)) return;
    const config = loadGradingConfig(file);
    const elsewhere = await verdictExtras.others;
    if (elsewhere?.details) log(`\n${elsewhere.details}`);
    const tests = [...this.ran.values(), ...(elsewhere?.tests ?? [])];
    const build = await verdictExtras.build;
    const others = formatOthers(config.exercises.flatMap((ex) => [...ex.tests, ...(ex.hiddenTests ?? [])]), root, tests);
    const verdict = verdictOf(config, root, tests, { build, others });
    if (verdict !== undefined) log(verdict);
  }
}

export = VerdictReporter;
