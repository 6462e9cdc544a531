/**
 * `npm run mutants [-- Rx.y|Rx[,…]]`: runs StrykerJS over the solution regions (the selected requirements' or
 * exercises', or all), then prints a score per requirement and the surviving mutants. Exits 1 when a requirement
 * is under the target score, 2 when Stryker or the arguments fail.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseCommandLine } from "../../core/cli/args";
import { MutantsUsageError, planRun, strykerConfig, writeConfig } from "./config";
import { hasHiddenTests, withoutHiddenKills, type KillReport } from "./hidden";
import { solutionRegions } from "./regions";
import { TARGET_SCORE, formatScores, scoreRequirements, type MutationReport } from "./score";

const root = path.resolve(__dirname, "..", "..", "..");
const reportFile = path.join(root, "reports", "mutation", "mutation.json");
const patchedParser = path.join(root, "node_modules", "@stryker-mutator", "instrumenter", "dist", "src", "parsers", "ts-parser.js");

/** Whether patches/ was applied: without it Stryker cannot parse the `accessor` fields of Exercise 2. */
function parserPatched(): boolean {
  return fs.existsSync(patchedParser) && fs.readFileSync(patchedParser, "utf8").includes("version: '2023-11'");
}

function main(argv: string[]): number {
  const usage = "npm run mutants [-- Rx.y|Rx[,…]] [--report-only]";
  let parsed: { values: { "report-only"?: boolean }; positionals: string[] };
  try {
    parsed = parseCommandLine(argv, { "report-only": { type: "boolean" } }, usage, true);
  } catch (error) {
    throw new MutantsUsageError(`npm run mutants: ${(error as Error).message}`, { cause: error });
  }
  const args = parsed.positionals;
  const reportOnly = parsed.values["report-only"] ?? false;
  if (args.length > 1) throw new MutantsUsageError(`npm run mutants: expected ${usage}; got ${args.length} selections: ${args.join(" ")}`);
  const plan = planRun(root, solutionRegions(root), args[0]);
  if (!reportOnly) {
    if (!parserPatched()) {
      throw new MutantsUsageError("npm run mutants: expected Stryker's TypeScript parser to be patched (patches/, applied by npm install's postinstall); run npx patch-package");
    }
    const configFile = writeConfig(root, strykerConfig(plan));
    const started = Date.now();
    const stryker = path.join(root, "node_modules", "@stryker-mutator", "core", "bin", "stryker.js");
    const run = spawnSync(process.execPath, [stryker, "run", path.relative(root, configFile)], { cwd: root, stdio: "inherit" });
    if (run.status !== 0) {
      console.error(`npm run mutants: Stryker exited with ${run.status ?? run.signal}; see the output above.`);
      return 2;
    }
    console.log(`\nStryker took ${((Date.now() - started) / 1000).toFixed(0)} s.`);
  }
  if (!fs.existsSync(reportFile)) throw new Error(`npm run mutants: expected ${path.relative(root, reportFile)}; run without --report-only first`);
  const report = JSON.parse(fs.readFileSync(reportFile, "utf8")) as KillReport & MutationReport;
  const scores = scoreRequirements(report, plan.regions, plan.requirements);
  if (hasHiddenTests(report)) {
    // The same run, scored as if the hidden tests did not exist: what the hidden tests add (issue 22).
    const visibleOnly = scoreRequirements(withoutHiddenKills(report), plan.regions, plan.requirements);
    console.log(`\nMutation score per requirement, visible tests only${plan.selection ? ` for ${plan.selection}` : ""} (mutants only hidden tests kill count as survivors):\n`);
    console.log(formatScores(visibleOnly));
  }
  console.log(`\nMutation score per requirement (solution regions only), visible and hidden tests${plan.selection ? ` for ${plan.selection}` : ""}:\n`);
  console.log(formatScores(scores));
  console.log(`\nReports: reports/mutation/mutation.html (open in a browser), reports/mutation/mutation.json`);
  return scores.some((s) => s.score < TARGET_SCORE) ? 1 : 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  console.error(error instanceof MutantsUsageError ? error.message : error);
  process.exitCode = 2;
}
