/**
 * Writes a result in the formats a command line asked for (`--format NAME`, repeatable). Each destination is a file
 * (written whole in one step: a temporary file renamed over it, so a reader never sees half of one), `-` for
 * standard output, or `>>FILE` to append (github-summary appends to `$GITHUB_STEP_SUMMARY`).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { GradeResult } from "../result";
import { formatNamed } from "./formats";

/** Writes a file in one step (a temporary file renamed over it), so a reader never sees half a report. */
export function writeAtomically(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, text);
  fs.renameSync(temp, file);
}

/**
 * Where a format goes when the command line names no file: where it appends (when the environment names a file), else
 * its default file in `dir` ("-" stays standard output).
 */
export function defaultDestination(name: string, dir: string, env: NodeJS.ProcessEnv): string {
  const format = formatNamed(name);
  const append = format.appendTo?.(env);
  if (append) return `>>${append}`;
  return format.defaultFile === "-" ? "-" : path.join(dir, format.defaultFile);
}

/** Renders `result` in each format and writes it to its destination; returns the files written or appended to. */
export function writeFormats(result: GradeResult, names: string[], destinations: string[], env: NodeJS.ProcessEnv = process.env): string[] {
  const written: string[] = [];
  names.forEach((name, i) => {
    const text = formatNamed(name).render(result, env);
    const destination = destinations[i];
    if (destination === "-") process.stdout.write(text);
    else if (destination.startsWith(">>")) {
      fs.appendFileSync(destination.slice(2), text);
      written.push(destination.slice(2));
    } else {
      writeAtomically(destination, text);
      written.push(destination);
    }
  });
  return written;
}
