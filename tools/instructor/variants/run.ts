/**
 * `npm run variants`: the wrong-variant campaign (issue 22). Builds the natural solution (a student's, written from
 * the docs), checks it passes every visible and hidden test, then applies each plausible bug in variants.json to it
 * and runs the bug's exercise: the visible tests, then the hidden tests. Prints one line per variant, CAUGHT with the
 * failing test (its title names the requirement), MISSED, WRONG (only other requirements' tests fail) or HARDCODED
 * (a hard-coded answer that passes the visible tests and loses hidden points), and exits 1 unless every variant is
 * as it should be.
 *
 *   npm run variants                   every variant, as many at once as cores
 *   npm run variants -- --only R1.2    the variants of one requirement (or one variant id; repeatable)
 *   npm run variants -- --keep         keeps the copies (their folder is printed) for diagnosis
 *   npm run variants -- --test-ms N    mocha's timeout per test (default 3 × grading.json's testMs)
 *   npm run variants -- --export DIR [--only ID]
 *                                      writes DIR/src: the natural solution, with that one variant applied, as a
 *                                      submission for `npm run grade -- --submission DIR`
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { exerciseOfRequirement, loadGradingConfig, type ExerciseConfig } from "../../core/config";
import { runCopy, type MochaRun } from "../teeth/perRequirement";
import { Transpiler, writeCopy } from "../teeth/perRequirement";
import { pool } from "../../core/run/pool";
import { judge, quote, type VariantVerdict } from "./judge";
import { naturalSources } from "./natural";
import { applyVariant, loadVariants, type Variant } from "./variant";

const root = path.join(__dirname, "..", "..", "..");
const KILL_MS = 120_000;
const js = (file: string) => file.replace(/\.ts$/, ".js");

/** Runs the visible and the hidden test files of an exercise in a copy. */
async function runBoth(dir: string, exercise: ExerciseConfig, testMs: number): Promise<[MochaRun, MochaRun]> {
  const hidden = exercise.hiddenTests ?? [];
  const visibleRun = await runCopy(dir, exercise.tests.map(js), testMs, KILL_MS);
  const hiddenRun = hidden.length ? await runCopy(dir, hidden.map(js), testMs, KILL_MS) : { tests: [], durationMs: 0 };
  return [visibleRun, hiddenRun];
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { only: { type: "string", multiple: true }, keep: { type: "boolean" }, jobs: { type: "string" }, export: { type: "string" }, "test-ms": { type: "string" } } });
  if (values.export) return exportSubmission(values.export, values.only ?? []);
  const started = Date.now();
  const config = loadGradingConfig(path.join(root, "grading.json"));
  const only = values.only ?? [];
  const variants = loadVariants().filter((v) => only.length === 0 || only.includes(v.id) || only.includes(v.requirement));
  const natural = naturalSources(root);
  const tests = new Map<string, string>();
  const readTests = (dir: string): void => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = path.posix.join(dir, entry.name);
      if (entry.isDirectory() && rel !== "test/fixtures") readTests(rel);
      else if (entry.isFile()) tests.set(rel, fs.readFileSync(path.join(root, rel), "utf8"));
    }
  };
  readTests("test");
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "variants-"));
  const transpiler = new Transpiler(root);
  const jobs = Number(values.jobs ?? os.cpus().length);
  // Three times grading.json's limit by default: a test that loads a compiler on a loaded machine must not make the
  // natural solution fail (a bug that hangs is still caught, a little later).
  const testMs = Number(values["test-ms"] ?? 3 * config.timeouts.testMs);
  try {
    // The natural solution must pass everything: a test it fails would reject a correct student.
    const naturalDir = path.join(work, "natural");
    writeCopy(root, naturalDir, () => true, natural, tests, transpiler);
    const baseline = await pool(config.exercises.length, jobs, (i) => runBoth(naturalDir, config.exercises[i], testMs));
    const rejected = baseline.flatMap(([v, h]) => [v, h]).flatMap((run) => (run.error ? [`did not run: ${run.error}`] : run.tests.filter((t) => t.state === "failed").map(quote)));
    if (rejected.length > 0) {
      console.log(`The natural solution fails ${rejected.length} test(s); fix the tests or the natural solution first:`);
      for (const line of rejected) console.log(`  - ${line}`);
      return 1;
    }
    const total = baseline.flatMap(([v, h]) => [...v.tests, ...h.tests]).length;
    console.log(`Natural solution: passes all ${total} visible and hidden tests.\n`);
    const verdicts = await pool(variants.length, jobs, async (i) => {
      const variant = variants[i];
      const exercise = exerciseOfRequirement(config, variant.requirement);
      if (!exercise) throw new Error(`${variant.id}: ${variant.requirement} is in no exercise of grading.json`);
      const dir = path.join(work, variant.id);
      writeCopy(root, dir, () => true, applyVariant(natural, variant), tests, transpiler);
      const verdict = judge(variant, ...(await runBoth(dir, exercise, testMs)));
      console.log(formatVerdict(verdict));
      if (!values.keep) fs.rmSync(dir, { recursive: true, force: true });
      return verdict;
    });
    console.log(`\n${summarize(verdicts, variants)}\nin ${((Date.now() - started) / 1000).toFixed(1)} s, ${jobs} at once.`);
    return verdicts.every((v) => v.ok) ? 0 : 1;
  } finally {
    if (values.keep) console.log(`(copies kept in ${work})`);
    else fs.rmSync(work, { recursive: true, force: true });
  }
}

/** Writes the natural solution's src/ (with at most one variant applied) into `dir`, as a student submission. */
function exportSubmission(dir: string, only: string[]): number {
  const chosen = loadVariants().filter((v) => only.includes(v.id));
  if (chosen.length !== only.length || chosen.length > 1) {
    console.error(`variants: --export takes at most one variant id with --only, got ${JSON.stringify(only)}`);
    return 2;
  }
  const sources = chosen.length ? applyVariant(naturalSources(root), chosen[0]) : naturalSources(root);
  for (const [file, text] of sources) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  console.log(`Wrote ${sources.size} files to ${path.join(dir, "src")}: the natural solution${chosen.length ? ` with ${chosen[0].id} (${chosen[0].bug})` : ""}.`);
  return 0;
}

/** One line per variant. */
export function formatVerdict(v: VariantVerdict): string {
  const seen = `${v.visibleFailures.length ? "✘" : "✔"}visible ${v.hiddenFailures.length ? "✘" : "✔"}hidden`;
  return `${v.status.padEnd(9)} ${v.variant.requirement.padEnd(5)} ${v.variant.kind.padEnd(9)} ${v.variant.id.padEnd(30)} ${seen}  ${v.detail}`;
}

/** Counts: caught in all, caught by the visible tests alone, and what is wrong. */
export function summarize(verdicts: VariantVerdict[], variants: Variant[]): string {
  const bugs = verdicts.filter((v) => v.variant.kind !== "hardcoded");
  const caught = bugs.filter((v) => v.status === "CAUGHT");
  const byVisible = caught.filter((v) => v.visibleFailures.some((t) => t.title.startsWith(`${v.variant.requirement} `)));
  const hard = verdicts.filter((v) => v.variant.kind === "hardcoded");
  const bad = verdicts.filter((v) => !v.ok);
  return [
    `Variants: ${variants.length} (${bugs.length} bugs, ${hard.length} hard-coded answers).`,
    `Caught: ${caught.length}/${bugs.length} bugs (${byVisible.length} by the visible tests alone, ${caught.length - byVisible.length} only by hidden tests).`,
    `Hard-coded answers that lose hidden points: ${hard.filter((v) => v.ok).length}/${hard.length}.`,
    bad.length ? `Not as they should be: ${bad.map((v) => `${v.variant.id} (${v.status})`).join(", ")}.` : "Every variant is as it should be.",
  ].join("\n");
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error) => {
      console.error(`variants: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(2);
    },
  );
}
