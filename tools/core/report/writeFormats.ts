/**
 * Writes a result in the formats a command line asked for (`--format NAME`, repeatable): to `--out FILE` when there
 * is one format and a file was given, else appended where the format appends (github-summary: `$GITHUB_STEP_SUMMARY`),
 * else to the format's default file in the working folder. Each file is written whole in one step.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { GradeResult } from "../result";
import type { ReportFormat } from "./format";

/** Thrown for a `--format` name no format has. */
export class UnknownFormatError extends Error {
  override name = "UnknownFormatError";
}

/** The format of a name, or an error listing the names there are. */
export function formatNamed(formats: Record<string, ReportFormat>, name: string): ReportFormat {
  const format = formats[name];
  if (!format) throw new UnknownFormatError(`--format: expected one of ${Object.keys(formats).join(", ")}, got ${JSON.stringify(name)}`);
  return format;
}

/** Renders and writes every named format; returns the files written. */
export function writeFormats(result: GradeResult, names: string[], formats: Record<string, ReportFormat>, out: string | undefined, env: NodeJS.ProcessEnv): string[] {
  return names.map((name) => {
    const format = formatNamed(formats, name);
    const text = format.render(result, env);
    const append = names.length === 1 && out ? undefined : format.appendTo?.(env);
    if (append) {
      fs.appendFileSync(append, text);
      return append;
    }
    const file = path.resolve(names.length === 1 && out ? out : format.defaultFile);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, text);
    fs.renameSync(temp, file);
    return file;
  });
}
