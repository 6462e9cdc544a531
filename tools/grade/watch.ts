/**
 * `npm run watch`: re-runs the tests of the exercise whose files changed, on every save, and shows progress as
 * requirements passed per exercise, with the first failing requirement's message and where its hint lives.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { loadGradingConfig, type GradingConfig } from "./config";
import { grade } from "./grade";
import { formatNextStep, formatProgress } from "./report";
import { requirementsDone, type ExerciseScore } from "./score";

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
 * The screen watch mode shows: every exercise's progress, then what to do next — in the exercise last worked on
 * (`focus`) while it is unfinished, else in the first unfinished one.
 */
export function formatWatchScreen(scores: ExerciseScore[], build: string, focus?: number): string {
  const lines = scores.map((s) => `${formatProgress(s)}  ${"█".repeat(requirementsDone(s)).padEnd(s.requirements.length, "░")}`);
  const focused = scores.find((s) => s.id === focus);
  const next = (focused && formatNextStep(focused)) ?? scores.map(formatNextStep).find((n) => n !== undefined);
  lines.push("", next ?? "All requirements pass. Run `npm run grade` for the full report.");
  if (build) lines.push("", build);
  lines.push("", "Watching src/ and test/ — save a file to re-run its exercise; Ctrl-C quits.");
  return lines.join("\n");
}

function buildLibrary(root: string): string {
  const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc");
  const result = spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json", "--pretty", "false"], { cwd: root, encoding: "utf8" });
  if (result.status === 0) return "Build: dist/ is up to date (re-run a notebook's setup cell to use it).";
  const errors = `${result.stdout}${result.stderr}`.split("\n").filter((l) => /error TS\d+/.test(l));
  return `Build: ${errors.length} type error(s); the tests still run. First: ${errors[0] ?? "see npm run build"}`;
}

async function main(): Promise<void> {
  const root = process.cwd();
  const config = loadGradingConfig(path.join(root, "grading.json"));
  const scores = new Map<number, ExerciseScore>();
  let build = "";
  let focus: number | undefined;
  const show = () => {
    if (process.stdout.isTTY) console.clear();
    console.log(formatWatchScreen([...scores.values()].sort((a, b) => a.id - b.id), build, focus));
  };
  const rerun = async (ids: number[]) => {
    if (process.stdout.isTTY) console.clear();
    console.log(`Running exercise ${ids.join(", ")}…`);
    build = buildLibrary(root);
    const report = await grade({ root, config, exercises: ids });
    for (const ex of report.exercises) scores.set(ex.id, ex);
    focus = ids.length === 1 ? ids[0] : focus;
    show();
  };

  await rerun(config.exercises.map((ex) => ex.id));
  let pending = new Set<number>();
  let timer: NodeJS.Timeout | undefined;
  let running = Promise.resolve();
  for (const dir of ["src", "test"]) {
    fs.watch(path.join(root, dir), { recursive: true }, (_event, name) => {
      if (!name) return;
      for (const id of affectedExercises(config, path.join(dir, name.toString()))) pending.add(id);
      clearTimeout(timer);
      timer = setTimeout(() => {
        const ids = [...pending].sort();
        pending = new Set();
        if (ids.length > 0) running = running.then(() => rerun(ids));
      }, 250);
    });
  }
}

if (require.main === module) {
  main().catch((error) => {
    console.error(`npm run watch: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  });
}
