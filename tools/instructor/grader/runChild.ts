import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { RUN_DIR } from "../../core/run/driver";
import { CONFINE_DIR } from "./confine";
import type { Canaries } from "./canaries";
import { requirementOf } from "../../core/config";
import { ENV, EVENTS_FD, parseEventLine, type ChildEvent } from "./protocol";
import type { RunOptions } from "./runExercise";
import { killGroup } from "../../core/run/killGroup";
import { DEFAULT_LIMITS, graderNodeModules, sandboxCommand, type Sandbox } from "./sandbox";
import { monotonicMs, timers } from "../../core/clock";

/** At most this much of the grading process's own stalls is forgiven per test process (then they count). */
const MAX_STALL_SHIFT = 30_000;

/** The output kept from a test process (its tail). */
export const OUTPUT_TAIL = 16 * 1024;
/** The grading child, run with ts-node. */
export const CHILD = path.join(__dirname, "child.ts");
export const TS_NODE = require.resolve("ts-node/register/transpile-only");
/** Loads `.ts` files from a table of transpiled JavaScript, in place of ts-node (instructor mode). */
export const LOADER = path.join(__dirname, "childLoader.js");

/** What one test process reported and how it ended. */
export interface ChildResult {
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

/** One test process: the exercise's options plus what this process skips, runs alone and may use. */
export interface ChildOptions extends RunOptions {
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
  const read = [...(given.read ?? [options.root, __dirname, graderNodeModules()]), RUN_DIR, CONFINE_DIR, tsconfig];
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
export function tsconfigFor(options: { root: string; tsconfig?: string }): string {
  if (options.tsconfig) return options.tsconfig;
  for (let dir = path.resolve(options.root); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "tsconfig.json"))) return path.join(dir, "tsconfig.json");
    if (path.dirname(dir) === dir) return path.resolve(__dirname, "..", "..", "..", "tsconfig.json");
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

/**
 * Runs one sandboxed test process and follows its events: a test past its limit, a requirement past its budget, a
 * load or a pause between tests past theirs, or the exercise's deadline stops the whole process group.
 */
export function runChild(options: ChildOptions): Promise<ChildResult> {
  const nonce = randomBytes(18).toString("base64url");
  const tsconfig = tsconfigFor(options);
  const tmp = fs.mkdtempSync(path.join(options.work, "tmp-"));
  const sandbox = childSandbox(options, tmp);
  const loader = options.transpiled ? ["--enable-source-maps", "-r", LOADER] : ["-r", TS_NODE];
  const { command, args } = sandboxCommand([...loader, CHILD], sandbox);
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
      ...(options.transpiled ? { GRADER_TRANSPILED: options.transpiled } : { TS_NODE_TRANSPILE_ONLY: "true", TS_NODE_PROJECT: tsconfig }),
      ...options.env,
      // The instructor may grade without the SES compartment to compare (GRADE_CONFINE=0 npm run grade -- --submission …).
      ...(process.env[ENV.confine] === "0" ? { [ENV.confine]: "0" } : {}),
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
  const state = { running: undefined as string | undefined, since: monotonicMs(), timedOut: false, done: false, why: undefined as string | undefined, exhausted: [] as string[] };
  const titles = new Map<string, string>();
  for (const t of [...(options.plan ?? []), ...(options.canary?.tests.map((c) => c.test) ?? [])]) titles.set(t.id, t.title);
  const expectedId = (id: string) => titles.has(id);
  let partial = "";
  let received = 0;
  let lastEvent = monotonicMs();
  const loadMs = options.loadMs ?? 30_000;
  const onLine = (line: string) => {
    if (state.done) return;
    const event = parseEventLine(line, nonce);
    if (!event) return;
    lastEvent = monotonicMs();
    if (event.type === "plan") {
      if (events.some((e) => e.type === "plan")) return;
      if (!options.plan) for (const t of event.tests) titles.set(t.id, t.title);
    } else if (event.type === "start") {
      if (!expectedId(event.id)) return;
      state.running = event.id;
      state.since = monotonicMs();
    } else if (event.type === "end") {
      if (event.id !== state.running) return;
      const requirement = requirementOf(titles.get(event.id) ?? "");
      if (requirement) options.used.set(requirement, (options.used.get(requirement) ?? 0) + (monotonicMs() - state.since));
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
    let lastTick = monotonicMs();
    let shift = 0;
    const timer = timers.setInterval(() => {
      const now = monotonicMs();
      // When this process itself was stalled (a busy event loop, e.g. tests compiling in the same process), the
      // stall is not the child's time: move its clocks on and judge again at the next tick, after its events.
      const stall = now - lastTick - 50;
      lastTick = now;
      if (stall > 500 && shift < MAX_STALL_SHIFT) {
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
      timers.clearInterval(timer);
      if (state.running && !state.done) {
        // A test that was killed or crashed used its requirement's time too.
        const requirement = requirementOf(titles.get(state.running) ?? "");
        if (requirement) options.used.set(requirement, (options.used.get(requirement) ?? 0) + (monotonicMs() - state.since));
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
      resolve({ events, output, done: state.done, running: state.done ? undefined : state.running, runningMs: monotonicMs() - state.since, timedOut: state.timedOut, memory, exhausted: state.exhausted, why: state.why });
    };
    child.on("exit", (code, signal) => {
      // Let the pipes deliver what the child wrote before it exited, but never wait on them for long.
      const settle = timers.setTimeout(() => finish(code, signal), 300);
      child.on("close", () => {
        timers.clearTimeout(settle);
        finish(code, signal);
      });
    });
    child.on("error", (error) => {
      state.why = `the test process could not start: ${error.message}`;
      finish(null, null);
    });
  });
}
