import * as fs from "node:fs";
import * as path from "node:path";
import { loadGradingConfig } from "../grade/config";
import { mutateRanges, type SolutionRegion } from "./regions";

/** What one `npm run mutants` run mutates and which tests it runs. */
export interface MutantsPlan {
  /** The requirement asked for, or undefined for all of them. */
  requirement?: string;
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
 * Chooses the regions and test files for a run: all requirements, or one requirement's regions and its exercise's
 * tests (from grading.json).
 * @param root - the project root
 * @param regions - every solution region
 * @param requirement - e.g. "R3.2", or undefined for all
 * @throws MutantsUsageError when the requirement is not in grading.json or has no region
 */
export function planRun(root: string, regions: SolutionRegion[], requirement?: string): MutantsPlan {
  const grading = loadGradingConfig(path.join(root, "grading.json"));
  const all = grading.exercises.flatMap((e) => Object.keys(e.requirements));
  if (requirement === undefined) {
    return { regions, requirements: all, tests: grading.exercises.flatMap((e) => e.tests) };
  }
  const exercise = grading.exercises.find((e) => requirement in e.requirements);
  if (!exercise) throw new MutantsUsageError(`npm run mutants: expected a requirement from grading.json (${all.join(", ")}), got ${JSON.stringify(requirement)}`);
  const own = regions.filter((r) => r.requirement === requirement);
  if (own.length === 0) throw new MutantsUsageError(`npm run mutants: ${requirement} has no "// BEGIN SOLUTION ${requirement}" region under src/`);
  return { requirement, regions: own, requirements: [requirement], tests: exercise.tests };
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
