/**
 * Generates the GitHub Actions grading workflow (`.github/workflows/grade.yml`) from grading.json: the no-platform
 * option now that GitHub Classroom is retired. On every push it grades the student's `src/` with the tests,
 * grading.json and grader of a grading source the student does not control (a repository at a pinned commit, named by
 * organisation variables), writes a table of points per requirement to the run's summary page, and fails the job
 * unless every point was earned. It never runs the student's npm scripts or install hooks.
 *
 *   npm run workflow              writes .github/workflows/grade.yml
 *   npm run workflow -- --check   exits 1 when the committed workflow differs from the generated one
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { loadGradingConfig, type GradingConfig } from "../core/config";

/** The Node.js LTS line the workflow runs on (Node 20 reached its end of life in April 2026). */
export const NODE_VERSION = "24";
export const WORKFLOW_PATH = ".github/workflows/grade.yml";

const NODE_TS = "node -r ts-node/register/transpile-only";
/** The grading command, run inside the grading checkout: exit 0 with every point, 1 with fewer, 2 when ungradable. */
export const GRADE_COMMAND = `${NODE_TS} tools/core/grade.ts --submission ../submission --format github-summary --strict`;

const totalPoints = (config: GradingConfig) => config.exercises.reduce((sum, ex) => sum + Object.values(ex.requirements).reduce((a, b) => a + b, 0), 0);

/** The workflow text for a grading config. */
export function gradingWorkflow(config: GradingConfig): string {
  const minutes = Math.ceil((config.timeouts.submissionMs ?? 300_000) / 60_000) + 10;
  return [
    "# Generated from grading.json by the instructor's workflow generator (npm run workflow): do not edit by hand.",
    "# Grades every push on GitHub Actions, with no grading platform: the run's summary page shows the points of each",
    `# requirement (${totalPoints(config)} in all) and the job fails unless every point was earned. The tests, grading.json and`,
    "# grader come from the grading source, a repository the student cannot push to, at a pinned commit: organisation",
    "# variables GRADING_REPOSITORY (owner/name) and GRADING_REF (a full commit SHA), and, when that repository is private,",
    "# a read-only token in the GRADING_TOKEN secret. Of the student's checkout only src/ is read; none of its npm scripts,",
    "# install hooks or config runs.",
    "name: Grade",
    '"on":',
    "  - push",
    "  - workflow_dispatch",
    "permissions:",
    "  contents: read",
    "jobs:",
    "  grade:",
    "    runs-on: ubuntu-latest",
    `    timeout-minutes: ${minutes}`,
    "    steps:",
    "      - name: Check that the grading source is set and pinned",
    "        env:",
    "          GRADING_REPOSITORY: ${{ vars.GRADING_REPOSITORY }}",
    "          GRADING_REF: ${{ vars.GRADING_REF }}",
    "        run: |",
    '          if [ -z "$GRADING_REPOSITORY" ] || ! printf %s "$GRADING_REF" | grep -Eq "^[0-9a-f]{40}$"; then',
    '            echo "::error::Set the variables GRADING_REPOSITORY (owner/name) and GRADING_REF (a full commit SHA) of the grading source"',
    "            exit 1",
    "          fi",
    "      - name: Check out the submission",
    "        uses: actions/checkout@v6",
    "        with:",
    "          path: submission",
    "          persist-credentials: false",
    "      - name: Check out the grading source",
    "        uses: actions/checkout@v6",
    "        with:",
    "          repository: ${{ vars.GRADING_REPOSITORY }}",
    "          ref: ${{ vars.GRADING_REF }}",
    "          token: ${{ secrets.GRADING_TOKEN || github.token }}",
    "          path: grading",
    "          persist-credentials: false",
    "      - name: Set up Node.js",
    "        uses: actions/setup-node@v6",
    "        with:",
    `          node-version: ${NODE_VERSION}`,
    "      - name: Install the grader's dependencies without install scripts",
    "        working-directory: grading",
    "        run: npm ci --ignore-scripts --include=dev --no-audit --no-fund",
    "      - name: Grade src/ (points per requirement on the run's summary page)",
    "        working-directory: grading",
    `        run: ${GRADE_COMMAND}`,
    "",
  ].join("\n");
}

function main(argv: string[]): number {
  const { values } = parseArgs({ args: argv, options: { check: { type: "boolean", default: false } } });
  const root = path.join(__dirname, "..", "..");
  const text = gradingWorkflow(loadGradingConfig(path.join(root, "grading.json")));
  const file = path.join(root, WORKFLOW_PATH);
  if (values.check) {
    if (fs.existsSync(file) && fs.readFileSync(file, "utf8") === text) return 0;
    console.error(`${WORKFLOW_PATH} differs from what grading.json generates: run npm run workflow`);
    return 1;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  console.log(`Wrote ${WORKFLOW_PATH}`);
  return 0;
}

if (require.main === module) {
  try {
    process.exit(main(process.argv.slice(2)));
  } catch (error) {
    console.error(`npm run workflow: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  }
}
