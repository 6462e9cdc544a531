/**
 * Runs one exercise's test files in plain child processes (plainChild.ts; no sandbox: the student's own code on
 * the student's own machine, or the instructor's copies in teeth) with the time limits of grading.json: a test
 * that outlives `testMs + graceMs` (an endless loop mocha cannot interrupt) is stopped with its process, the rest
 * run in a new process, and the whole exercise stops at `exerciseMs`. The result lists every test found.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { ChildMessage, ChildRequest } from "./plainChild";
import { killGroup } from "./killGroup";
import type { ExerciseRun, GradedOutcome, PlannedTest, TestOutcome } from "./outcome";

/** How to run one exercise. */
export interface PlainOptions {
  /** The folder the tests run in (the child's working directory). */
  root: string;
  files: string[];
  testMs: number;
  exerciseMs: number;
  /** Extra time a test gets before its process is stopped (mocha's own timeout fires first for async code). */
  graceMs?: number;
  /**
   * Time a test may run before its process is stopped: `testMs + graceMs` by default; trusted tests that set their
   * own mocha timeout (`npm test`'s tool tests) get more.
   */
  testKillMs?: number;
  /** Time a process may take to load the test files. */
  loadMs?: number;
  /** Time all the tests of one requirement may take together; the rest of that requirement is then not run. */
  requirementMs?: number;
  /** An absolute time (performance.now()) after which nothing more runs. */
  deadline?: number;
  grep?: string;
  /** Extra environment for the child. */
  env?: Record<string, string>;
}

/** The plain test process, run with ts-node so `.ts` test files load. */
export const PLAIN_CHILD = path.join(__dirname, "plainChild.ts");
const TS_NODE = require.resolve("ts-node/register/transpile-only");
const OUTPUT_TAIL = 16 * 1024;
/** Tests failed by an error thrown outside them (a stray timer) that are re-run alone, at most. */
const ISOLATED_RERUNS = 8;
const requirementOf = (title: string) => /^(R\d+\.\d+)(?=\s|$)/.exec(title)?.[1];

/** The TypeScript config ts-node uses: the nearest above the root (as ts-node finds it), else this project's. */
export function tsconfigFor(root: string): string {
  for (let dir = path.resolve(root); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "tsconfig.json"))) return path.join(dir, "tsconfig.json");
    if (path.dirname(dir) === dir) return path.resolve(__dirname, "..", "..", "..", "tsconfig.json");
  }
}

interface ChildEnd {
  loaded?: { tests: PlannedTest[]; loadError?: string };
  done: boolean;
  why?: string;
}

/** Runs an exercise's tests and collects every test's outcome. */
export async function runPlain(options: PlainOptions): Promise<ExerciseRun> {
  const graceMs = options.graceMs ?? 1000;
  const loadMs = options.loadMs ?? 30_000;
  const deadline = Math.min(performance.now() + options.exerciseMs, options.deadline ?? Infinity);
  const outcomes = new Map<string, GradedOutcome>();
  const flags = new Set<string>();
  let plan: PlannedTest[] | undefined;
  let loadError: string | undefined;
  let tail = "";
  let processes = 0;
  const deferred = new Set<string>();
  const used = new Map<string, number>();
  const exhausted = new Set<string>();
  const record = (outcome: TestOutcome) => {
    if (!outcomes.has(outcome.id)) outcomes.set(outcome.id, { ...outcome, status: outcome.status === "pending" ? "failed" : outcome.status });
  };
  const notRun = (t: PlannedTest, status: GradedOutcome["status"], message: string): TestOutcome => ({ ...t, status, message, stub: false, durationMs: 0 });

  const runOnce = (only: string[] = []): Promise<ChildEnd> => {
    processes++;
    const request: ChildRequest = { files: options.files, timeoutMs: options.testMs, grep: options.grep, skip: [...outcomes.keys(), ...deferred], only };
    const child = spawn(process.execPath, ["-r", TS_NODE, PLAIN_CHILD], {
      cwd: options.root,
      detached: true,
      stdio: ["ignore", "pipe", "pipe", "ipc"],
      env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "true", TS_NODE_PROJECT: tsconfigFor(options.root), FORCE_COLOR: "0", ...options.env },
    });
    const keep = (chunk: Buffer) => (tail = (tail + chunk.toString("utf8")).slice(-OUTPUT_TAIL));
    child.stdout!.on("data", keep);
    child.stderr!.on("data", keep);
    const end: ChildEnd = { done: false };
    let running: { test: PlannedTest; since: number } | undefined;
    const started = performance.now();
    return new Promise((resolve) => {
      const stop = (why: string, status?: "timeout") => {
        if (end.why) return;
        end.why = why;
        if (running && status) {
          flags.add("timeout");
          record(notRun(running.test, "timeout", why));
        }
        killGroup(child.pid);
      };
      const spent = (test: PlannedTest, ms: number) => {
        const requirement = requirementOf(test.title);
        if (requirement) used.set(requirement, (used.get(requirement) ?? 0) + ms);
      };
      const timer = setInterval(() => {
        const now = performance.now();
        const requirement = running && requirementOf(running.test.title);
        if (running && requirement && options.requirementMs && (used.get(requirement) ?? 0) + now - running.since > options.requirementMs) {
          exhausted.add(requirement);
          stop(`timed out: ${requirement}'s tests together ran longer than ${options.requirementMs} ms and the process was stopped`, "timeout");
        } else if (running && now - running.since > (options.testKillMs ?? options.testMs + graceMs)) {
          stop(`timed out: the test ran longer than ${options.testKillMs ?? options.testMs} ms (an endless loop?) and its process was stopped`, "timeout");
        } else if (!end.loaded && now - started > loadMs) stop(`timed out: loading the tests took longer than ${loadMs} ms and the process was stopped`);
        else if (now > deadline) {
          flags.add("timeout");
          stop(`timed out: the exercise ran longer than its time limit (${options.exerciseMs} ms) and its process was stopped`, "timeout");
        }
      }, 50);
      child.on("message", (message: ChildMessage) => {
        if (message.type === "loaded") {
          end.loaded = { tests: message.tests, loadError: message.loadFailures.map((f) => f.message).join("; ") || undefined };
        } else if (message.type === "start") {
          running = { test: message.test, since: performance.now() };
        } else if (message.type === "end") {
          if (running?.test.id === message.outcome.id) spent(running.test, performance.now() - running.since);
          const o = message.outcome;
          if (message.uncaught && o.status === "failed" && only.length === 0 && deferred.size < ISOLATED_RERUNS) deferred.add(o.id);
          else record(o);
          running = undefined;
        } else if (message.type === "done") {
          end.done = true;
        }
      });
      let finished = false;
      const finish = (code: number | null, signal: NodeJS.Signals | null) => {
        if (finished) return;
        finished = true;
        clearInterval(timer);
        killGroup(child.pid);
        if (!end.done && !end.why) {
          end.why = /heap out of memory|Allocation failed/i.test(tail)
            ? "the test process ran out of memory"
            : `the test process exited ${signal ? `on ${signal}` : `with code ${code}`} (did the code call process.exit()?)`;
          if (/out of memory/.test(end.why)) flags.add("memory");
        }
        if (running) spent(running.test, performance.now() - running.since);
        if (running && !outcomes.has(running.test.id)) {
          flags.add(flags.has("memory") ? "memory" : "crashed");
          record(notRun(running.test, "crashed", end.why ?? "the test process stopped during this test"));
        }
        resolve(end);
      };
      child.on("exit", (code, signal) => setTimeout(() => finish(code, signal), 300));
      child.on("close", (code: number | null, signal: NodeJS.Signals | null) => finish(code, signal));
      child.on("error", (error) => {
        end.why = `the test process could not start: ${error.message}`;
        finish(null, null);
      });
      child.send(request);
    });
  };

  for (;;) {
    const before = outcomes.size;
    const end = await runOnce();
    if (!end.loaded) {
      loadError ??= end.why ?? `the test process exited before listing its tests${tail ? `; its output ended with:\n${tail.slice(-2000)}` : ""}`;
      break;
    }
    plan ??= end.loaded.tests;
    if (end.loaded.loadError) {
      loadError = end.loaded.loadError;
      break;
    }
    for (const requirement of exhausted) {
      for (const t of plan) if (requirementOf(t.title) === requirement) record(notRun(t, "timeout", `not run: ${requirement}'s tests ran out of their time together (${options.requirementMs} ms)`));
    }
    const left = plan.filter((t) => !outcomes.has(t.id) && !deferred.has(t.id));
    if (left.length === 0) break;
    // mocha also finishes early when it aborts (an error thrown after a test passed): run the rest again.
    if ((end.done && outcomes.size === before) || outcomes.size === before || performance.now() >= deadline) {
      const why = end.done ? "mocha finished without running this test" : `not run: ${end.why ?? "the test process stopped"}`;
      for (const t of left) record(notRun(t, "not run", why));
      break;
    }
  }
  // A test failed by an error thrown outside it (a stray timer of an earlier test) runs again, alone.
  for (const id of [...deferred]) {
    deferred.delete(id);
    const test = plan?.find((t) => t.id === id);
    if (!test) continue;
    if (performance.now() < deadline) await runOnce([id]);
    record(notRun(test, "crashed", "the test's re-run in isolation gave no result"));
  }
  const tests = plan && !loadError ? plan.map((t): GradedOutcome => outcomes.get(t.id) ?? { ...t, status: "not run", message: "no result", stub: false, durationMs: 0 }) : [];
  return { tests, loadError, outputTail: tail, processes, flags: [...flags].sort() };
}
