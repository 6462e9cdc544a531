import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { MANIFEST_PATH, buildManifest, isProtected, type ProtectedManifest } from "../class/protected";
import { releaseMarkdown, releaseNotebook } from "./documents";
import { MarkerError, stubRegions, type Region } from "./regions";
import { pruneLock } from "./lock";
import { STUDENT_DEV_DEPENDENCIES, STUDENT_SCRIPTS, isStudentFile } from "./studentFiles";

/** What a release wrote. */
export interface ReleaseSummary {
  outDir: string;
  files: number;
  regions: (Region & { file: string })[];
  notebooks: number;
}

/**
 * Lists the files git tracks (as they are in the working tree). Untracked files never ship, even when not ignored:
 * a draft lying in docs/ stays on the instructor's disk until it is committed.
 */
export function projectFiles(root: string): string[] {
  const out = execFileSync("git", ["ls-files", "-z", "--cached"], { cwd: root, encoding: "utf8" });
  return out
    .split("\0")
    .filter((f) => f && fs.existsSync(path.join(root, f)))
    .sort();
}

/** Keeps only `names` of a record, in the record's order. */
function pick(record: Record<string, string> | undefined, names: readonly string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(record ?? {}).filter(([name]) => names.includes(name)));
}

/**
 * Transforms one file for the student release; `undefined` leaves it out (a file not in STUDENT_FILES).
 * package.json keeps only the student's scripts and devDependencies; release() then prunes package-lock.json to them.
 */
export function releaseFile(file: string, text: string, regions: Region[] = []): string | undefined {
  if (!isStudentFile(file)) return undefined;
  if (file.endsWith(".ts") && file.startsWith("src/")) {
    const stubbed = stubRegions(text, file);
    regions.push(...stubbed.regions);
    return stubbed.text;
  }
  if (file.endsWith(".ipynb")) return releaseNotebook(text, file);
  if (file.endsWith(".md")) return releaseMarkdown(text, file);
  if (file === "package.json") {
    const pkg = JSON.parse(text) as { scripts?: Record<string, string>; devDependencies?: Record<string, string> };
    pkg.scripts = pick(pkg.scripts, STUDENT_SCRIPTS);
    if (pkg.devDependencies) pkg.devDependencies = pick(pkg.devDependencies, STUDENT_DEV_DEPENDENCIES);
    return `${JSON.stringify(pkg, null, 2)}\n`;
  }
  if (/\/\/ BEGIN SOLUTION/.test(text) && /\.(ts|js)$/.test(file)) {
    throw new MarkerError(`${file}: solution regions are only allowed under src/ and in notebooks`);
  }
  return text;
}

/**
 * Writes the student repository for `root` into `outDir`: the files STUDENT_FILES lists, with stubs instead of
 * solutions, cleared notebooks, docs without solution notes, and package.json and package-lock.json trimmed to the
 * student's scripts and packages. Nothing is written when any marker is malformed.
 * @throws MarkerError naming the file and line of a malformed marker
 * @throws LockPruneError when npm cannot prune the lock offline
 */
export function release(root: string, outDir: string): ReleaseSummary {
  const target = path.resolve(outDir);
  if (fs.existsSync(target) && fs.readdirSync(target).length > 0) {
    throw new Error(`release: expected ${target} to be missing or empty`);
  }
  const written = new Map<string, Buffer | string>();
  const regions: ReleaseSummary["regions"] = [];
  let notebooks = 0;
  for (const file of projectFiles(root)) {
    const raw = fs.readFileSync(path.join(root, file));
    const binary = raw.includes(0);
    if (binary) {
      if (isStudentFile(file)) written.set(file, raw);
      continue;
    }
    const found: Region[] = [];
    const text = releaseFile(file, raw.toString("utf8"), found);
    if (text === undefined) continue;
    if (/(\/\/|<!--) BEGIN SOLUTION/.test(text)) throw new MarkerError(`${file}: a solution marker survived the release`);
    regions.push(...found.map((r) => ({ ...r, file })));
    if (file.endsWith(".ipynb")) notebooks++;
    written.set(file, text);
  }
  written.set(MANIFEST_PATH, `${JSON.stringify(buildManifest(written), null, 2)}\n`);
  for (const [file, content] of written) {
    const dest = path.join(target, file);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.writeFileSync(dest, content);
    if (fs.existsSync(path.join(root, file))) fs.chmodSync(dest, fs.statSync(path.join(root, file)).mode);
  }
  if (written.has("package.json") && written.has("package-lock.json")) pruneLock(target);
  return { outDir: target, files: written.size, regions, notebooks };
}

/**
 * The manifest a release of `root` ships: hashes of the released protected files (tests, grading.json, scripts…),
 * computed without writing a release. Class grading compares submissions with it.
 */
export function releaseManifest(root: string): ProtectedManifest {
  const files: [string, Buffer | string][] = [];
  for (const file of projectFiles(root).filter(isProtected)) {
    const raw = fs.readFileSync(path.join(root, file));
    const text = raw.includes(0) ? (isStudentFile(file) ? raw : undefined) : releaseFile(file, raw.toString("utf8"));
    if (text !== undefined) files.push([file, text]);
  }
  return buildManifest(files);
}

if (require.main === module) {
  const outDir = process.argv[2];
  if (!outDir) {
    console.error("usage: npm run release -- <outDir>   (writes the student repository there)");
    process.exit(2);
  }
  try {
    const summary = release(path.join(__dirname, "..", "..", ".."), outDir);
    const requirements = new Set(summary.regions.map((r) => r.requirement));
    console.log(`Wrote ${summary.files} files to ${summary.outDir}: ${summary.regions.length} solution regions stubbed (${requirements.size} requirements), ${summary.notebooks} notebooks cleared.`);
    console.log(`Next: cd ${outDir} && git init && npm ci && npm test   (the tests fail on the stubs, one per requirement)`);
  } catch (error) {
    console.error(`release: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
