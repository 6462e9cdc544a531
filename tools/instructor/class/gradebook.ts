/**
 * The class gradebook built from the submissions' results (`npm run grade -- --submission DIR --out FILE` writes one): `gradebook.csv`, one row per submission, for a spreadsheet or an LMS.
 */
import type { GradeResult } from "../../core/result";
import type { GradingConfig } from "../../core/config";
import type { ProtectedCheck } from "./protected";

/** A submission's result (tools/core/result.ts), plus what class grading adds. */
export interface SubmissionReport extends GradeResult {
  /** Added by class grading: which protected files differ from the release's manifest. */
  protectedFiles?: ProtectedCheck;
}

/** What each flag means, for the HTML report and the docs. */
export const FLAG_MEANINGS: Record<string, string> = {
  "compile-error": "an exercise's tests could not load the code (a syntax error, a missing export…); that exercise scores 0",
  timeout: "a test, a requirement or the whole submission ran past its time limit (an endless loop?)",
  crashed: "a test process or the grader stopped unexpectedly (process.exit(), a crash)",
  tampered: "the test harness was tampered with (a canary test came out wrong); the submission scores 0",
  "too-large": "the submission's src/ exceeded the grader's size limit; only part of it was copied and graded",
  "symlink:PATH": "the submission's src/ holds a symlink at PATH; symlinks are never followed or copied, so code loading it fails",
  "protected-files-changed": "the submission changed, added or removed files it must not change (tests, grading.json, scripts, config, workflows); on Classroom those copies are what ran",
};

/** Whether a parsed JSON value has the shape of a submission's result (an older report's is regraded). */
export function isSubmissionReport(value: unknown): value is SubmissionReport {
  const r = value as SubmissionReport;
  return (
    typeof r === "object" &&
    r !== null &&
    typeof r.submission === "string" &&
    Number.isFinite(r.points) &&
    Number.isFinite(r.maxPoints) &&
    Number.isFinite(r.hiddenMaxPoints) &&
    typeof r.hiddenRan === "boolean" &&
    Array.isArray(r.flags) &&
    r.flags.every((f) => typeof f === "string") &&
    Array.isArray(r.exercises) &&
    Array.isArray(r.requirements) &&
    r.requirements.every((q) => typeof q?.id === "string" && Number.isFinite(q.points) && Array.isArray(q.tests))
  );
}

/** A number as the gradebook shows it: at most two decimals, no trailing zeros. */
export function formatPoints(n: number): string {
  return String(Math.round(n * 100) / 100);
}

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote, CR or LF, or starts or ends with a space. Text that
 * a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab or CR) gets a leading `'`.
 */
export function csvField(text: string): string {
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]|^\s|\s$/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The requirement IDs of the config, in order: the gradebook's columns. */
export function requirementColumns(config: GradingConfig): string[] {
  return config.exercises.flatMap((ex) => Object.keys(ex.requirements));
}

/**
 * The class gradebook as CSV: a header (`submission`, one column per requirement, `total`, `flags`), then one row
 * per submission with its points. CRLF line ends, UTF-8, no BOM.
 */
export function gradebookCsv(reports: SubmissionReport[], config: GradingConfig): string {
  const columns = requirementColumns(config);
  const rows = [["submission", ...columns, "total", "flags"].map(csvField).join(",")];
  for (const report of reports) {
    const points = new Map(report.requirements.map((r) => [r.id, r.points]));
    const cells = columns.map((id) => (points.has(id) ? formatPoints(points.get(id)!) : ""));
    rows.push([csvField(report.submission), ...cells, formatPoints(report.points), csvField(report.flags.join(" "))].join(","));
  }
  return `${rows.join("\r\n")}\r\n`;
}
