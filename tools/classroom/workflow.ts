/**
 * Generates the GitHub Classroom workflow (`.github/workflows/classroom.yml`) from grading.json, so max scores are
 * never edited by hand. The workflow grades the student's `src/` with the tests, grading.json and grader of a
 * grading source the student does not control (a repository at a pinned commit, named by organisation variables),
 * and never runs the student's npm scripts or install hooks.
 *
 *   npm run classroom                      writes .github/workflows/classroom.yml
 *   npm run classroom -- --check           exits 1 when the committed workflow differs from the generated one
 *   npm run classroom -- --partial-credit  one `run:` step per exercise reporting per-requirement points
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseCommandLine } from "../core/cli/args";
import { loadGradingConfig, type ExerciseConfig, type GradingConfig } from "../grade/config";

/** The Node.js LTS line the workflow runs on (Node 20 reached its end of life in April 2026). */
export const NODE_VERSION = "24";
export const WORKFLOW_PATH = ".github/workflows/classroom.yml";

/** How to generate the workflow. */
export interface WorkflowOptions {
  /** One `run:` step per exercise whose result carries each requirement's points, instead of all or nothing. */
  partialCredit?: boolean;
}

const total = (ex: ExerciseConfig) => Object.values(ex.requirements).reduce((a, b) => a + b, 0);
const stepId = (ex: ExerciseConfig) => `exercise${ex.id}`;
/** A YAML double-quoted scalar. */
const quoted = (text: string) => JSON.stringify(text);

const NODE_TS = "node -r ts-node/register/transpile-only";

/**
 * The commands for one exercise, run inside the grading checkout: the grader's instructor mode on the submission's
 * src/, then the conversion of its report for Classroom (`--strict`: exit 1 unless full points;
 * `--github-output`: the per-requirement result for the reporter).
 */
function gradeCommands(ex: ExerciseConfig, mode: "--strict" | "--github-output"): string {
  const report = `../grade-${ex.id}.json`;
  const grade = `${NODE_TS} tools/grade/grade.ts --submission ../submission --out ${report} ${ex.id}`;
  const convert = `${NODE_TS} tools/grade/classroomResult.ts ${report} ${mode}`;
  return mode === "--strict" ? `${grade} && ${convert}` : `${grade}; ${convert}`;
}

/** The runner result posted when the grader gave none (it crashed): the exercise scores 0 with an error. */
function errorResult(ex: ExerciseConfig): string {
  const result = { version: 1, status: "error", max_score: total(ex), tests: [{ name: `Exercise ${ex.id}`, status: "error", score: 0, message: "the grader did not report a result; see this step's log", test_code: "", filename: "", line_no: 0 }] };
  return Buffer.from(JSON.stringify(result)).toString("base64");
}

function exerciseStep(ex: ExerciseConfig, config: GradingConfig, options: WorkflowOptions): string[] {
  const name = `Exercise ${ex.id} — ${ex.title}`;
  const minutes = Math.ceil(config.timeouts.exerciseMs / 60000) + 1;
  if (options.partialCredit) {
    return [
      `      - name: ${quoted(name)}`,
      `        id: ${stepId(ex)}`,
      "        working-directory: grading",
      `        timeout-minutes: ${minutes}`,
      `        run: ${gradeCommands(ex, "--github-output")} || echo "result=${errorResult(ex)}" >> "$GITHUB_OUTPUT"`,
    ];
  }
  if (!Number.isInteger(total(ex))) {
    throw new RangeError(`Exercise ${ex.id} is worth ${total(ex)} points, but the command grader's max-score takes whole numbers: use --partial-credit`);
  }
  return [
    `      - name: ${quoted(name)}`,
    `        id: ${stepId(ex)}`,
    "        uses: classroom-resources/autograding-command-grader@v1",
    "        with:",
    `          test-name: ${quoted(name)}`,
    `          command: cd grading && ${gradeCommands(ex, "--strict")}`,
    `          timeout: ${minutes}`,
    `          max-score: ${total(ex)}`,
  ];
}

/** The workflow text for a grading config. */
export function classroomWorkflow(config: GradingConfig, options: WorkflowOptions = {}): string {
  const perExercise = options.partialCredit
    ? "each exercise's step reports every requirement with its points (partial credit)"
    : "each exercise's step is worth the exercise's points when all its graded tests pass";
  const jobMinutes = config.exercises.length * (Math.ceil(config.timeouts.exerciseMs / 60000) + 1) + 10;
  return [
    `# Generated from grading.json by the instructor's workflow generator${options.partialCredit ? " (partial-credit variant)" : ""}: do not edit by hand.`,
    "# GitHub Classroom autograding. The tests, grading.json and grader come from the grading source, a repository",
    "# the student cannot push to, at a pinned commit: organisation variables GRADING_REPOSITORY (owner/name) and",
    "# GRADING_REF (a full commit SHA), and, when that repository is private, a read-only token in the GRADING_TOKEN",
    "# secret. Of the student's checkout only src/ is read; none of its npm scripts, install hooks or config runs.",
    `# ${perExercise[0].toUpperCase()}${perExercise.slice(1)}; a compile error costs only its own exercise.`,
    "name: Autograding Tests",
    '"on":',
    "  - push",
    "  - repository_dispatch",
    "  - workflow_dispatch",
    "permissions:",
    "  checks: write",
    "  actions: read",
    "  contents: read",
    "jobs:",
    "  run-autograding-tests:",
    "    runs-on: ubuntu-latest",
    `    timeout-minutes: ${jobMinutes}`,
    "    if: github.actor != 'github-classroom[bot]'",
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
    "        run: npm ci --ignore-scripts --no-audit --no-fund",
    ...config.exercises.flatMap((ex) => exerciseStep(ex, config, options)),
    "      - name: Autograding Reporter",
    "        uses: classroom-resources/autograding-grading-reporter@v1",
    "        env:",
    ...config.exercises.map((ex) => `          ${stepId(ex).toUpperCase()}_RESULTS: "\${{ steps.${stepId(ex)}.outputs.result }}"`),
    "        with:",
    `          runners: ${config.exercises.map(stepId).join(",")}`,
    "",
  ].join("\n");
}

/** Whether a workflow text is exactly what the config generates, in either variant. */
export function isGenerated(text: string, config: GradingConfig): boolean {
  return [false, true].some((partialCredit) => text === classroomWorkflow(config, { partialCredit }));
}

function main(argv: string[]): number {
  const root = path.join(__dirname, "..", "..");
  let values: { check?: boolean; "partial-credit"?: boolean };
  try {
    ({ values } = parseCommandLine(argv, { check: { type: "boolean" }, "partial-credit": { type: "boolean" } }, "[--check] [--partial-credit]"));
  } catch (error) {
    console.error(`npm run classroom: ${(error as Error).message}`);
    return 2;
  }
  const config = loadGradingConfig(path.join(root, "grading.json"));
  const text = classroomWorkflow(config, { partialCredit: values["partial-credit"] ?? false });
  const file = path.join(root, WORKFLOW_PATH);
  if (values.check) {
    const current = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
    if (isGenerated(current, config)) return 0;
    console.error(`${WORKFLOW_PATH} differs from what grading.json generates: run npm run classroom`);
    return 1;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  console.log(`Wrote ${WORKFLOW_PATH}: ${grading(text)}`);
  return 0;
}

function grading(text: string): string {
  const scores = [...text.matchAll(/max-score: (\d+)/g)].map((m) => m[1]);
  return scores.length > 0 ? `max scores ${scores.join(", ")}` : "partial credit per requirement";
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
