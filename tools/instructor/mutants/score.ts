/** The subset of Stryker's mutation-testing-report-schema (mutation.json) that the score reads. */
export interface MutationReport {
  files: Record<string, { source?: string; mutants: ReportMutant[] }>;
}

/** One mutant as Stryker reports it; lines and columns are 1-based. */
export interface ReportMutant {
  id: string;
  mutatorName: string;
  replacement?: string;
  status: string;
  statusReason?: string;
  location: { start: { line: number; column: number }; end: { line: number; column: number } };
}

/** Where a requirement's code is: its file and the lines of its markers. */
export interface RegionLike {
  file: string;
  requirement: string;
  begin: number;
  end: number;
}

/** A mutant that the tests did not kill, for the survivor list. */
export interface Survivor {
  file: string;
  line: number;
  column: number;
  mutatorName: string;
  /** The code the mutant replaced (from the report's copy of the source), "" when the report has no source. */
  original: string;
  replacement: string;
  /** Survived, NoCoverage, or "Ignored without a reason" (counted as alive). */
  status: string;
}

/** Mutant counts and score for one requirement. */
export interface RequirementScore {
  requirement: string;
  killed: number;
  timeout: number;
  survived: number;
  noCoverage: number;
  /** Disabled with a `// Stryker disable … : reason` comment: left out of the score. */
  ignored: number;
  /** Disabled without a reason: counted as alive. */
  ignoredWithoutReason: number;
  /** Compile and runtime errors: invalid mutants, left out of the score, as Stryker does. */
  invalid: number;
  /** killed + timeout over killed + timeout + survived + noCoverage + ignoredWithoutReason, in percent; NaN when that is 0. */
  score: number;
  survivors: Survivor[];
}

/** The reason Stryker records for a disable comment that gives none. */
export const DEFAULT_IGNORE_REASON = "Ignored using a comment";

/** The score every requirement must reach (issue 14). */
export const TARGET_SCORE = 95;

/** Whether an Ignored mutant was disabled with a stated reason (a reviewed equivalent mutant). */
export function hasReason(mutant: ReportMutant): boolean {
  const reason = mutant.statusReason?.trim() ?? "";
  return reason !== "" && reason !== DEFAULT_IGNORE_REASON;
}

function emptyScore(requirement: string): RequirementScore {
  return { requirement, killed: 0, timeout: 0, survived: 0, noCoverage: 0, ignored: 0, ignoredWithoutReason: 0, invalid: 0, score: NaN, survivors: [] };
}

/** Orders "R1.10" after "R1.9". */
function compareRequirements(a: string, b: string): number {
  const [a1, a2] = a.slice(1).split(".").map(Number);
  const [b1, b2] = b.slice(1).split(".").map(Number);
  return a1 - b1 || a2 - b2;
}

/**
 * Scores each requirement from a Stryker report: every mutant is assigned to the region whose markers enclose its
 * first line; mutants outside every region are not counted.
 * @param report - the parsed `reports/mutation/mutation.json`
 * @param regions - the solution regions (files relative to the project root, as in the report)
 * @param requirements - requirements to list even when they have no mutant (default: those of `regions`)
 * @returns one score per requirement, in requirement order
 */
export function scoreRequirements(report: MutationReport, regions: RegionLike[], requirements?: string[]): RequirementScore[] {
  const scores = new Map<string, RequirementScore>();
  for (const r of requirements ?? regions.map((x) => x.requirement)) if (!scores.has(r)) scores.set(r, emptyScore(r));
  const normalize = (f: string) => f.replace(/\\/g, "/").replace(/^\.\//, "");
  for (const [reportFile, { source, mutants }] of Object.entries(report.files)) {
    const file = normalize(reportFile);
    const lines = source?.split("\n");
    const inFile = regions.filter((r) => normalize(r.file) === file);
    for (const m of mutants) {
      const line = m.location.start.line;
      const region = inFile.find((r) => line > r.begin && line < r.end);
      if (!region) continue;
      let s = scores.get(region.requirement);
      if (!s) scores.set(region.requirement, (s = emptyScore(region.requirement)));
      const survivor = (status: string) =>
        s.survivors.push({
          file,
          line,
          column: m.location.start.column,
          mutatorName: m.mutatorName,
          original: lines ? textAt(lines, m.location) : "",
          replacement: m.replacement ?? "",
          status,
        });
      switch (m.status) {
        case "Killed":
          s.killed++;
          break;
        case "Timeout":
          s.timeout++;
          break;
        case "Survived":
          s.survived++;
          survivor("Survived");
          break;
        case "NoCoverage":
          s.noCoverage++;
          survivor("NoCoverage");
          break;
        case "Ignored":
          if (hasReason(m)) {
            s.ignored++;
          } else {
            s.ignoredWithoutReason++;
            survivor("Ignored without a reason");
          }
          break;
        default:
          // CompileError, RuntimeError: the mutant is invalid code; Stryker leaves these out of its score too.
          s.invalid++;
      }
    }
  }
  for (const s of scores.values()) {
    const detected = s.killed + s.timeout;
    const valid = detected + s.survived + s.noCoverage + s.ignoredWithoutReason;
    s.score = valid === 0 ? NaN : (100 * detected) / valid;
    s.survivors.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
  }
  return [...scores.values()].sort((a, b) => compareRequirements(a.requirement, b.requirement));
}

/** The text of a 1-based location (columns too) in a file split into lines. */
export function textAt(lines: string[], location: ReportMutant["location"]): string {
  const { start, end } = location;
  if (start.line === end.line) return (lines[start.line - 1] ?? "").slice(start.column - 1, end.column - 1);
  return [
    (lines[start.line - 1] ?? "").slice(start.column - 1),
    ...lines.slice(start.line, end.line - 1),
    (lines[end.line - 1] ?? "").slice(0, end.column - 1),
  ].join("\n");
}

/** Sums several requirements' counts into one row (the "all" line of the table). */
export function totalScore(scores: RequirementScore[], label = "all"): RequirementScore {
  const t = emptyScore(label);
  for (const s of scores) {
    t.killed += s.killed;
    t.timeout += s.timeout;
    t.survived += s.survived;
    t.noCoverage += s.noCoverage;
    t.ignored += s.ignored;
    t.ignoredWithoutReason += s.ignoredWithoutReason;
    t.invalid += s.invalid;
    t.survivors.push(...s.survivors);
  }
  const detected = t.killed + t.timeout;
  const valid = detected + t.survived + t.noCoverage + t.ignoredWithoutReason;
  t.score = valid === 0 ? NaN : (100 * detected) / valid;
  return t;
}

/** Formats a percentage with one decimal, "—" when there were no mutants. */
export function formatPercent(score: number): string {
  return Number.isNaN(score) ? "—" : `${score.toFixed(1)}%`;
}

/**
 * Renders the per-requirement table and, under it, each requirement's surviving mutants as file:line:column.
 * @param scores - from {@link scoreRequirements}
 * @returns the text to print
 */
export function formatScores(scores: RequirementScore[]): string {
  const header = ["requirement", "killed", "timeout", "survived", "no cov", "ignored", "unreasoned", "invalid", "score"];
  const row = (s: RequirementScore) => [
    s.requirement,
    ...[s.killed, s.timeout, s.survived, s.noCoverage, s.ignored, s.ignoredWithoutReason, s.invalid].map(String),
    `${formatPercent(s.score)}${!Number.isNaN(s.score) && s.score < TARGET_SCORE ? " ✘" : ""}`,
  ];
  const rows = [header, ...scores.map(row), row(totalScore(scores))];
  const widths = header.map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const render = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  const lines = [render(rows[0]), ...rows.slice(1, -1).map(render), render(rows[rows.length - 1])];
  lines.push("", `Target: ${TARGET_SCORE}% per requirement (killed + timeout over all valid mutants; "unreasoned" = disabled without a reason, counted as alive).`);
  for (const s of scores) {
    if (s.survivors.length === 0) continue;
    lines.push("", `${s.requirement} survivors (${s.survivors.length}):`);
    for (const v of s.survivors) {
      const from = v.original ? `${oneLine(v.original)} ` : "";
      const what = v.replacement ? `${v.mutatorName}: ${from}→ ${oneLine(v.replacement)}` : v.mutatorName;
      lines.push(`  ${v.file}:${v.line}:${v.column}  ${what}${v.status === "Survived" ? "" : `  [${v.status}]`}`);
    }
  }
  return lines.join("\n");
}

/** Shortens code to one line of at most 60 characters. */
function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 60 ? `${flat.slice(0, 57)}...` : flat;
}
