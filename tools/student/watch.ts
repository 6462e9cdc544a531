/**
 * `npm run watch`: re-runs the tests of the exercise whose files changed, on every save, and shows progress as
 * requirements passed per exercise, with the first failing requirement's message and where its hint lives.
 * A warm worker process (warmWorker.ts) waits with mocha and ts-node loaded, so a save reaches the verdict in about
 * a third of a second; `tsc --watch` keeps dist/ built alongside and its result joins the screen.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { RanTest } from "./test-run/verdict";
import { parseCommandLine } from "../core/cli/args";
import { ALL_PASS, formatNextStep, formatProgress } from "../core/report/feedback";
import type { ExerciseResult, GradeResult } from "../core/result";
import { fromRanTests } from "../core/score/adapt";
import { requirementDone, scoreOutcomes } from "../core/score/score";
import { loadGradingConfig, type GradingConfig } from "../core/config";
import { runQueue } from "./runQueue";
import { watchSaves } from "./saves";
import { WarmWorker, type StartedWorker } from "./warmWorker";

/**
 * The exercises a changed file belongs to: the one whose sources or tests contain it, or all of them for shared
 * code (anything else under src/ or test/).
 * @param file - the changed file, relative to the project root
 */
export function affectedExercises(config: GradingConfig, file: string): number[] {
  const normalized = file.split(path.sep).join("/");
  const owners = config.exercises.filter((ex) => [...ex.sources, ...ex.tests].some((p) => normalized === p || normalized.startsWith(`${p.replace(/\/$/, "")}/`)));
  if (owners.length > 0) return owners.map((ex) => ex.id);
  return /^(src|test)\//.test(normalized) && !normalized.startsWith("test/fixtures/") ? config.exercises.map((ex) => ex.id) : [];
}

/**
 * The screen watch mode shows: every exercise's progress line and bar, then what to do next — in the exercise last
 * worked on (`focus`) while it is unfinished, else in the first unfinished one.
 */
export function formatWatchScreen(result: GradeResult, build: string, focus?: number): string {
  const bar = (ex: ExerciseResult) => {
    const requirements = result.requirements.filter((r) => r.exercise === ex.id);
    return "█".repeat(requirements.filter(requirementDone).length).padEnd(requirements.length, "░");
  };
  const lines = result.exercises.map((ex) => `${formatProgress(result, ex)}  ${bar(ex)}`);
  lines.push("", formatNextStep(result, { focus }) ?? ALL_PASS);
  if (build) lines.push("", build);
  lines.push("", "Watching src/ and test/ — save a file to re-run its exercise; Ctrl-C quits.");
  return lines.join("\n");
}

/** Turns the tests one worker ran for exercises `ids` into their result (watch mode shows progress, not points). */
export function scoresOf(config: GradingConfig, root: string, ids: number[], tests: RanTest[], loadError?: string): GradeResult {
  const runs = fromRanTests(config, root, tests, { ids, loadError }).filter((run) => ids.includes(run.exercise));
  return scoreOutcomes(config, runs, { root });
}

/** The latest result of each exercise, as one result in exercise order (watch re-runs exercises one by one). */
export function latest(byExercise: Map<number, GradeResult>): GradeResult {
  const parts = [...byExercise.entries()].sort(([a], [b]) => a - b).map(([id, r]) => ({ ...r, exercises: r.exercises.filter((ex) => ex.id === id), requirements: r.requirements.filter((q) => q.exercise === id) }));
  const sum = (f: (r: GradeResult) => number) => parts.reduce((total, r) => total + f(r), 0);
  return {
    submission: ".",
    points: sum((r) => r.points),
    maxPoints: sum((r) => r.maxPoints),
    hiddenMaxPoints: sum((r) => r.hiddenMaxPoints),
    hiddenRan: parts.some((r) => r.hiddenRan),
    flags: [...new Set(parts.flatMap((r) => r.flags))].sort(),
    durationMs: 0,
    exercises: parts.flatMap((r) => r.exercises),
    requirements: parts.flatMap((r) => r.requirements),
  };
}

/**
 * Keeps `tsc --watch` running for dist/ (the notebooks import it) and reports its latest result in one line.
 * @param onChange - called with the new line after each compilation
 */
function watchBuild(root: string, onChange: (line: string) => void): ChildProcess | undefined {
  if (!fs.existsSync(path.join(root, "tsconfig.build.json"))) return undefined;
  const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc");
  const child = spawn(process.execPath, [tsc, "-p", "tsconfig.build.json", "--watch", "--preserveWatchOutput", "--pretty", "false"], { cwd: root, stdio: ["ignore", "pipe", "ignore"] });
  // The tests come first: the build gets what CPU they leave.
  try {
    if (child.pid) os.setPriority(child.pid, 10);
  } catch {
    // Not allowed here: the build competes at normal priority.
  }
  let errors: string[] = [];
  let partial = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    const lines = (partial + chunk.toString("utf8")).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) {
      if (/File change detected|Starting compilation/.test(line)) errors = [];
      else if (/error TS\d+/.test(line)) errors.push(line.trim());
      const found = /Found (\d+) errors?/.exec(line);
      if (found) {
        onChange(Number(found[1]) === 0 ? "Build: dist/ is up to date (re-run a notebook's setup cell to use it)." : `Build: ${found[1]} type error(s); the tests still run. First: ${errors[0] ?? "see npm run build"}`);
      }
    }
  });
  return child;
}

/**
 * Splits exercises into at most `groups` groups of near-equal size for the first run, one warm worker per core:
 * in snake order (1 2 2 1 1 2 …), so the long and short ends of the list share the work.
 */
export function splitForFirstRun(ids: number[], groups: number): number[][] {
  const count = Math.max(1, Math.min(groups, ids.length));
  const parts: number[][] = Array.from({ length: count }, () => []);
  ids.forEach((id, i) => {
    const round = Math.floor(i / count);
    const slot = i % count;
    parts[round % 2 === 0 ? slot : count - 1 - slot].push(id);
  });
  return parts.filter((p) => p.length > 0);
}

/**
 * Runs watch mode in the current folder.
 * @param started - the first run's workers, already loading (tools/student/watch.cjs starts them); one per core
 *   is started here when none are given
 */
async function main(started: StartedWorker[] = []): Promise<void> {
  parseCommandLine(process.argv.slice(2), {}, "no arguments (npm run watch re-runs the exercise whose files you save)");
  const root = process.cwd();
  const config = loadGradingConfig(path.join(root, "grading.json"));
  const scores = new Map<number, GradeResult>();
  let build = "";
  let focus: number | undefined;
  let status = "";
  const show = () => {
    if (process.stdout.isTTY) console.clear();
    console.log(formatWatchScreen(latest(scores), build, focus));
    if (status) console.log(status);
  };
  const allIds = config.exercises.map((ex) => ex.id);
  const killMs = Math.min(config.timeouts.exerciseMs, 30_000);
  const runIn = (worker: WarmWorker, ids: number[]) =>
    worker.run({ files: config.exercises.filter((ex) => ids.includes(ex.id)).flatMap((ex) => ex.tests.map((f) => path.join(root, f))), testMs: config.timeouts.testMs }, killMs);
  let runs = 0;
  /** Keeps each group's results and shows the screen, timed from the save (or the start) that caused the run. */
  const record = (groups: number[][], results: { tests: RanTest[]; loadError?: string }[], savedAt: number, since = "the save") => {
    groups.forEach((ids, i) => {
      const scored = scoresOf(config, root, ids, results[i].tests, results[i].loadError);
      for (const id of ids) scores.set(id, scored);
    });
    runs++;
    status = `(run ${runs}, exercise ${groups.flat().sort((a, b) => a - b).join(", ")}: ${((performance.now() - savedAt) / 1000).toFixed(2)} s from ${since} to this screen)`;
    show();
  };

  let worker: WarmWorker | undefined;
  let builder: ChildProcess | undefined;
  // The first run: every exercise, spread over one worker per core.
  // tsc --watch starts once it is over, so the tests have the CPU to themselves.
  const firstRun = async () => {
    const groups = splitForFirstRun(allIds, started.length || os.availableParallelism());
    const firstWorkers = groups.map((_, i) => (started[i] ? WarmWorker.adopt(started[i]) : WarmWorker.start(root)));
    for (const extra of started.slice(groups.length)) extra.child.kill();
    const results = await Promise.all(groups.map((ids, i) => runIn(firstWorkers[i], ids)));
    if (fs.existsSync(path.join(root, "tsconfig.build.json"))) build = "Build: compiling dist/…";
    record(groups, results, 0, "the start"); // performance.now() counts from this process's start
    worker = WarmWorker.start(root, true);
    builder = watchBuild(root, (line) => {
      build = line;
      show();
    });
  };
  const rerun = async (ids: number[], savedAt: number) => {
    try {
      const result = await runIn(worker!, ids);
      focus = ids.length === 1 ? ids[0] : focus;
      record([ids], [result], savedAt);
    } catch (error) {
      status = `(the run of exercise ${ids.join(", ")} failed: ${error instanceof Error ? error.message : String(error)}; save again to retry)`;
      show();
    } finally {
      // The next worker warms up once this run is over, so the two never compete for the CPU.
      worker = WarmWorker.start(root, true);
    }
  };

  // Saves made while a run is going wait for one next run together (tools/student/runQueue.ts).
  const first = firstRun();
  first.catch((error: unknown) => {
    console.error(`npm run watch: the first run failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  });
  const queue = runQueue(rerun, first, async () => worker?.ready);
  // chokidar watches the folders, so files replaced by a rename, added or deleted are all seen (tools/student/saves.ts).
  const saves = watchSaves({
    root,
    dirs: ["src", "test"],
    onSaves: ({ files, firstSeenAt }) => {
      const ids = [...new Set(files.flatMap((file) => affectedExercises(config, file)))].sort((a, b) => a - b);
      queue.add(ids, firstSeenAt);
    },
  });
  process.on("exit", () => {
    worker?.stop();
    builder?.kill();
    void saves.close();
  });
  process.on("SIGINT", () => process.exit(0));
  process.on("SIGTERM", () => process.exit(0));
  process.on("SIGHUP", () => process.exit(0));
}
/** Starts watch mode (what tools/student/watch.cjs calls); a setup error ends it with its message and code 2. */
export function start(started: StartedWorker[] = []): void {
  main(started).catch((error) => {
    console.error(`npm run watch: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  });
}

if (require.main === module) start();
