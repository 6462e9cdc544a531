/**
 * The class gradebook as one self-contained HTML page: a heatmap of submissions × requirements, then each
 * submission's flags and failing tests with their messages. No script, no external resource; every piece of text
 * is escaped, since test messages and folder names come from students.
 */
import type { GradingConfig } from "../../core/config";
import { FLAG_MEANINGS, formatPoints, requirementColumns, type SubmissionReport } from "./gradebook";

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const MAX_MESSAGE = 4000;

/** A cell colour from red (0) through yellow to green (all points). */
function heat(points: number, maxPoints: number): string {
  const f = maxPoints > 0 ? Math.max(0, Math.min(1, points / maxPoints)) : 0;
  return `hsl(${Math.round(f * 120)} 65% 78%)`;
}

function flagBadges(flags: string[]): string {
  return flags.map((f) => `<span class="flag" title="${escapeHtml(FLAG_MEANINGS[f] ?? f)}">${escapeHtml(f)}</span>`).join(" ");
}

function heatmap(reports: SubmissionReport[], config: GradingConfig): string {
  const columns = requirementColumns(config);
  const maxOf = new Map(config.exercises.flatMap((ex) => Object.entries(ex.requirements)));
  const groups = config.exercises.map((ex) => `<th colspan="${Object.keys(ex.requirements).length}" title="${escapeHtml(ex.title)}">Exercise ${ex.id}</th>`).join("");
  const head = `<tr><th rowspan="2">Submission</th>${groups}<th rowspan="2">Total</th><th rowspan="2">Flags</th></tr>\n<tr>${columns.map((id) => `<th>${escapeHtml(id)}</th>`).join("")}</tr>`;
  const rows = reports.map((report, i) => {
    const byId = new Map(report.requirements.map((r) => [r.id, r]));
    const cells = columns.map((id) => {
      const r = byId.get(id);
      const max = r?.maxPoints ?? maxOf.get(id) ?? 0;
      const points = r?.points ?? 0;
      const passed = r ? r.tests.filter((t) => t.status === "passed").length : 0;
      const title = `${id}: ${formatPoints(points)} / ${formatPoints(max)}${r ? `, ${passed}/${r.tests.length} tests` : ", not graded"}`;
      return `<td class="cell" style="background:${heat(points, max)}" title="${escapeHtml(title)}">${formatPoints(points)}</td>`;
    });
    const total = `<td class="total" style="background:${heat(report.points, report.maxPoints)}">${formatPoints(report.points)} / ${formatPoints(report.maxPoints)}</td>`;
    return `<tr><th class="name"><a href="#s${i}">${escapeHtml(report.submission)}</a></th>${cells.join("")}${total}<td>${flagBadges(report.flags)}</td></tr>`;
  });
  return `<table class="heatmap">\n${head}\n${rows.join("\n")}\n</table>`;
}

function details(report: SubmissionReport, index: number): string {
  const parts = [`<section id="s${index}">`, `<h2>${escapeHtml(report.submission)} — ${formatPoints(report.points)} / ${formatPoints(report.maxPoints)}</h2>`];
  if (report.flags.length > 0) {
    parts.push(`<ul class="flags">${report.flags.map((f) => `<li>${flagBadges([f])} ${escapeHtml(FLAG_MEANINGS[f] ?? "")}</li>`).join("")}</ul>`);
  }
  if (report.error) parts.push(`<pre class="error">${escapeHtml(report.error.slice(0, MAX_MESSAGE))}</pre>`);
  const changed = report.protectedFiles;
  if (changed) {
    const lists = (["changed", "added", "missing"] as const).filter((k) => changed[k].length > 0).map((k) => `<li>${k}: ${changed[k].map((f) => `<code>${escapeHtml(f)}</code>`).join(", ")}</li>`);
    if (lists.length > 0) parts.push(`<p>Protected files that differ from the release:</p><ul>${lists.join("")}</ul>`);
  }
  for (const ex of report.exercises.filter((e) => e.flags.length > 0 || e.loadError)) {
    parts.push(`<p>Exercise ${ex.id} (${escapeHtml(ex.title)}): ${flagBadges(ex.flags)}</p>`);
    if (ex.loadError) parts.push(`<p>Its tests did not load:</p><pre class="error">${escapeHtml(ex.loadError.slice(0, MAX_MESSAGE))}</pre>`);
  }
  const failing = report.requirements.filter((r) => r.tests.some((t) => t.status !== "passed") || (r.tests.length === 0 && r.points < r.maxPoints));
  if (failing.length === 0 && !report.error) parts.push("<p>Every graded test passed.</p>");
  for (const r of failing) {
    parts.push(`<h3>${escapeHtml(r.id)} — ${formatPoints(r.points)} / ${formatPoints(r.maxPoints)}</h3><ul class="tests">`);
    if (r.tests.length === 0) parts.push(`<li>no test result${report.exercises.some((ex) => ex.id === r.exercise && ex.loadError) ? " (its exercise's tests did not load, see above)" : ""}</li>`);
    for (const t of r.tests.filter((t) => t.status !== "passed")) {
      const message = t.message.length > MAX_MESSAGE ? `${t.message.slice(0, MAX_MESSAGE)}…` : t.message;
      parts.push(`<li><span class="status ${escapeHtml(t.status)}">${escapeHtml(t.status)}</span> ${escapeHtml(t.name)}${message ? `<pre>${escapeHtml(message)}</pre>` : ""}</li>`);
    }
    parts.push("</ul>");
  }
  parts.push("</section>");
  return parts.join("\n");
}

const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; }
table.heatmap { border-collapse: collapse; }
.heatmap th, .heatmap td { border: 1px solid #ccc; padding: 2px 6px; text-align: center; }
.heatmap th.name { text-align: left; font-weight: normal; white-space: nowrap; }
.cell { min-width: 2.5em; } .total { font-weight: bold; white-space: nowrap; }
.flag { background: #fde2e2; border: 1px solid #d88; border-radius: 3px; padding: 0 4px; font-size: 12px; white-space: nowrap; }
pre { background: #f6f6f6; padding: 6px; white-space: pre-wrap; overflow-wrap: anywhere; max-height: 20em; overflow: auto; }
.status { font-family: monospace; padding: 0 4px; border-radius: 3px; background: #eee; }
.status.failed, .status.crashed { background: #fde2e2; } .status.timeout { background: #fff0c2; }
section { border-top: 1px solid #ccc; margin-top: 1.5em; }
`;

/** The gradebook page for a class: heatmap, then one section per submission. */
export function gradebookHtml(reports: SubmissionReport[], config: GradingConfig, generatedAt = new Date()): string {
  const legend = Object.entries(FLAG_MEANINGS).map(([f, meaning]) => `<li>${flagBadges([f])} ${escapeHtml(meaning)}</li>`).join("");
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Gradebook</title>
<style>${STYLE}</style>
</head>
<body>
<h1>Gradebook: ${reports.length} submission(s)</h1>
<p>Generated ${escapeHtml(generatedAt.toISOString())}. Each cell shows a requirement's points (hover for tests passed); click a name for its failing tests.</p>
${heatmap(reports, config)}
<details><summary>Flags</summary><ul>${legend}</ul></details>
${reports.map(details).join("\n")}
</body>
</html>
`;
}
