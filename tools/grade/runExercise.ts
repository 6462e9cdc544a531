import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { requirementOf } from "./config";
import { ENV, EVENTS_FD, MAX_MESSAGE, parseEventLine, type ChildEvent, type PlannedTest } from "./protocol";
import { DEFAULT_LIMITS, graderNodeModules, killGroup, sandboxCommand, type Sandbox } from "./sandbox";

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
  /** How many child processes it took (more than one after a crash, a timeout or a re-run in isolation). */
  processes: number;
  /** What went wrong beyond single tests: `tampered`, `timeout`, `crashed`, `memory`. */
  flags?: string[];
  /** Why `tampered` was flagged (a canary with the wrong result, a locked global replaced…). */
  tampering?: string[];
}

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
  /** An absolute time (Date.now()) after which nothing more runs, e.g. the end of a submission's time. */
  deadline?: number;
  /** The tests expected, from a trusted source (the instructor's own checkout); else the first child's list. */
  plan?: PlannedTest[];
  /** The TypeScript config the tests are compiled with; `<root>/tsconfig.json` by default. */
  tsconfig?: string;
  /** Sandbox settings; by default the permission model with reads limited to root, the grader and node_modules. */
  sandbox?: Partial<Sandbox>;
  /** Run canary tests that a tampered harness gets wrong (default true). */
  canaries?: boolean;
  /** Extra environment for the child (only these variables and a few basics reach it). */
  env?: Record<string, string>;
}

const OUTPUT_TAIL = 16 * 1024;
const CHILD = path.join(__dirname, "child.ts");
const TS_NODE = require.resolve("ts-node/register/transpile-only");
const ISOLATED_RERUNS = 8;

/**
 * Runs an exercise's test files in sandboxed child processes and collects every test's outcome. A test that hangs is
 * killed after `testMs + graceMs`, a requirement stops after `requirementMs`, a child that exits early is restarted
 * without the tests already done, a test failed by an exception thrown outside it (a stray timer) is re-run alone,
 * and the whole exercise stops after `exerciseMs`: the result always lists every expected test.
 */
export async function runExercise(options: RunOptions): Promise<ExerciseRun> {
  const graceMs = options.graceMs ?? 1000;
  const deadline = Math.min(Date.now() + options.exerciseMs, options.deadline ?? Infinity);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "grade-run-"));
  const outcomes = new Map<string, TestOutcome>();
  const flags = new Set<string>();
  const tampering: string[] = [];
  let plan = options.plan;
  const canary = options.canaries === false ? undefined : makeCanaries(options.files);
  const canaryById = new Map((canary?.tests ?? []).map((t) => [t.test.id, t]));
  const expected = () => [...(plan ?? []), ...(canary?.tests.map((t) => t.test) ?? [])];
  const byId = () => new Map(expected().map((t) => [t.id, t]));
  const used = new Map<string, number>();
  const record = (test: PlannedTest | undefined, status: TestStatus, message: string, durationMs = 0) => {
    if (test && !outcomes.has(test.id)) outcomes.set(test.id, { ...test, status, message: message.slice(0, MAX_MESSAGE + 100), durationMs });
  };
  const deferred = new Set<string>();
  let loadError: string | undefined;
  let tail = "";
  let processes = 0;
  const run = (only: string[], withCanaries: boolean) => {
    processes++;
    return runChild({ ...options, graceMs, deadline, work, used, plan, canary: withCanaries ? canary : undefined, skip: [...outcomes.keys(), ...deferred], only });
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
          record(tests.get(event.id), event.status === "passed" ? "passed" : "failed", event.message, event.durationMs);
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
      const child = await run([], true);
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
      if (Date.now() >= deadline || outcomes.size === before) {
        const why = Date.now() >= deadline ? `the exercise ran out of time (${options.exerciseMs} ms)` : (child.why ?? "the test process stopped");
        if (Date.now() >= deadline) flags.add("timeout");
        for (const t of left) record(t, "not run", `not run: ${why}`);
        break;
      }
    }
    const alone = [...deferred];
    deferred.clear();
    for (const id of alone) {
      const test = byId().get(id);
      if (Date.now() >= deadline) {
        record(test, "not run", "not run: the exercise ran out of time before this test could be re-run alone");
        continue;
      }
      const child = await run([id], false);
      collect(child, true);
      record(test, "crashed", child.why ?? "the test's re-run in isolation gave no result");
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  if (canary && plan && !loadError) tampering.push(...canary.check(outcomes));
  if (tampering.length > 0) flags.add("tampered");
  const tests = plan && !(loadError && outcomes.size === 0) ? plan.map((t) => outcomes.get(t.id) ?? { ...t, status: "not run" as const, message: "no result", durationMs: 0 }) : [];
  return { tests, loadError, outputTail: tail, processes, flags: [...flags], tampering };
}

interface Canaries {
  word: string;
  passFirst: boolean[];
  tests: { test: PlannedTest; mustPass: boolean }[];
  /** What the outcomes say about tampering: one line per canary with the wrong result. */
  check(outcomes: Map<string, TestOutcome>): string[];
}

/** Three pairs of canary tests per test file, with a secret name and a secret order of must-pass and must-fail. */
function makeCanaries(files: string[]): Canaries {
  const word = `c${randomBytes(6).toString("hex")}`;
  const passFirst = files.flatMap(() => [0, 1, 2].map(() => randomBytes(1)[0] % 2 === 0));
  const tests = files.flatMap((file, fi) =>
    [0, 1, 2].flatMap((k) =>
      ["a", "b"].map((title) => {
        const suite = `${word}-${fi}-${k}`;
        const mustPass = (title === "a") === passFirst[fi * 3 + k];
        return { test: { id: `${path.normalize(file)} :: ${suite} ${title}`, title, file: path.resolve(file) }, mustPass };
      }),
    ),
  );
  const check = (outcomes: Map<string, TestOutcome>) =>
    tests.flatMap(({ test, mustPass }) => {
      const got = outcomes.get(test.id);
      if (!got) return [];
      if (mustPass && got.status === "failed") return [`a canary test that must pass failed (${got.message.slice(0, 200)})`];
      if (!mustPass && got.status === "passed") return ["a canary test that must fail passed: the test framework or assertions were tampered with"];
      if (got.status === "not run" && /mocha finished without running/.test(got.message)) return ["a canary test was removed from the run"];
      return [];
    });
  return { word, passFirst, tests, check };
}

interface ChildResult {
  events: ChildEvent[];
  output: string;
  done: boolean;
  /** The test that was running when the child stopped. */
  running?: string;
  runningMs: number;
  timedOut: boolean;
  /** The child died of memory exhaustion. */
  memory: boolean;
  /** Requirements whose time ran out during this child. */
  exhausted: string[];
  why?: string;
}

interface ChildOptions extends RunOptions {
  graceMs: number;
  deadline: number;
  work: string;
  used: Map<string, number>;
  canary?: Canaries;
  skip: string[];
  only: string[];
}

function childSandbox(options: ChildOptions, tmp: string): Sandbox {
  const tsconfig = tsconfigFor(options);
  const given = options.sandbox ?? {};
  const read = [...(given.read ?? [options.root, __dirname, graderNodeModules()]), tsconfig];
  return {
    // ts-node looks for a package.json in every folder above a .ts file it loads; a refused read would crash it.
    read: [...read, ...read.flatMap(packageJsonsAbove)],
    write: [...(given.write ?? []), tmp],
    heapMb: given.heapMb ?? DEFAULT_LIMITS.heapMb,
    virtualMb: given.virtualMb ?? DEFAULT_LIMITS.virtualMb,
    permission: given.permission ?? true,
  };
}

/** The TypeScript config for a run: the one given, else the nearest above the root (as ts-node finds it), else the grader's. */
function tsconfigFor(options: { root: string; tsconfig?: string }): string {
  if (options.tsconfig) return options.tsconfig;
  for (let dir = path.resolve(options.root); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "tsconfig.json"))) return path.join(dir, "tsconfig.json");
    if (path.dirname(dir) === dir) return path.resolve(__dirname, "..", "..", "tsconfig.json");
  }
}

/** The package.json paths in every folder above a path (they need not exist). */
function packageJsonsAbove(file: string): string[] {
  const found: string[] = [];
  for (let dir = path.dirname(path.resolve(file)); ; dir = path.dirname(dir)) {
    found.push(path.join(dir, "package.json"));
    if (path.dirname(dir) === dir) return found;
  }
}

function runChild(options: ChildOptions): Promise<ChildResult> {
  const nonce = randomBytes(18).toString("base64url");
  const tsconfig = tsconfigFor(options);
  const tmp = fs.mkdtempSync(path.join(options.work, "tmp-"));
  const sandbox = childSandbox(options, tmp);
  const { command, args } = sandboxCommand(["-r", TS_NODE, CHILD], sandbox);
  const child = spawn(command, args, {
    cwd: options.root,
    detached: true,
    stdio: ["ignore", "pipe", "pipe", "pipe"],
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: tmp,
      TMPDIR: tmp,
      LANG: "C.UTF-8",
      FORCE_COLOR: "0",
      TS_NODE_TRANSPILE_ONLY: "true",
      TS_NODE_PROJECT: tsconfig,
      ...options.env,
      [ENV.nonce]: nonce,
      [ENV.files]: JSON.stringify(options.files),
      [ENV.skip]: JSON.stringify(options.skip),
      [ENV.only]: JSON.stringify(options.only),
      [ENV.testMs]: String(options.testMs),
      [ENV.canary]: options.canary ? JSON.stringify({ word: options.canary.word, passFirst: options.canary.passFirst }) : "",
      [ENV.mode]: "run",
    },
  });
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString("utf8")).slice(-OUTPUT_TAIL);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);

  const events: ChildEvent[] = [];
  const state = { running: undefined as string | undefined, since: Date.now(), timedOut: false, done: false, why: undefined as string | undefined, exhausted: [] as string[] };
  const titles = new Map<string, string>();
  for (const t of [...(options.plan ?? []), ...(options.canary?.tests.map((c) => c.test) ?? [])]) titles.set(t.id, t.title);
  const expectedId = (id: string) => titles.has(id);
  let partial = "";
  let received = 0;
  let lastEvent = Date.now();
  const loadMs = options.loadMs ?? 30_000;
  const onLine = (line: string) => {
    if (state.done) return;
    const event = parseEventLine(line, nonce);
    if (!event) return;
    lastEvent = Date.now();
    if (event.type === "plan") {
      if (events.some((e) => e.type === "plan")) return;
      if (!options.plan) for (const t of event.tests) titles.set(t.id, t.title);
    } else if (event.type === "start") {
      if (!expectedId(event.id)) return;
      state.running = event.id;
      state.since = Date.now();
    } else if (event.type === "end") {
      if (event.id !== state.running) return;
      const requirement = requirementOf(titles.get(event.id) ?? "");
      if (requirement) options.used.set(requirement, (options.used.get(requirement) ?? 0) + (Date.now() - state.since));
      state.running = undefined;
    } else if (event.type === "hook-failed") {
      state.running = undefined;
    } else if (event.type === "done") {
      state.done = true;
      killGroup(child.pid);
    }
    events.push(event);
  };
  const events3 = child.stdio[EVENTS_FD] as NodeJS.ReadableStream;
  events3.on("data", (chunk: Buffer) => {
    received += chunk.length;
    if (received > 64 * 1024 * 1024) return;
    partial += chunk.toString("utf8");
    const lines = partial.split("\n");
    partial = lines.pop() ?? "";
    if (partial.length > 1024 * 1024) partial = "";
    for (const line of lines) onLine(line);
  });

  const limitFor = (id: string) => {
    const requirement = requirementOf(titles.get(id) ?? "");
    const test = options.testMs + options.graceMs;
    if (!requirement || !options.requirementMs) return { ms: test, requirement };
    return { ms: Math.min(test, options.requirementMs - (options.used.get(requirement) ?? 0)), requirement };
  };

  return new Promise((resolve) => {
    let finished = false;
    const stop = (why: string) => {
      if (state.why) return;
      state.timedOut = true;
      state.why = why;
      killGroup(child.pid);
    };
    let lastTick = Date.now();
    let shift = 0;
    const timer = setInterval(() => {
      const now = Date.now();
      // When this process itself was stalled (a busy event loop, e.g. tests compiling in the same process), the
      // stall is not the child's time: move its clocks on and judge again at the next tick, after its events.
      const stall = now - lastTick - 50;
      lastTick = now;
      if (stall > 500) {
        state.since += stall;
        lastEvent += stall;
        shift += stall;
        return;
      }
      if (state.running) {
        const limit = limitFor(state.running);
        if (now - state.since > limit.ms) {
          if (limit.requirement && limit.ms < options.testMs + options.graceMs) {
            state.exhausted.push(limit.requirement);
            stop(`timed out: ${limit.requirement}'s tests together ran longer than ${options.requirementMs} ms and the process was stopped`);
          } else {
            stop(`timed out: the test ran longer than ${options.testMs} ms (an endless loop?) and its process was stopped`);
          }
        }
      }
      if (now > options.deadline + shift) stop(`timed out: the exercise ran longer than its time limit and its process was stopped`);
      // Loading (before the list of tests) and the time between tests (hooks, mocha itself) have limits too.
      if (!state.running && !state.done) {
        const listed = events.some((e) => e.type === "plan");
        const quiet = now - lastEvent;
        if (!listed && quiet > loadMs) stop(`timed out: loading the tests took longer than ${loadMs} ms and the process was stopped`);
        else if (listed && quiet > options.testMs * 2 + options.graceMs) stop(`timed out: the test process stopped responding between tests and was stopped`);
      }
    }, 50);
    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      if (finished) return;
      finished = true;
      clearInterval(timer);
      if (state.running && !state.done) {
        // A test that was killed or crashed used its requirement's time too.
        const requirement = requirementOf(titles.get(state.running) ?? "");
        if (requirement) options.used.set(requirement, (options.used.get(requirement) ?? 0) + (Date.now() - state.since));
      }
      // Nothing of the child's group may outlive it, and a grandchild holding our pipes must not keep us waiting.
      killGroup(child.pid);
      for (const stream of [child.stdout, child.stderr, events3]) (stream as { destroy?: () => void } | null)?.destroy?.();
      fs.rmSync(tmp, { recursive: true, force: true });
      const memory = /heap out of memory|Allocation failed|out of memory/i.test(output) || (!state.done && !state.timedOut && signal === "SIGABRT");
      if (!state.done && !state.why) {
        state.why = memory
          ? "the test process ran out of memory and was stopped"
          : `the test process exited ${signal ? `on ${signal}` : `with code ${code}`} (did the code call process.exit()?)`;
      }
      resolve({ events, output, done: state.done, running: state.done ? undefined : state.running, runningMs: Date.now() - state.since, timedOut: state.timedOut, memory, exhausted: state.exhausted, why: state.why });
    };
    child.on("exit", (code, signal) => {
      // Let the pipes deliver what the child wrote before it exited, but never wait on them for long.
      const settle = setTimeout(() => finish(code, signal), 300);
      child.on("close", () => {
        clearTimeout(settle);
        finish(code, signal);
      });
    });
    child.on("error", (error) => {
      state.why = `the test process could not start: ${error.message}`;
      finish(null, null);
    });
  });
}

/**
 * Lists an exercise's tests from trusted code (the instructor's own checkout): loads the test files with mocha and
 * reports their IDs without running them. This list, not a submission's child, decides what is expected.
 */
export async function listTests(options: { root: string; files: string[]; tsconfig?: string }): Promise<{ tests: PlannedTest[]; error?: string }> {
  const nonce = randomBytes(18).toString("base64url");
  const tsconfig = tsconfigFor(options);
  const child = spawn(process.execPath, ["-r", TS_NODE, CHILD], {
    cwd: options.root,
    stdio: ["ignore", "ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      NODE_OPTIONS: "",
      TS_NODE_TRANSPILE_ONLY: "true",
      TS_NODE_PROJECT: tsconfig,
      [ENV.nonce]: nonce,
      [ENV.files]: JSON.stringify(options.files),
      [ENV.mode]: "list",
    },
  });
  let text = "";
  let stderr = "";
  (child.stdio[EVENTS_FD] as NodeJS.ReadableStream).on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
  child.stderr!.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString("utf8")).slice(-4000)));
  await new Promise((resolve) => child.on("close", resolve));
  for (const line of text.split("\n")) {
    const event = parseEventLine(line, nonce);
    if (event?.type === "plan") return { tests: event.tests };
    if (event?.type === "load-error") return { tests: [], error: event.message };
  }
  return { tests: [], error: `listing the tests failed: ${stderr.slice(-2000)}` };
}
