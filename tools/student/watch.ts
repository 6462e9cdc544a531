/**
 * `npm run watch`: re-runs the tests of the exercise whose files changed, on every save, and shows progress as
 * requirements passed per exercise, with the first failing requirement's message and where its hint lives.
 * A warm worker process (tools/student/test-run/worker.ts) waits with mocha and ts-node loaded, so a save reaches the
 * verdict in about a second; `tsc --watch` keeps dist/ built alongside and its result joins the screen.
 */
import { fork, spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { WorkerMessage, WorkerRequest } from "./test-run/worker";
import type { RanTest } from "./test-run/verdict";
import { parseCommandLine } from "../core/cli/args";
import { ALL_PASS, formatNextStep, formatProgress } from "../core/report/feedback";
import type { ExerciseResult, GradeResult } from "../core/result";
import { fromRanTests } from "../core/score/adapt";
import { requirementDone, scoreOutcomes } from "../core/score/score";
import { loadGradingConfig, type GradingConfig } from "../core/config";
import { watchSaves } from "./saves";

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

/** A warm worker (tools/student/test-run/worker.ts) that has loaded ts-node and the test libraries and waits for files. */
class WarmWorker {
  private readonly child: ChildProcess;
  private readonly ready: Promise<void>;

  /** @param warmFiles - the files and folders to transpile ahead of a run (what every exercise's tests load) */
  constructor(root: string, warmFiles: string[] = []) {
    const worker = path.join(__dirname, "test-run", "worker.ts");
    const tsconfig = path.join(root, "tsconfig.json");
    this.child = fork(worker, [], {
      cwd: root,
      // warmTranspile.cjs transpiles the exercises' files while the student types: a save then re-transpiles one file.
      execArgv: ["-r", require.resolve("ts-node/register/transpile-only"), "-r", path.join(__dirname, "warmTranspile.cjs")],
      env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "true", ...(fs.existsSync(tsconfig) ? { TS_NODE_PROJECT: tsconfig } : {}), FORCE_COLOR: "0", WATCH_WARM_FILES: warmFiles.join(path.delimiter) },
      stdio: ["ignore", "ignore", "ignore", "ipc"],
    });
    this.ready = new Promise((resolve) => {
      this.child.once("message", () => resolve());
      this.child.once("exit", () => resolve());
    });
    this.child.on("error", () => {});
  }

  /** Runs the files and resolves with every test's outcome; a run that takes longer than `killMs` is stopped. */
  async run(request: WorkerRequest, killMs: number): Promise<{ tests: RanTest[]; loadError?: string }> {
    await this.ready;
    if (!this.child.connected) return { tests: [], loadError: "the test process could not start (run npm test to see why)" };
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.child.kill("SIGKILL");
        resolve({ tests: [], loadError: `the tests ran longer than ${killMs / 1000} s (an endless loop?) and were stopped` });
      }, killMs);
      this.child.on("message", (message: WorkerMessage) => {
        if (message.type !== "done") return;
        clearTimeout(timer);
        resolve({ tests: message.tests, loadError: message.loadError });
      });
      this.child.on("exit", (code, signal) => {
        clearTimeout(timer);
        resolve({ tests: [], loadError: `the test process exited ${signal ? `on ${signal}` : `with code ${code}`} (did the code call process.exit()?)` });
      });
      this.child.send(request);
    });
  }

  stop(): void {
    this.child.kill();
  }
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

async function main(): Promise<void> {
  parseCommandLine(process.argv.slice(2), {}, "no arguments (npm run watch re-runs the exercise whose files you save)");
  const root = process.cwd();
  const config = loadGradingConfig(path.join(root, "grading.json"));
  const scores = new Map<number, GradeResult>();
  let build = "Build: compiling dist/…";
  let focus: number | undefined;
  let status = "";
  const show = () => {
    if (process.stdout.isTTY) console.clear();
    console.log(formatWatchScreen(latest(scores), build, focus));
    if (status) console.log(status);
  };
  const builder = watchBuild(root, (line) => {
    build = line;
    show();
  });
  // What the exercises' tests load: their files, their sources, the shared code and the test helpers.
  const testFiles = [...config.exercises.flatMap((ex) => [...ex.tests, ...ex.sources]), "src/shared", "test/helpers"].map((f) => path.join(root, f));
  let worker = new WarmWorker(root, testFiles);
  const killMs = Math.min(config.timeouts.exerciseMs, 30_000);
  let runs = 0;
  const rerun = async (ids: number[], savedAt: number) => {
    const files = config.exercises.filter((ex) => ids.includes(ex.id)).flatMap((ex) => ex.tests.map((f) => path.join(root, f)));
    const result = await worker.run({ files, testMs: config.timeouts.testMs }, killMs);
    // The next worker warms up once this run is over, so the two never compete for the CPU.
    worker = new WarmWorker(root, testFiles);
    const scored = scoresOf(config, root, ids, result.tests, result.loadError);
    for (const id of ids) scores.set(id, scored);
    focus = ids.length === 1 ? ids[0] : focus;
    runs++;
    status = `(run ${runs}, exercise ${ids.join(", ")}: ${((performance.now() - savedAt) / 1000).toFixed(2)} s from the save to this screen)`;
    show();
  };

  let running = rerun(config.exercises.map((ex) => ex.id), performance.now());
  // chokidar watches the folders, so files replaced by a rename, added or deleted are all seen (tools/student/saves.ts).
  const saves = watchSaves({
    root,
    dirs: ["src", "test"],
    onSaves: ({ files, firstSeenAt }) => {
      const ids = [...new Set(files.flatMap((file) => affectedExercises(config, file)))].sort((a, b) => a - b);
      if (ids.length > 0) running = running.then(() => rerun(ids, firstSeenAt));
    },
  });
  process.on("exit", () => {
    worker.stop();
    builder?.kill();
    void saves.close();
  });
  process.on("SIGINT", () => process.exit(0));
  process.on("SIGTERM", () => process.exit(0));
  process.on("SIGHUP", () => process.exit(0));
}
if (require.main === module) {
  main().catch((error) => {
    console.error(`npm run watch: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  });
}
