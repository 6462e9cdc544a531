import type { GradeResult } from "../result";

/** Points as reports show them: whole numbers as they are, else two decimals. */
export const fmtPoints = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(2));

/** The first non-empty line of a text, trimmed and at most `max` characters. */
export function firstLine(text: string, max = 300): string {
  const line = (text.split("\n").find((l) => l.trim()) ?? "").trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/**
 * The line that says how many points hidden tests carry (issue 22), when they did not run here (the student's
 * repository has no hidden test files); undefined otherwise.
 */
export function hiddenNote(result: GradeResult): string | undefined {
  if (result.hiddenRan || result.hiddenMaxPoints <= 0) return undefined;
  return `${fmtPoints(result.hiddenMaxPoints)} of the ${fmtPoints(result.maxPoints)} points come from hidden tests your instructor runs: they check the same written requirements on other inputs, so they are not counted here (the most you can see here is ${fmtPoints(result.maxPoints - result.hiddenMaxPoints)}).`;
}
