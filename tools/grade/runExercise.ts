import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ENV, type ChildEvent, type PlannedTest } from "./protocol";

/** How one test ended, as the grader saw it. */
export type TestStatus = "passed" | "failed" | "timeout" | "crashed" | "not run";

/** One test's outcome. */
export interface TestOutcome extends PlannedTest {
  status: TestStatus;
  message: string;
  durationMs: number;
}

/** Everything the grader learnt from running one exercise's tests. */
export interface ExerciseRun {
  tests: TestOutcome[];
  /** Set when the test files could not even be loaded (a syntax error, a throw at import time…). */
  loadError?: string;
  /** The last part of what the child printed, for diagnosis; never parsed. */
  outputTail: string;
  /** How many child processes it took (more than one after a crash or a timeout). */
  processes: number;
}

/** How to run one exercise. */
export interface RunOptions {
  /** The project whose tests run; the child's working directory. */
  root: string;
  files: string[];
  testMs: number;
  exerciseMs: number;
  /** Extra time a test gets before its process is killed (mocha's own timeout fires first for async code). */
  graceMs?: number;
}

const OUTPUT_TAIL = 16 * 1024;
const CHILD = path.join(__dirname, "child.ts");
const TS_NODE = require.resolve("ts-node/register/transpile-only");

/**
 * Runs an exercise's test files in child processes and collects every test's outcome. A test that hangs is killed
 * after `testMs + graceMs`, a child that exits early is restarted without the tests already done, and the whole
 * exercise stops after `exerciseMs`: the result always lists every test that was found.
 */
export async function runExercise(options: RunOptions): Promise<ExerciseRun> {
  const graceMs = options.graceMs ?? 1000;
  const deadline = Date.now() + options.exerciseMs;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "grade-"));
  const outcomes = new Map<string, TestOutcome>();
  let plan: PlannedTest[] | undefined;
  let planned = new Map<string, PlannedTest>();
  const record = (test: PlannedTest | undefined, status: TestStatus, message: string, durationMs = 0) => {
    if (test) outcomes.set(test.id, { ...test, status, message, durationMs });
  };
  let loadError: string | undefined;
  let tail = "";
  let processes = 0;
  try {
    for (;;) {
      processes++;
      const skipFile = path.join(work, `skip-${processes}.json`);
      fs.writeFileSync(skipFile, JSON.stringify([...outcomes.keys()]));
      const before = outcomes.size;
      const child = await runChild(options, path.join(work, `events-${processes}.jsonl`), skipFile, deadline, graceMs);
      tail = (tail + child.output).slice(-OUTPUT_TAIL);
      for (const event of child.events) {
        if (event.type === "plan" && !plan) {
          plan = event.tests;
          planned = new Map(plan.map((t) => [t.id, t]));
        }
        if (event.type === "load-error" && !plan) loadError = event.message;
        if (event.type === "end") {
          record(planned.get(event.id), event.status === "passed" ? "passed" : "failed", event.message, event.durationMs);
        }
        if (event.type === "hook-failed") {
          for (const id of event.ids) if (!outcomes.has(id)) record(planned.get(id), "failed", `not run: a hook failed (${event.message})`);
        }
      }
      if (!plan) {
        loadError ??= child.why ?? `the test process exited before listing its tests${tail ? `; its output ended with:\n${tail.slice(-2000)}` : ""}`;
        break;
      }
      if (child.running && !outcomes.has(child.running)) {
        record(planned.get(child.running), child.timedOut ? "timeout" : "crashed", child.why ?? "the test process stopped during this test", child.runningMs);
      }
      const left = plan.filter((t) => !outcomes.has(t.id));
      if (left.length === 0 || child.done) {
        for (const t of left) record(t, "not run", "mocha finished without running this test");
        break;
      }
      if (Date.now() >= deadline || outcomes.size === before) {
        const why = Date.now() >= deadline ? `the exercise ran out of time (${options.exerciseMs} ms)` : (child.why ?? "the test process stopped");
        for (const t of left) record(t, "not run", `not run: ${why}`);
        break;
      }
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  return { tests: plan ? plan.map((t) => outcomes.get(t.id)!) : [], loadError, outputTail: tail, processes };
}

interface ChildResult {
  events: ChildEvent[];
  output: string;
  done: boolean;
  /** The test that was running when the child stopped. */
  running?: string;
  runningMs: number;
  timedOut: boolean;
  why?: string;
}

function runChild(options: RunOptions, eventsFile: string, skipFile: string, deadline: number, graceMs: number): Promise<ChildResult> {
  fs.writeFileSync(eventsFile, "");
  const tsconfig = path.join(options.root, "tsconfig.json");
  const child = spawn(process.execPath, ["-r", TS_NODE, CHILD], {
    cwd: options.root,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      [ENV.events]: eventsFile,
      [ENV.files]: JSON.stringify(options.files),
      [ENV.skip]: skipFile,
      [ENV.testMs]: String(options.testMs),
      TS_NODE_TRANSPILE_ONLY: "true",
      ...(fs.existsSync(tsconfig) ? { TS_NODE_PROJECT: tsconfig } : {}),
      FORCE_COLOR: "0",
    },
  });
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString("utf8")).slice(-OUTPUT_TAIL);
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);

  let read = 0;
  const events: ChildEvent[] = [];
  let partial = "";
  const poll = () => {
    const text = fs.readFileSync(eventsFile, "utf8");
    partial += text.slice(read);
    read = text.length;
    const lines = partial.split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) if (line) events.push(JSON.parse(line) as ChildEvent);
  };
  const state = { running: undefined as string | undefined, since: Date.now(), timedOut: false, why: undefined as string | undefined };
  const track = (from: number) => {
    for (const event of events.slice(from)) {
      if (event.type === "start") {
        state.running = event.id;
        state.since = Date.now();
      } else if (event.type === "end" && event.id === state.running) {
        state.running = undefined;
      }
    }
  };

  return new Promise((resolve) => {
    const timer = setInterval(() => {
      const from = events.length;
      poll();
      track(from);
      const now = Date.now();
      if (state.running && now - state.since > options.testMs + graceMs) {
        state.timedOut = true;
        state.why = `timed out: the test ran longer than ${options.testMs} ms (an endless loop?) and its process was stopped`;
        child.kill("SIGKILL");
      } else if (now > deadline) {
        state.timedOut = true;
        state.why = `timed out: the exercise ran longer than ${options.exerciseMs} ms and its process was stopped`;
        child.kill("SIGKILL");
      }
    }, 50);
    child.on("close", (code, signal) => {
      clearInterval(timer);
      const from = events.length;
      poll();
      track(from);
      const done = events.some((e) => e.type === "done");
      if (!done && !state.why) {
        state.why = `the test process exited ${signal ? `on ${signal}` : `with code ${code}`} (did the code call process.exit()?)`;
      }
      resolve({ events, output, done, running: done ? undefined : state.running, runningMs: Date.now() - state.since, timedOut: state.timedOut, why: state.why });
    });
  });
}
