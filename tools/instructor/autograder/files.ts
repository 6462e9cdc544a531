/**
 * The files of the grading source an autograder package carries: the grader (`tools/`), the instructor's tests
 * (`test/` with its hidden tests, without `test/fixtures`), `grading.json`, `tsconfig.json`, `package.json` with
 * its lockfile for `npm ci`, and `src/` as the student release has it (stubs, never the solutions): the grader lists
 * the tests it expects by loading them against these stubs. Never `node_modules` (installed where it runs).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { releaseFile } from "../release/release";

const TOP_FILES = ["package.json", "package-lock.json", "tsconfig.json", "grading.json"];
const TOP_DIRS = ["tools", "test"];
// The variants campaign's natural solution is a solution: no package carries it.
const SKIP = new Set(["node_modules", ".cache", "test/fixtures", "tools/instructor/variants"]);
const HIDDEN = "test/hidden";

/** Thrown when the grading source lacks a file every package needs. */
export class GradingSourceError extends Error {
  override name = "GradingSourceError";
}

function walk(root: string, rel: string, out: string[], skip: Set<string> = SKIP): void {
  for (const entry of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
    const inner = path.posix.join(rel, entry.name);
    if (skip.has(entry.name) || skip.has(inner)) continue;
    if (entry.isDirectory()) walk(root, inner, out, skip);
    else if (entry.isFile()) out.push(inner);
  }
}

/**
 * The package's files, relative to `root` with `/` separators, sorted.
 * @param hidden - whether the hidden tests (test/hidden/) go in: not where students can read the package
 */
export function graderFiles(root: string, hidden = true): string[] {
  const missing = TOP_FILES.filter((file) => !fs.existsSync(path.join(root, file)));
  if (missing.length > 0) throw new GradingSourceError(`expected the grading source ${root} to have ${missing.join(", ")}`);
  const out = [...TOP_FILES];
  const skip = hidden ? SKIP : new Set([...SKIP, HIDDEN]);
  for (const dir of TOP_DIRS) if (fs.existsSync(path.join(root, dir))) walk(root, dir, out, skip);
  return out.sort();
}

/** `src/` as the student release has it (solution regions stubbed), by path in the package. */
export function stubbedSources(root: string): Map<string, string> {
  const files: string[] = [];
  if (fs.existsSync(path.join(root, "src"))) walk(root, "src", files);
  const out = new Map<string, string>();
  for (const rel of files.sort()) {
    const text = releaseFile(rel, fs.readFileSync(path.join(root, rel), "utf8"));
    if (text !== undefined) out.set(rel, text);
  }
  return out;
}

/** Copies the package's files (and the extra files, by their name in the package) into `dir`. */
export function copyPackage(root: string, dir: string, extra: Record<string, { from: string; mode?: number }> = {}, hidden = true): void {
  for (const rel of graderFiles(root, hidden)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.copyFileSync(path.join(root, rel), path.join(dir, rel));
  }
  for (const [rel, text] of stubbedSources(root)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  for (const [name, { from, mode }] of Object.entries(extra)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.copyFileSync(from, path.join(dir, name));
    if (mode !== undefined) fs.chmodSync(path.join(dir, name), mode);
  }
}
