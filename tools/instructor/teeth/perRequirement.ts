/**
 * The per-requirement teeth check: each requirement stands alone, in both directions.
 *
 * - only-one: a copy where only Rx.y's solution regions (and its allowed prerequisites') are kept and every other
 *   region is stubbed as the release stubs it → every graded Rx.y test passes.
 * - all-but-one: a copy where only Rx.y's regions are stubbed → every graded Rx.y test fails, and no other
 *   requirement's graded test fails (except requirements that list Rx.y as a prerequisite).
 *
 * Given-code tests (titles like `R2.x given: …`) must pass in every copy. Copies are written once into a temp
 * folder, compiled to JavaScript once per distinct file, and run in parallel, each with mocha on its one exercise's
 * test files.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as ts from "typescript";
import { exerciseOfRequirement, gradedTestFiles, loadGradingConfig, requirementOf, type ExerciseConfig, type GradingConfig } from "../../core/config";
import { stubRegions } from "../release/regions";
import { PENDING_MESSAGE } from "../../core/run/driver";
import { pool } from "../../core/run/pool";
import { runPlain } from "../../core/run/runPlain";

export type Mode = "only-one" | "all-but-one";

/** One test of a copy's run. */
export interface MochaTestResult {
  title: string;
  /** The test file (relative to the copy) and full title: the same in every copy. */
  fullTitle: string;
  state: "passed" | "failed" | "pending";
  message: string;
}

/** What one copy's run produced. */
export interface MochaRun {
  tests: MochaTestResult[];
  /** Set when the tests did not run: the files did not load. */
  error?: string;
  durationMs: number;
}

/**
 * Runs test files in a copy through the mocha driver in a plain child process (tools/core/run/runPlain.ts), with
 * the per-test limit and a limit for the whole run.
 */
export async function runCopy(cwd: string, files: string[], testMs: number, killMs: number): Promise<MochaRun> {
  const started = Date.now();
  const run = await runPlain({ root: cwd, files, testMs, exerciseMs: killMs });
  const tests = run.tests.map((t): MochaTestResult => ({
    title: t.title,
    fullTitle: t.id,
    state: t.status === "passed" ? "passed" : t.message === PENDING_MESSAGE ? "pending" : "failed",
    message: t.message,
  }));
  return { tests, error: run.loadError, durationMs: Date.now() - started };
}

/** Requirement → the requirements it may build on (from grading.json's `prerequisites`). */
export type Prerequisites = Record<string, string[]>;

/** One copy to run: which requirements keep their solution, and which exercise's tests run. */
export interface Copy {
  requirement: string;
  mode: Mode;
  exercise: ExerciseConfig;
  keep: (requirement: string) => boolean;
}

/** The verdict for one copy. */
export interface Verdict {
  requirement: string;
  mode: Mode;
  ok: boolean;
  /** One line per offending test: what should have happened and what did. */
  problems: string[];
  durationMs: number;
}

/** Reads `prerequisites` from grading.json and checks that every ID in it is a requirement. */
export function loadPrerequisites(file: string, config: GradingConfig): Prerequisites {
  const raw = (JSON.parse(fs.readFileSync(file, "utf8")) as { prerequisites?: unknown }).prerequisites ?? {};
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new TypeError(`${path.basename(file)}: expected "prerequisites" to map requirement IDs to lists of IDs`);
  const known = new Set(config.exercises.flatMap((ex) => Object.keys(ex.requirements)));
  const result: Prerequisites = {};
  for (const [id, list] of Object.entries(raw as Record<string, unknown>)) {
    if (!known.has(id) || !Array.isArray(list) || list.some((p) => typeof p !== "string" || !known.has(p))) {
      throw new TypeError(`${path.basename(file)}: prerequisites.${id}: expected known requirement IDs, got ${JSON.stringify(list)}`);
    }
    result[id] = list as string[];
  }
  return result;
}

/** Every requirement `id` builds on, directly or through another prerequisite. */
export function prerequisitesOf(prerequisites: Prerequisites, id: string): Set<string> {
  const found = new Set<string>();
  const visit = (r: string) => {
    for (const p of prerequisites[r] ?? []) {
      if (!found.has(p)) {
        found.add(p);
        visit(p);
      }
    }
  };
  visit(id);
  return found;
}

/** The copies for the selected requirements, in grading.json's order: only-one then all-but-one for each. */
export function planCopies(config: GradingConfig, prerequisites: Prerequisites, selected: string[]): Copy[] {
  return selected.flatMap((requirement) => {
    const exercise = exerciseOfRequirement(config, requirement);
    if (!exercise) throw new RangeError(`expected a requirement ID from grading.json, got ${JSON.stringify(requirement)}`);
    const kept = new Set([requirement, ...prerequisitesOf(prerequisites, requirement)]);
    return [
      { requirement, mode: "only-one" as const, exercise, keep: (r: string) => kept.has(r) },
      { requirement, mode: "all-but-one" as const, exercise, keep: (r: string) => r !== requirement },
    ];
  });
}

/** Lists the files under `dir` (relative to `root`), skipping `skip` folders. */
function walk(root: string, dir: string, skip: string[] = []): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = path.posix.join(dir, entry.name);
    if (skip.includes(rel)) continue;
    if (entry.isDirectory()) out.push(...walk(root, rel, skip));
    else if (entry.isFile()) out.push(rel);
  }
  return out;
}

/**
 * Compiles TypeScript to CommonJS once per distinct text, with the project's compiler options, as ts-node's
 * transpile-only mode does: the copies' mocha runs then load plain JavaScript and never load TypeScript.
 */
export class Transpiler {
  private readonly cache = new Map<string, string>();
  private readonly options: ts.CompilerOptions;

  constructor(root: string) {
    const file = path.join(root, "tsconfig.json");
    const { config } = ts.readConfigFile(file, ts.sys.readFile);
    const parsed = ts.parseJsonConfigFileContent(config ?? {}, ts.sys, root);
    this.options = { ...parsed.options, module: ts.ModuleKind.CommonJS, noEmit: false, sourceMap: false, inlineSourceMap: false, declaration: false };
  }

  /** The JavaScript for one file's text. */
  js(text: string, fileName: string): string {
    const key = `${fileName}\0${text}`;
    let out = this.cache.get(key);
    if (out === undefined) {
      out = ts.transpileModule(text, { compilerOptions: this.options, fileName }).outputText;
      this.cache.set(key, out);
    }
    return out;
  }
}

/**
 * Writes a copy of `root`'s src/ (stubbed except the kept requirements) and test/ (without fixtures) into `dir`,
 * each `.ts` file with its compiled `.js` beside it, with grading.json and node_modules linked.
 */
export function writeCopy(root: string, dir: string, keep: (requirement: string) => boolean, sources: Map<string, string>, tests: Map<string, string>, transpiler: Transpiler): void {
  const write = (file: string, text: string) => {
    const target = path.join(dir, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    // The TypeScript stays too, for tests that read a source; without ts-node, require() picks the .js.
    fs.writeFileSync(target, text);
    if (file.endsWith(".ts") && !file.endsWith(".d.ts")) fs.writeFileSync(target.replace(/\.ts$/, ".js"), transpiler.js(text, file));
  };
  for (const [file, text] of sources) write(file, file.endsWith(".ts") ? stubRegions(text, file, { keep }).text : text);
  for (const [file, text] of tests) write(file, text);
  for (const file of ["tsconfig.json", "grading.json", "package.json"]) fs.copyFileSync(path.join(root, file), path.join(dir, file));
  fs.symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"), "dir");
}

/** A test file's compiled name in a copy. */
const compiled = (file: string) => file.replace(/\.ts$/, ".js");

const firstLine = (text: string, max = 160) => {
  const line = (text.split("\n").find((l) => l.trim()) ?? "").trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
};

/**
 * Judges one copy's run against the reference run of the same exercise (which lists every test).
 * @param reference - the exercise's tests on the solved repository
 */
export function judge(copy: Copy, run: MochaRun, reference: MochaTestResult[], prerequisites: Prerequisites): Verdict {
  const problems: string[] = [];
  const verdict = (): Verdict => ({ requirement: copy.requirement, mode: copy.mode, ok: problems.length === 0, problems, durationMs: run.durationMs });
  if (run.error) {
    problems.push(`the tests did not run: ${run.error}`);
    return verdict();
  }
  const byTitle = new Map(run.tests.map((t) => [t.fullTitle, t]));
  const graded = (t: MochaTestResult) => {
    const r = requirementOf(t.title);
    return r !== undefined && r in copy.exercise.requirements ? r : undefined;
  };
  const own = reference.filter((t) => graded(t) === copy.requirement);
  if (own.length === 0) problems.push(`no graded test's title starts with ${copy.requirement}`);
  const outcome = (t: MochaTestResult) => byTitle.get(t.fullTitle) ?? { ...t, state: "failed" as const, message: "did not run (a hook failed or mocha stopped)" };
  for (const ref of reference) {
    const got = outcome(ref);
    const requirement = graded(ref);
    if (got.state === "pending") continue;
    if (requirement === undefined) {
      if (got.state !== "passed") problems.push(`given-code/ungraded test fails: ${ref.title} — ${firstLine(got.message)}`);
    } else if (requirement === copy.requirement) {
      if (copy.mode === "only-one" && got.state !== "passed") problems.push(`fails with only ${keptList(copy, prerequisites)} solved: ${ref.title} — ${firstLine(got.message)}`);
      if (copy.mode === "all-but-one" && got.state === "passed") problems.push(`passes on its own stub (no teeth): ${ref.title}`);
    } else if (copy.mode === "all-but-one" && got.state !== "passed" && !prerequisitesOf(prerequisites, requirement).has(copy.requirement)) {
      problems.push(`${requirement} test fails when only ${copy.requirement} is stubbed: ${ref.title} — ${firstLine(got.message)}`);
    }
  }
  for (const t of run.tests) {
    if (t.state === "failed" && !reference.some((r) => r.fullTitle === t.fullTitle)) problems.push(`${t.fullTitle} — ${firstLine(t.message)}`);
  }
  return verdict();
}

function keptList(copy: Copy, prerequisites: Prerequisites): string {
  const pre = [...prerequisitesOf(prerequisites, copy.requirement)];
  return pre.length > 0 ? `${copy.requirement} (+ prerequisites ${pre.join(", ")})` : copy.requirement;
}

/** What the per-requirement check found. */
export interface PerRequirementResult {
  verdicts: Verdict[];
  /** Problems with the reference run itself (tests that fail with every solution in place). */
  referenceProblems: string[];
  wallMs: number;
}

/** Options for {@link checkPerRequirement}. */
export interface PerRequirementOptions {
  root: string;
  /** Requirement IDs to check; empty for all. */
  requirements?: string[];
  jobs?: number;
  /** Keeps the temp folder (printed) for diagnosis. */
  keep?: boolean;
  onVerdict?: (v: Verdict) => void;
}

/** Builds every copy, runs them in parallel and judges them. */
export async function checkPerRequirement(options: PerRequirementOptions): Promise<PerRequirementResult> {
  const started = Date.now();
  const { root } = options;
  const config = loadGradingConfig(path.join(root, "grading.json"));
  const prerequisites = loadPrerequisites(path.join(root, "grading.json"), config);
  const all = config.exercises.flatMap((ex) => Object.keys(ex.requirements));
  const selected = options.requirements?.length ? options.requirements : all;
  const copies = planCopies(config, prerequisites, selected);
  const exercises = [...new Map(copies.map((c) => [c.exercise.id, c.exercise])).values()];
  const testMs = config.timeouts.testMs;
  const killMs = 120_000;

  const read = (files: string[]) => new Map(files.map((f) => [f, fs.readFileSync(path.join(root, f), "utf8")]));
  const sources = read(walk(root, "src"));
  const tests = read(walk(root, "test", ["test/fixtures"]));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "teeth-per-requirement-"));
  try {
    const dirs = copies.map((c) => path.join(work, `${c.requirement}-${c.mode}`));
    const transpiler = new Transpiler(root);
    copies.forEach((c, i) => writeCopy(root, dirs[i], c.keep, sources, tests, transpiler));
    const solved = path.join(work, "reference");
    writeCopy(root, solved, () => true, sources, tests, transpiler);
    const jobs = options.jobs ?? os.cpus().length;
    // The reference runs (everything solved) list every test and must pass; they run first, in the same pool.
    const referenceRuns = await pool(exercises.length, jobs, (i) => runCopy(solved, gradedTestFiles(exercises[i]).map(compiled), testMs, killMs));
    const reference = new Map(exercises.map((ex, i) => [ex.id, referenceRuns[i]]));
    const referenceProblems: string[] = [];
    for (const [id, run] of reference) {
      if (run.error) referenceProblems.push(`exercise ${id}: the tests did not run on the reference solution: ${run.error}`);
      for (const t of run.tests) if (t.state === "failed") referenceProblems.push(`exercise ${id}: fails on the reference solution: ${t.fullTitle} — ${firstLine(t.message)}`);
    }
    const verdicts = await pool(copies.length, jobs, async (i) => {
      const copy = copies[i];
      const run = await runCopy(dirs[i], gradedTestFiles(copy.exercise).map(compiled), testMs, killMs);
      const v = judge(copy, run, reference.get(copy.exercise.id)!.tests, prerequisites);
      options.onVerdict?.(v);
      return v;
    });
    return { verdicts, referenceProblems, wallMs: Date.now() - started };
  } finally {
    if (options.keep) console.log(`(copies kept in ${work})`);
    else fs.rmSync(work, { recursive: true, force: true });
  }
}

/** The matrix: one line per requirement with both directions, then every offending test. */
export function formatMatrix(result: PerRequirementResult): string {
  const requirements = [...new Set(result.verdicts.map((v) => v.requirement))];
  const cell = (v: Verdict | undefined) => (v ? `${v.ok ? "✔" : `✘ ${v.problems.length}`} ${(v.durationMs / 1000).toFixed(1)}s` : "-").padEnd(14);
  const lines = [`${"requirement".padEnd(12)}${"only-one".padEnd(14)}all-but-one`];
  for (const r of requirements) {
    const only = result.verdicts.find((v) => v.requirement === r && v.mode === "only-one");
    const allBut = result.verdicts.find((v) => v.requirement === r && v.mode === "all-but-one");
    lines.push(`${r.padEnd(12)}${cell(only)}${cell(allBut)}`.trimEnd());
  }
  const bad = result.verdicts.filter((v) => !v.ok);
  if (result.referenceProblems.length > 0) lines.push("", "Reference solution (everything solved):", ...result.referenceProblems.map((p) => `  - ${p}`));
  for (const v of bad) {
    lines.push("", `${v.requirement} ${v.mode} (${v.mode === "only-one" ? `only ${v.requirement}'s regions solved` : `only ${v.requirement}'s regions stubbed`}):`);
    lines.push(...v.problems.map((p) => `  - ${p}`));
  }
  const passed = result.verdicts.length - bad.length;
  lines.push("", `Per-requirement teeth: ${passed}/${result.verdicts.length} runs pass, in ${(result.wallMs / 1000).toFixed(1)} s.`);
  return lines.join("\n");
}
