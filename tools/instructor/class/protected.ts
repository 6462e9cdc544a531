/**
 * The files of a student checkout that grading depends on (tests, grading config, npm scripts, TypeScript and mocha
 * config, workflows, tools) and a hash manifest of them. The release ships the manifest; the instructor's class
 * grading compares a submission against the instructor's own copy of it and flags `protected-files-changed`.
 * Submissions are read as bytes and hashed, never parsed or run (package.json excepted: only its `scripts` count).
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

/** Where the release writes the manifest. */
export const MANIFEST_PATH = ".github/protected-files.json";

/** Folders whose every file is protected, and root files that are (whether or not the release has them). */
const PROTECTED_FOLDERS = ["test/", "tools/", ".github/"];
const PROTECTED_ROOT = /^(grading\.json|package\.json|tsconfig[^/]*\.json|\.mocharc[^/]*|\.npmrc)$/;
/** package.json is hashed by its `scripts` only, under this key. */
const SCRIPTS_KEY = "package.json#scripts";
/** Files larger than this count as changed without being read. */
const MAX_BYTES = 8 * 1024 * 1024;
/** At most this many entries are looked at in a submission's protected folders. */
const MAX_ENTRIES = 5000;

/** The release's record of the protected files: manifest key → SHA-256 (hex). */
export interface ProtectedManifest {
  $comment: string;
  version: 1;
  algorithm: "sha256";
  files: Record<string, string>;
}

/** How a submission's protected files differ from the manifest. */
export interface ProtectedCheck {
  changed: string[];
  added: string[];
  missing: string[];
}

/** Whether a project file (relative path, `/`-separated) is one students must not change. */
export function isProtected(file: string): boolean {
  if (file === MANIFEST_PATH) return false;
  return PROTECTED_FOLDERS.some((folder) => file.startsWith(folder)) || PROTECTED_ROOT.test(file);
}

const sha256 = (data: Buffer | string) => createHash("sha256").update(data).digest("hex");

/** The manifest key of a protected file: its path, or `package.json#scripts`. */
function keyOf(file: string): string {
  return file === "package.json" ? SCRIPTS_KEY : file;
}

/** The hash of a protected file's content; for package.json, of its `scripts` with sorted keys. */
export function hashProtected(file: string, content: Buffer | string): string {
  if (file !== "package.json") return sha256(content);
  try {
    const scripts = (JSON.parse(content.toString()) as { scripts?: Record<string, unknown> }).scripts ?? {};
    return sha256(JSON.stringify(Object.keys(scripts).sort().map((name) => [name, scripts[name]])));
  } catch {
    return `unparsable:${sha256(content)}`;
  }
}

/** Builds the manifest from a release's files (path → content); files that are not protected are ignored. */
export function buildManifest(files: Iterable<[string, Buffer | string]>): ProtectedManifest {
  const entries = [...files].filter(([file]) => isProtected(file)).map(([file, content]) => [keyOf(file), hashProtected(file, content)] as const);
  return {
    $comment: "SHA-256 of the files grading depends on (package.json: its scripts only). Changing them changes nothing in the instructor's grade, which uses the instructor's copies, but the submission is flagged protected-files-changed.",
    version: 1,
    algorithm: "sha256",
    files: Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
  };
}

/** Lists the protected regular files and symlinks of a checkout, without following links. */
function protectedEntries(dir: string): string[] {
  const found: string[] = [];
  let budget = MAX_ENTRIES;
  const walk = (relative: string) => {
    let names: string[];
    try {
      names = fs.readdirSync(path.join(dir, relative));
    } catch {
      return;
    }
    for (const name of names.sort()) {
      if (--budget < 0) return;
      const file = relative ? `${relative}/${name}` : name;
      const stat = fs.lstatSync(path.join(dir, file), { throwIfNoEntry: false });
      if (!stat) continue;
      if (stat.isDirectory() && (relative ? name !== "node_modules" : PROTECTED_FOLDERS.includes(`${name}/`))) {
        walk(file);
      } else if (isProtected(file)) {
        found.push(file);
      }
    }
  };
  walk("");
  return found;
}

/** Reads a protected file for hashing; anything but a regular file of sane size hashes to a marker that never matches. */
function hashFileIn(dir: string, file: string): string {
  const full = path.join(dir, file);
  const stat = fs.lstatSync(full, { throwIfNoEntry: false });
  if (!stat) return "missing";
  if (!stat.isFile()) return `not a regular file (${stat.isSymbolicLink() ? "a symlink" : "a folder or device"})`;
  if (stat.size > MAX_BYTES) return `larger than ${MAX_BYTES} bytes`;
  return hashProtected(file, fs.readFileSync(full));
}

/**
 * Compares a submission's protected files with the manifest: changed, added (e.g. a new `.mocharc.yml` or test
 * file) and missing files, by manifest key.
 */
export function checkProtectedFiles(submissionDir: string, manifest: ProtectedManifest): ProtectedCheck {
  const check: ProtectedCheck = { changed: [], added: [], missing: [] };
  const present = new Set<string>();
  for (const file of protectedEntries(submissionDir)) {
    const key = keyOf(file);
    present.add(key);
    if (!(key in manifest.files)) check.added.push(key);
    else if (hashFileIn(submissionDir, file) !== manifest.files[key]) check.changed.push(key);
  }
  // A submission with no protected file at all is only src/ (how Gradescope and PrairieLearn deliver one): there is
  // nothing to compare, and the instructor's copies are used anyway.
  if (present.size === 0) return check;
  for (const key of Object.keys(manifest.files)) if (!present.has(key)) check.missing.push(key);
  return check;
}

/** Whether a check found any difference. */
export function protectedFilesChanged(check: ProtectedCheck): boolean {
  return check.changed.length + check.added.length + check.missing.length > 0;
}
