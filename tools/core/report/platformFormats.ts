/**
 * The platform output formats, by the name `--format` takes; the grade CLI merges them with `text` and `json`.
 */
import { classroom50 } from "./classroom50";
import type { ReportFormat } from "./format";
import { githubSummary } from "./githubSummary";
import { gradescope } from "./gradescope";
import { junit } from "./junit";
import { prairielearn } from "./prairielearn";

/** Every platform format, by name. */
export const PLATFORM_FORMATS: Record<string, ReportFormat> = {
  gradescope,
  classroom50,
  prairielearn,
  junit,
  "github-summary": githubSummary,
};
