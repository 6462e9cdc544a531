import * as fs from "node:fs";
import * as path from "node:path";
import { stubRegions } from "../release/regions";

/** One solution region with both marker lines, as Stryker's `mutate` and the score table need it. */
export interface SolutionRegion {
  /** Path relative to the project root, with forward slashes: "src/ex2-descriptors/OneOf.ts". */
  file: string;
  requirement: string;
  /** 1-based line of `// BEGIN SOLUTION Rx.y`. */
  begin: number;
  /** 1-based line of `// END SOLUTION`. */
  end: number;
}

const END = /^\s*\/\/ END SOLUTION\s*$/;

/**
 * Finds the solution regions of one source file. The release's parser checks the markers (so a malformed file
 * fails here exactly as it fails `npm run release`); this adds each region's END line.
 * @param text - the instructor's source
 * @param file - the path reported for the regions
 * @returns the file's regions, in order
 * @throws MarkerError for malformed markers
 */
export function regionsOfText(text: string, file: string): SolutionRegion[] {
  const lines = text.split("\n");
  return stubRegions(text, file).regions.map((r) => {
    let end = r.line;
    while (end < lines.length && !END.test(lines[end])) end++;
    return { file, requirement: r.requirement, begin: r.line, end: end + 1 };
  });
}

/** Lists every `.ts` file under `dir`, relative to `root`, sorted. */
function sourceFiles(root: string, dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) out.push(...sourceFiles(root, rel));
    else if (entry.name.endsWith(".ts")) out.push(rel);
  }
  return out.sort();
}

/**
 * Finds every solution region under `src/`.
 * @param root - the project root
 * @returns the regions, ordered by file and line
 */
export function solutionRegions(root: string): SolutionRegion[] {
  return sourceFiles(root, "src").flatMap((file) => regionsOfText(fs.readFileSync(path.join(root, file), "utf8"), file));
}

/**
 * Turns regions into Stryker `mutate` entries: the lines strictly between the markers, e.g. "src/a.ts:12-30".
 * @param regions - the regions to mutate
 * @returns one entry per non-empty region
 */
export function mutateRanges(regions: SolutionRegion[]): string[] {
  return regions.filter((r) => r.end - r.begin > 1).map((r) => `${r.file}:${r.begin + 1}-${r.end - 1}`);
}
