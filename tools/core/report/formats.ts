/**
 * The *report* step's format registry (issue 19): every output format renders a {@link GradeResult} and nothing
 * else. A format is one file exporting `{ defaultFile, render }`, registered here by name; `npm run grade --
 * --format NAME` picks one or more.
 */
import type { GradeResult } from "../result";
import { formatTable } from "./text";

/** One output format. */
export interface Format {
  /** Where the format is written when no `--out` is given ("-" for standard output). */
  defaultFile: string;
  /** The file's whole text; `env` carries what a platform's runner sets (identity fields, paths). */
  render(result: GradeResult, env: NodeJS.ProcessEnv): string;
}

/** The formats by name. */
export const formats: Record<string, Format> = {
  text: { defaultFile: "-", render: (result) => `${formatTable(result)}\n` },
  json: { defaultFile: "grade.json", render: (result) => `${JSON.stringify(result, null, 2)}\n` },
};

/** Thrown for a format name the registry does not have. */
export class UnknownFormatError extends RangeError {
  override name = "UnknownFormatError";
}

/** The format of that name. @throws UnknownFormatError naming the known ones */
export function formatNamed(name: string): Format {
  const format = Object.hasOwn(formats, name) ? formats[name] : undefined;
  if (!format) throw new UnknownFormatError(`--format: expected one of ${Object.keys(formats).join(", ")}, got ${JSON.stringify(name)}`);
  return format;
}
