import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { makeCanaries, type Canaries } from "./canaries";
import { requirementOf } from "../../core/config";
import { MAX_MESSAGE, type PlannedTest } from "./protocol";
import { OUTPUT_TAIL, runChild, type ChildResult } from "./runChild";
import type { Sandbox } from "./sandbox";
import { monotonicMs } from "../../core/clock";
import type { ExerciseRun, GradedOutcome, GradedStatus } from "../../core/run/outcome";

export { listTests } from "./listTests";

/** How one test ended, as the grader saw it. */
export type TestStatus = GradedStatus;
/** One test's outcome. */
export type TestOutcome = GradedOutcome;
export type { ExerciseRun };

/** How to run one exercise. */
export interface RunOptions {
  /** The folder the tests run in (the child's working directory): the project, or a submission's private copy. */
  root: string;
  files: string[];
  testMs: number;
  exerciseMs: number;
  /** Extra time a test gets before its process is killed (mocha's own timeout fires first for async code). */
  graceMs?: number;
  /** Time all the tests of one requirement may take together; the rest of that requirement is then skipped. */
  requirementMs?: number;
  /** Time a test process may take to load the test files (and the code they import) before it is stopped. */
  loadMs?: number;
  /** An absolute time (monotonicMs()) after which nothing more runs, e.g. the end of a submission's time. */
  deadline?: number;
  /** The tests expected, from a trusted source (the instructor's own checkout); else the first child's list. */
  plan?: PlannedTest[];
  /**
   * A table of the `.ts` files already transpiled (transpile.ts): the child then runs plain JavaScript from it
   * instead of loading ts-node and TypeScript. Without it the child uses ts-node.
   */
  transpiled?: string;
  /** The TypeScript config the tests are compiled with; `<root>/tsconfig.json` by default. */
  tsconfig?: string;
  /** Sandbox settings; by default the permission model with reads limited to root, the grader and node_modules. */
  sandbox?: Partial<Sandbox>;
  /** Run canary tests that a tampered harness gets wrong (default true). */
  canaries?: boolean;
  /** Extra environment for the child (only these variables and a few basics reach it). */
  env?: Record<string, string>;
}

const ISOLATED_RERUNS = 8;

/**
 * Runs an exercise's test files in sandboxed child processes and collects every test's outcome. A test that hangs is
 * killed after `testMs + graceMs`, a requirement stops after `requirementMs`, a child that exits early is restarted
 * without the tests already done, a test failed by an exception thrown outside it (a stray timer) is re-run alone,
 * and the whole exercise stops after `exerciseMs`: the result always lists every expected test.
 */
export async function runExercise(options: RunOptions): Promise<ExerciseRun> {
  const graceMs = options.graceMs ?? 1000;
  const deadline = Math.min(monotonicMs() + options.exerciseMs, options.deadline ?? Infinity);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "grade-run-"));
  const outcomes = new Map<string, TestOutcome>();
  const flags = new Set<string>();
  const tampering: string[] = [];
  let plan = options.plan;
  // Every test process gets canaries of its own (a restart after a crash and a re-run in isolation too), so no
  // process runs student code without them; all of them are checked at the end.
  const canarySets: Canaries[] = [];
  const canaryById = new Map<string, Canaries["tests"][number]>();
  let canary: Canaries | undefined;
  const freshCanaries = () => {
    if (options.canaries === false) return undefined;
    canary = makeCanaries(options.files);
    canarySets.push(canary);
    for (const t of canary.tests) canaryById.set(t.test.id, t);
    return canary;
  };
  const expected = () => [...(plan ?? []), ...(canary?.tests.map((t) => t.test) ?? [])];
  const byId = () => new Map([...(plan ?? []), ...[...canaryById.values()].map((t) => t.test)].map((t) => [t.id, t]));
  const used = new Map<string, number>();
  const record = (test: PlannedTest | undefined, status: TestStatus, message: string, durationMs = 0, stub = false) => {
    if (test && !outcomes.has(test.id)) outcomes.set(test.id, { ...test, status, message: message.slice(0, MAX_MESSAGE + 100), stub, durationMs });
  };
  const deferred = new Set<string>();
  let loadError: string | undefined;
  let tail = "";
  let processes = 0;
  const run = (only: string[]) => {
    processes++;
    const canaries = freshCanaries();
    const alone = only.length > 0 && canaries ? [...only, ...canaries.tests.map((t) => t.test.id)] : only;
    return runChild({ ...options, graceMs, deadline, work, used, plan, canary: canaries, skip: [...outcomes.keys(), ...deferred], only: alone });
  };
  const collect = (child: ChildResult, isolated: boolean) => {
    tail = (tail + child.output).slice(-OUTPUT_TAIL);
    if (child.memory) flags.add("memory");
    for (const event of child.events) {
      if (event.type === "plan" && !plan) plan = event.tests.filter((t) => !canaryById.has(t.id));
      if (event.type === "load-error" && !child.events.some((e) => e.type === "plan")) loadError ??= event.message;
      if (event.type === "tamper") tampering.push(event.message);
      const tests = byId();
      if (event.type === "end") {
        if (event.uncaught && event.status === "failed" && !isolated && deferred.size < ISOLATED_RERUNS && !canaryById.has(event.id)) {
          deferred.add(event.id);
        } else {
          record(tests.get(event.id), event.status === "passed" ? "passed" : "failed", event.message, event.durationMs, event.stub);
        }
      }
      if (event.type === "hook-failed") {
        for (const id of event.ids) record(tests.get(id), "failed", `not run: a hook failed (${event.message})`);
      }
    }
    if (child.running && !outcomes.has(child.running)) {
      const status = child.timedOut ? "timeout" : "crashed";
      flags.add(child.memory ? "memory" : status);
      record(byId().get(child.running), status, child.why ?? "the test process stopped during this test", child.runningMs);
    }
    for (const requirement of child.exhausted) {
      for (const t of expected()) if (requirementOf(t.title) === requirement) record(t, "timeout", `not run: ${requirement}'s tests ran out of their time together (${options.requirementMs} ms)`);
    }
  };
  try {
    for (;;) {
      const before = outcomes.size;
      const child = await run([]);
      collect(child, false);
      if (!plan || !child.events.some((e) => e.type === "plan")) {
        loadError ??= child.why ?? `the test process exited before listing its tests${tail ? `; its output ended with:\n${tail.slice(-2000)}` : ""}`;
        break;
      }
      const left = expected().filter((t) => !outcomes.has(t.id) && !deferred.has(t.id));
      if (left.length === 0) break;
      // mocha also finishes early when it aborts (an asynchronous failure after a test passed): run the rest again.
      if (child.done && outcomes.size === before) {
        for (const t of left) record(t, "not run", "mocha finished without running this test");
        break;
      }
      if (monotonicMs() >= deadline || outcomes.size === before) {
        const why = monotonicMs() >= deadline ? `the exercise ran out of time (${options.exerciseMs} ms)` : (child.why ?? "the test process stopped");
        if (monotonicMs() >= deadline) flags.add("timeout");
        for (const t of left) record(t, "not run", `not run: ${why}`);
        break;
      }
    }
    const alone = [...deferred];
    deferred.clear();
    for (const id of alone) {
      const test = byId().get(id);
      if (monotonicMs() >= deadline) {
        record(test, "not run", "not run: the exercise ran out of time before this test could be re-run alone");
        continue;
      }
      const child = await run([id]);
      collect(child, true);
      record(test, "crashed", child.why ?? "the test's re-run in isolation gave no result");
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  if (plan && !loadError) for (const set of canarySets) tampering.push(...set.check(outcomes));
  if (tampering.length > 0) flags.add("tampered");
  const tests = plan && !(loadError && outcomes.size === 0) ? plan.map((t) => outcomes.get(t.id) ?? { ...t, status: "not run" as const, message: "no result", stub: false, durationMs: 0 }) : [];
  return { tests, loadError, outputTail: tail, processes, flags: [...flags], tampering };
}
