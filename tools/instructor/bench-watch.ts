/**
 * Measures `npm run watch` as a student meets it: the time from typing it to the first screen with verdicts, and
 * from a save to the screen with that exercise's new verdict, over several saves (every other one a replace by
 * rename, as `mv`, `git checkout` and atomic-saving editors do). It also reads the CPU time the watcher and its
 * children used per save from /proc, which stays meaningful when other work shares the machine.
 *
 *   node -r ts-node/register/transpile-only tools/instructor/bench-watch.ts [--dir DIR] [--saves 12] [--starts 5] [--cold]
 *     [--pause-ms 1500]
 *
 * The first screen is timed over `--starts` starts (median), with `--cold` after emptying the transpile cache
 * (node_modules/.cache/lecture34) before each, as on the first start after `npm install`. DIR (the project root
 * by default) may be a fresh release with its own node_modules. The saved file gets a
 * trailing comment per save and is put back at the end. A save whose screen does not come within 60 s counts as
 * missed (generous: on a shared machine the load can be high). Before each save it waits until the next worker is
 * warm and idle, as it is after a few seconds of typing.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";

const SAVED_FILE = "src/ex2-descriptors/OneOf.ts";
const MISSED_AFTER_MS = 60_000;
const FIRST_SCREEN_MS = 180_000;
const TICKS_PER_SECOND = 100;

/** CPU seconds (user + system) a process used, with those of its children it has waited for; 0 once it is gone. */
function cpuSeconds(pid: number | undefined): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** The pids of a process's living children. */
function childrenOf(pid: number): number[] {
  try {
    return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Whether a process's command line contains `text`. */
function runs(pid: number, text: string): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(text);
  } catch {
    return false;
  }
}

/** The watcher itself: the deepest process under npm whose command line names tools/student/watch.cjs (npm's shell names it too). */
function watcherUnder(pid: number): number | undefined {
  for (const child of childrenOf(pid)) {
    const found = watcherUnder(child);
    if (found !== undefined) return found;
  }
  return runs(pid, "tools/student/watch.") ? pid : undefined;
}

/** The waiting test worker among the watcher's children (its command line names worker.ts). */
function workerOf(pid: number): number | undefined {
  return childrenOf(pid).find((child) => runs(child, "worker.ts"));
}

/**
 * Waits until the watcher's next worker is up and idle (its CPU time still for 0.5 s): warm, as after a student's
 * typing. The watcher is looked up under npm's process each time.
 * @returns the watcher's pid
 */
async function workerIdle(npm: number): Promise<number> {
  let last = -1;
  let still = 0;
  let watcher: number | undefined;
  for (let waited = 0; waited < 60_000 && still < 5; waited += 100) {
    watcher = watcherUnder(npm);
    const worker = watcher === undefined ? undefined : workerOf(watcher);
    const cpu = cpuSeconds(worker);
    still = worker !== undefined && cpu === last ? still + 1 : 0;
    last = cpu;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (watcher === undefined) throw new Error("expected a process running tools/student/watch.cjs under npm run watch, found none");
  return watcher;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : (sorted[(sorted.length - 1) >> 1] + sorted[sorted.length >> 1]) / 2;
};

/** A running `npm run watch` and the screens it has shown. */
interface Watch {
  pid: number;
  /** Resolves with the time the screen of run `run` appeared, or undefined after `withinMs`. */
  screen(run: number, withinMs?: number): Promise<number | undefined>;
  output(): string;
  stop(): void;
}

/** Starts `npm run watch` as the student types it, in its own process group so that it stops with its children. */
function startWatch(dir: string): Watch {
  const watch = spawn("npm", ["run", "--silent", "watch"], { cwd: dir, stdio: ["ignore", "pipe", "inherit"], detached: true });
  let output = "";
  const waiters: { run: number; resolve: (at: number) => void }[] = [];
  watch.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
    for (const w of [...waiters]) {
      if (output.includes(`(run ${w.run}, `)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(performance.now());
      }
    }
  });
  return {
    pid: watch.pid!,
    screen: (run, withinMs = MISSED_AFTER_MS) =>
      Promise.race([new Promise<number>((resolve) => waiters.push({ run, resolve })), new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), withinMs))]),
    output: () => output,
    stop: () => {
      try {
        process.kill(-watch.pid!, "SIGTERM");
      } catch {
        // already gone
      }
    },
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { dir: { type: "string" }, saves: { type: "string", default: "12" }, starts: { type: "string", default: "5" }, cold: { type: "boolean", default: false }, "pause-ms": { type: "string", default: "1500" } },
  });
  const dir = path.resolve(values.dir ?? path.join(__dirname, "..", ".."));
  const saves = Number(values.saves);
  const starts = Math.max(1, Number(values.starts));
  const pauseMs = Number(values["pause-ms"]);
  const file = path.join(dir, SAVED_FILE);
  const original = fs.readFileSync(file, "utf8");
  const pause = (ms = pauseMs) => new Promise((resolve) => setTimeout(resolve, ms));
  const load = () => os.loadavg().map((l) => l.toFixed(2)).join(" ");
  const loadBefore = load();
  // First screens: `starts` starts, each stopped once its first screen is up (with --cold, after emptying the
  // transpile cache, as on the very first start after npm install); the last one stays for the saves.
  const firstScreens: number[] = [];
  let watch: Watch | undefined;
  for (let i = 1; i <= starts; i++) {
    if (values.cold) fs.rmSync(path.join(dir, "node_modules", ".cache", "lecture34"), { recursive: true, force: true });
    const started = performance.now();
    watch = startWatch(dir);
    const first = await watch.screen(1, FIRST_SCREEN_MS);
    if (first === undefined) {
      watch.stop();
      throw new Error(`expected a first screen within ${FIRST_SCREEN_MS / 1000} s, got:\n${watch.output()}`);
    }
    firstScreens.push((first - started) / 1000);
    if (i < starts) {
      watch.stop();
      await pause(2000);
    }
  }
  try {
    const latencies: number[] = [];
    const cpu: number[] = [];
    const runCpu: number[] = [];
    let missed = 0;
    for (let i = 1; i <= saves; i++) {
      await pause();
      const watcher = await workerIdle(watch!.pid);
      const tree = [watcher, ...childrenOf(watcher)];
      const cpuBefore = tree.reduce((s, pid) => s + cpuSeconds(pid), 0);
      const text = `${original}// bench save ${i}\n`;
      // The run's own CPU: the waiting worker's, sampled until it exits after sending its results.
      const worker = workerOf(watcher);
      const workerBefore = cpuSeconds(worker);
      let workerLast = workerBefore;
      const sampler = setInterval(() => (workerLast = Math.max(workerLast, cpuSeconds(worker))), 10);
      const savedAt = performance.now();
      if (i % 2 === 0) {
        fs.writeFileSync(`${file}.bench-tmp`, text);
        fs.renameSync(`${file}.bench-tmp`, file);
      } else {
        fs.writeFileSync(file, text);
      }
      const shown = await watch!.screen(i + 1);
      clearInterval(sampler);
      if (worker !== undefined) runCpu.push(workerLast - workerBefore);
      if (shown === undefined) {
        missed++;
        continue;
      }
      latencies.push((shown - savedAt) / 1000);
      await pause();
      cpu.push(tree.reduce((s, pid) => s + cpuSeconds(pid), 0) - cpuBefore);
    }
    console.log(`Node ${process.version}, ${os.cpus().length} cores, load average ${loadBefore} before, ${load()} after`);
    console.log(`first screen (npm run watch${values.cold ? ", transpile cache emptied before each start" : ""}, ${starts} starts): median ${median(firstScreens).toFixed(2)} s, min ${Math.min(...firstScreens).toFixed(2)} s, max ${Math.max(...firstScreens).toFixed(2)} s`);
    console.log(`save -> verdict (exercise 2, ${latencies.length} of ${saves} saves seen, ${missed} missed): median ${median(latencies).toFixed(2)} s, min ${Math.min(...latencies).toFixed(2)} s, max ${Math.max(...latencies).toFixed(2)} s`);
    console.log(`CPU per save, user+sys: the run itself (the warm worker, from the save to its results) median ${median(runCpu).toFixed(2)} s; everything (watch, the run, the next worker's warm-up, tsc --watch) median ${median(cpu).toFixed(2)} s`);
    process.exitCode = missed > 0 ? 1 : 0;
  } finally {
    watch!.stop();
    fs.writeFileSync(file, original);
  }
}

main().catch((error: unknown) => {
  console.error(`bench-watch: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
