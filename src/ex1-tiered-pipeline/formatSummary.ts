import type { PipelineSummary } from "./types";

/**
 * Formats a summary as one JSON line, with `durationMs` rounded to hundredths of a millisecond.
 * @param summary - what `summary()` returned
 * @example formatSummary(s) // '{"pipelineId":"batch-1","recordsIn":20,"recordsOut":9,"durationMs":0.39,"tiersOpened":[…]}'
 */
export function formatSummary(summary: PipelineSummary): string {
  return JSON.stringify({ ...summary, durationMs: roundMs(summary.durationMs) });
}

/** Rounds a duration to hundredths of a millisecond (10 µs), which is as fine as a timer under load means anything. */
export function roundMs(ms: number): number {
  return Math.round(ms * 100) / 100;
}
