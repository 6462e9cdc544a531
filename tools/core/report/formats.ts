/**
 * The *report* step's format registry (issue 19): every output format renders a {@link GradeResult} and nothing
 * else. A format is one file exporting a {@link ReportFormat}, registered here by name; `npm run grade --
 * --format NAME` picks one or more.
 */
import type { GradeResult } from "../result";
import type { ReportFormat } from "./format";
import { PLATFORM_FORMATS } from "./platformFormats";
import { formatTable } from "./text";

export type { ReportFormat } from "./format";

/** The formats by name: text and json, then the platforms'. */
export const formats: Record<string, ReportFormat> = {
  text: { defaultFile: "-", render: (result: GradeResult) => `${formatTable(result)}\n` },
  json: { defaultFile: "grade.json", render: (result: GradeResult) => `${JSON.stringify(result, null, 2)}\n` },
  ...PLATFORM_FORMATS,
};

/** Thrown for a format name the registry does not have. */
export class UnknownFormatError extends RangeError {
  override name = "UnknownFormatError";
}

/** The format of that name. @throws UnknownFormatError naming the known ones */
export function formatNamed(name: string): ReportFormat {
  const format = Object.hasOwn(formats, name) ? formats[name] : undefined;
  if (!format) throw new UnknownFormatError(`--format: expected one of ${Object.keys(formats).join(", ")}, got ${JSON.stringify(name)}`);
  return format;
}
