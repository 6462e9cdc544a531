/**
 * What the student's repository is made of: the one list the release copies from (tools/instructor/release/release.ts).
 * A tracked file ships when one pattern below matches it; anything else, a new instructor tool included, stays in
 * the instructor's repository. Patterns are exact paths, folders (ending in `/`, everything under them) or paths
 * whose `*` stands for any characters but `/`.
 *
 * To ship a new file, add its pattern here in the group it belongs to; test/release.test.ts then checks that every
 * file a student command imports is listed, that no pattern is stale and that the student's package.json names
 * only the packages those files use.
 */
export const STUDENT_FILES: readonly string[] = [
  // What the student reads, writes and runs.
  "src/",
  "notebooks/",
  "README.md",
  "docs/README.md",
  "docs/exercise-*.md",
  "docs/grading.md",
  // The exercises' tests, their helpers and their grading (test/hidden/ and the tool tests stay).
  "test/ex*.test.ts",
  "test/helpers/",
  "grading.json",
  // The student's tools (issue 21): the grading core (run, score, report, the grade command) and the student-only
  // commands (npm test, watch, doctor, kernel, notebooks). tools/instructor/ never ships.
  "tools/core/",
  "tools/student/",
  // Configuration (package.json and package-lock.json are trimmed to the student's scripts and packages).
  "package.json",
  "package-lock.json",
  "tsconfig*.json",
  ".mocharc.json",
  ".gitattributes",
  ".gitignore",
  ".vscode/",
  ".github/workflows/grade.yml",
];

/**
 * Instructor files a student command still needs, each with that command. Until it stops needing them they ship on
 * top of STUDENT_FILES, so every student command keeps working; test/release.test.ts accepts them as the only
 * needed files outside STUDENT_FILES and fails on an entry no student command reaches any more. Meant to be empty.
 */
export const KNOWN_EXCEPTIONS: Readonly<Record<string, string>> = {};

/**
 * Instructor files a student tool requires only on an instructor-only branch (a flag no student passes): they stay
 * home, and the trace does not follow them. A student who passes the flag gets "Cannot find module".
 */
export const INSTRUCTOR_BRANCHES: Readonly<Record<string, string>> = {
  "tools/instructor/class/class.ts": "tools/core/grade.ts requires it for `--class` (class grading)",
  "tools/instructor/grader/submission.ts": "tools/core/grade.ts requires it for `--submission` (the sandboxed grader; the workflow runs it in the grading source, npm run autograder -- github)",
};

/** Patterns that may match no tracked file yet: folders of the target layout the lead fills by moving files. */
export const AWAITED_PATTERNS: readonly string[] = [];

/** The npm scripts the student's package.json keeps (the commands the README and docs/ give the student). */
export const STUDENT_SCRIPTS: readonly string[] = ["prepare", "build", "build:watch", "start", "test", "typecheck", "notebooks", "kernel", "doctor", "grade", "watch"];

/**
 * The devDependencies the student's package.json keeps: the packages the student's files import or their scripts
 * run, and the type packages TypeScript needs for them. test/release.test.ts derives the same list from the files.
 */
export const STUDENT_DEV_DEPENDENCIES: readonly string[] = [
  "@types/chai",
  "@types/mocha",
  "@types/node",
  "@types/sinon",
  "chai",
  "chokidar",
  "fast-check",
  "mocha",
  "sinon",
  "source-map-support",
  "ts-node",
  "tslab",
  "typescript",
];

/** A pattern as a regular expression over `/`-separated relative paths. */
function patternRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*");
  return new RegExp(pattern.endsWith("/") ? `^${body}` : `^${body}$`);
}

/** Whether `file` matches one of `patterns`. */
export function matchesAny(file: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => patternRegExp(pattern).test(file));
}

/** Whether a tracked file ships to students: it is on the allow-list or, for now, a known exception. */
export function isStudentFile(file: string): boolean {
  return matchesAny(file, STUDENT_FILES) || Object.hasOwn(KNOWN_EXCEPTIONS, file);
}
