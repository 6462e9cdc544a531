import * as fs from "node:fs";
import * as path from "node:path";
import { gradedTestFiles, loadGradingConfig } from "../../core/config";
import { mutateRanges, type SolutionRegion } from "./regions";

/** What one `npm run mutants` run mutates and which tests it runs. */
export interface MutantsPlan {
  /** The selection asked for ("R3.2", "R3", "R1.4,R4.2"), or undefined for everything. */
  selection?: string;
  regions: SolutionRegion[];
  /** Every requirement that gets a row in the table. */
  requirements: string[];
  tests: string[];
}

/** Thrown for an unknown requirement argument. */
export class MutantsUsageError extends Error {
  override name = "MutantsUsageError";
}

/**
 * Chooses the regions and test files for a run: everything, or the selected requirements' regions and only their
 * exercises' test files, visible and hidden (from grading.json).
 * @param root - the project root
 * @param regions - every solution region
 * @param selection - comma-separated requirements ("R3.2") or exercises ("R3" = R3.1 … R3.5); undefined for all
 * @throws MutantsUsageError when a requirement is not in grading.json or has no region
 */
export function planRun(root: string, regions: SolutionRegion[], selection?: string): MutantsPlan {
  const grading = loadGradingConfig(path.join(root, "grading.json"));
  const all = grading.exercises.flatMap((e) => Object.keys(e.requirements));
  if (selection === undefined) {
    return { regions, requirements: all, tests: grading.exercises.flatMap((e) => gradedTestFiles(e, root)) };
  }
  const requirements: string[] = [];
  for (const token of selection.split(",").map((t) => t.trim()).filter(Boolean)) {
    const exercise = /^R(\d+)$/i.exec(token);
    const chosen = exercise
      ? Object.keys(grading.exercises.find((e) => e.id === Number(exercise[1]))?.requirements ?? {})
      : all.filter((r) => r.toUpperCase() === token.toUpperCase());
    if (chosen.length === 0) {
      throw new MutantsUsageError(
        `npm run mutants: expected requirements from grading.json (${all.join(", ")}) or exercises (R1 … R${grading.exercises.length}), got ${JSON.stringify(token)}`,
      );
    }
    for (const r of chosen) if (!requirements.includes(r)) requirements.push(r);
  }
  if (requirements.length === 0) throw new MutantsUsageError(`npm run mutants: expected a requirement such as R3.2, got ${JSON.stringify(selection)}`);
  const own = regions.filter((r) => requirements.includes(r.requirement));
  const missing = requirements.filter((req) => !own.some((r) => r.requirement === req));
  if (missing.length > 0) throw new MutantsUsageError(`npm run mutants: ${missing.join(", ")} has no "// BEGIN SOLUTION" region under src/`);
  const tests = grading.exercises.filter((e) => requirements.some((r) => r in e.requirements)).flatMap((e) => gradedTestFiles(e, root));
  return { selection, regions: own, requirements: all.filter((r) => requirements.includes(r)), tests };
}

/**
 * The Stryker configuration for a plan. Options are documented in docs/instructors.md "Mutation testing".
 * @param plan - from {@link planRun}
 * @returns a JSON-serialisable Stryker config
 */
export function strykerConfig(plan: MutantsPlan): Record<string, unknown> {
  const concurrency = Number(process.env.MUTANTS_CONCURRENCY);
  return {
    $schema: "../../node_modules/@stryker-mutator/core/schema/stryker-schema.json",
    testRunner: "mocha",
    checkers: ["typescript"],
    tsconfigFile: "tsconfig.json",
    typescriptChecker: { prioritizePerformanceOverAccuracy: true },
    // Each mutant runs only the tests that reach it.
    coverageAnalysis: "perTest",
    // Every covering test runs, so killedBy lists every killer: the score without the hidden tests comes from the
    // same run (tools/instructor/mutants/hidden.ts).
    disableBail: true,
    mutate: mutateRanges(plan.regions),
    mochaOptions: {
      // .mocharc.json would add every test file (grader, release, notebooks); only the exercises' tests count.
      "no-config": true,
      "no-package": true,
      spec: plan.tests,
      require: ["ts-node/register/transpile-only"],
      extension: ["ts"],
    },
    // The sandbox needs src/, test/, tsconfig.json and what the type checker reads; not builds, notebooks or reports.
    ignorePatterns: ["/dist", "/notebooks", "/.nbout", "/reports", "/bench", "/docs", "/.jupyter"],
    reporters: ["html", "json", "progress"],
    htmlReporter: { fileName: "reports/mutation/mutation.html" },
    jsonReporter: { fileName: "reports/mutation/mutation.json" },
    thresholds: { high: 95, low: 80, break: null },
    tempDirName: ".stryker-tmp",
    cleanTempDir: true,
    ...(Number.isInteger(concurrency) && concurrency > 0 ? { concurrency } : {}),
  };
}

/** Writes the config where the run's reports go, so a report can be reproduced with `npx stryker run <file>`. */
export function writeConfig(root: string, config: Record<string, unknown>): string {
  const file = path.join(root, "reports", "mutation", "stryker.config.json");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  return file;
}
