import * as fs from "node:fs";
import * as path from "node:path";

/** Thrown when a natural-solution file does not fit the source it fills in. */
export class NaturalSolutionError extends Error {
  override name = "NaturalSolutionError";
}

/** Where the natural solution lives: one `<exercise>/<file>.ts.txt` per source file with solution regions. */
export const NATURAL_DIR = path.join(__dirname, "natural");

const BEGIN = /^\s*\/\/ BEGIN SOLUTION (R\d+\.\d+)\s*$/;
const END = /^\s*\/\/ END SOLUTION\s*$/;
const SEPARATOR = /^\/\/@@ (R\d+\.\d+)\s*$/;

/** Splits a natural-solution file into its region bodies, in order: `//@@ R1.1` starts each. */
export function parseRegions(text: string, file: string): { requirement: string; body: string[] }[] {
  const regions: { requirement: string; body: string[] }[] = [];
  for (const line of text.replace(/\n$/, "").split("\n")) {
    const start = SEPARATOR.exec(line);
    if (start) regions.push({ requirement: start[1], body: [] });
    else if (regions.length === 0) throw new NaturalSolutionError(`${file}: expected "//@@ Rx.y" before the first line, got ${JSON.stringify(line)}`);
    else regions[regions.length - 1].body.push(line);
  }
  return regions;
}

/**
 * Replaces each solution region of `source` (the reference, with `// BEGIN SOLUTION Rx.y` … `// END SOLUTION`) by
 * the natural solution's body for it, in order, dropping the markers.
 * @throws NaturalSolutionError when the counts or the requirement IDs differ
 */
export function fillRegions(source: string, regions: { requirement: string; body: string[] }[], file: string): string {
  const out: string[] = [];
  const lines = source.split("\n");
  let next = 0;
  for (let i = 0; i < lines.length; i++) {
    const begin = BEGIN.exec(lines[i]);
    if (!begin) {
      out.push(lines[i]);
      continue;
    }
    const region = regions[next++];
    if (!region || region.requirement !== begin[1]) {
      throw new NaturalSolutionError(`${file}: region ${next} is ${begin[1]} in the source, but the natural solution has ${region?.requirement ?? "no more regions"}`);
    }
    while (i < lines.length && !END.test(lines[i])) i++;
    // A commented-out `BEGIN STUB` block after the region is what the release puts in its place: drop it too.
    if (/^\s*\/\/ BEGIN STUB\s*$/.test(lines[i + 1] ?? "")) while (i < lines.length && !/^\s*\/\/ END STUB\s*$/.test(lines[i])) i++;
    out.push(...region.body);
  }
  if (next !== regions.length) throw new NaturalSolutionError(`${file}: the source has ${next} regions, the natural solution ${regions.length}`);
  return out.join("\n");
}

/**
 * The natural solution: every file under `root`'s src/, with the regions of the files the natural solution covers
 * filled in from it (the reference solution stays in files it does not cover, such as given code).
 * @returns project-relative path → text
 */
export function naturalSources(root: string): Map<string, string> {
  const sources = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = path.posix.join(dir, entry.name);
      if (entry.isDirectory()) walk(rel);
      else if (entry.isFile()) sources.set(rel, fs.readFileSync(path.join(root, rel), "utf8"));
    }
  };
  walk("src");
  const covered: string[] = [];
  for (const exercise of fs.readdirSync(NATURAL_DIR)) {
    for (const name of fs.readdirSync(path.join(NATURAL_DIR, exercise))) {
      const file = `src/${exercise}/${name.replace(/\.txt$/, "")}`;
      const source = sources.get(file);
      if (source === undefined) throw new NaturalSolutionError(`${file}: the natural solution covers a file that src/ does not have`);
      const regions = parseRegions(fs.readFileSync(path.join(NATURAL_DIR, exercise, name), "utf8"), name);
      sources.set(file, fillRegions(source, regions, file));
      covered.push(file);
    }
  }
  for (const [file, text] of sources) {
    if (!covered.includes(file) && text.split("\n").some((l) => BEGIN.test(l))) {
      throw new NaturalSolutionError(`${file}: has solution regions the natural solution does not cover`);
    }
  }
  return sources;
}
