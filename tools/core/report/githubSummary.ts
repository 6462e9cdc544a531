/**
 * A Markdown summary for a GitHub Actions job's summary page: the total, then a table with one row per entry of
 * {@link entriesOf} (points, ✅/❌, the first failing test and the hint link). It is appended to the file
 * `$GITHUB_STEP_SUMMARY` names when that is set.
 */
import type { GradeResult } from "../result";
import { entriesOf, summaryOf } from "./entries";
import type { ReportFormat } from "./format";

/** A table cell's text: one line, `|` escaped, at most `max` characters. */
function cell(text: string, max = 300): string {
  const line = text.replace(/\r?\n/g, " ").replace(/\|/g, "\\|").trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2));

function render(result: GradeResult, env: NodeJS.ProcessEnv): string {
  const [total, ...rest] = summaryOf(result).split("\n");
  const lines = [`## Grade: ${total}`, "", ...rest.map((line) => `> ${line}`), ...(rest.length > 0 ? [""] : [])];
  lines.push("| Requirement | Exercise | Points | Result | First failure |", "|---|---|---:|:---:|---|");
  for (const e of entriesOf(result, env)) {
    lines.push(`| ${cell(e.name)} | ${cell(`${e.exercise} — ${e.exerciseTitle}`)} | ${fmt(e.points)} / ${fmt(e.maxPoints)} | ${e.passed ? "✅" : "❌"} | ${cell(e.message)} |`);
  }
  return `${lines.join("\n")}\n\n`;
}

/** The GitHub summary format. */
export const githubSummary: ReportFormat = {
  defaultFile: "github-summary.md",
  render,
  appendTo: (env) => env.GITHUB_STEP_SUMMARY || undefined,
};
