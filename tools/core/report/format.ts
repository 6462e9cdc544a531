/**
 * The shape every output format of the grading core has: a name's default file and a function from a
 * {@link GradeResult} (and the environment, for the identity fields a platform's runner sets) to the file's text.
 */
import type { GradeResult } from "../result";

/** One output format. */
export interface ReportFormat {
  /** The file written when the command line names none, relative to the working folder. */
  defaultFile: string;
  /** Renders a result; never throws for an ungradable result (it gives a complete file with every entry at 0). */
  render(result: GradeResult, env: NodeJS.ProcessEnv): string;
  /** The file this format appends to instead of writing `defaultFile`, when the environment names one. */
  appendTo?(env: NodeJS.ProcessEnv): string | undefined;
}
