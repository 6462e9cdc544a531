import { defaultLog, type Logger } from "../shared/Logger";
import type { StageMetrics } from "./StageMetrics";

/** The report's columns, in order: the stage name, then numbers (see docs/exercise-3.md for their formats). */
export const REPORT_COLUMNS = ["stage", "in", "out", "ratio", "throughput (rec/s)", "mean (ms)", "p50 (ms)", "p95 (ms)", "p99 (ms)"] as const;

/**
 * Holds the metrics of every stage by name, in one class-level map (the seed's singleton).
 * @example
 * MetricsRegistry.reset();
 * [...pipeline.run(records)];
 * MetricsRegistry.report();
 */
export class MetricsRegistry {
  private static readonly stages = new Map<string, StageMetrics>();

  private constructor() {}

  /**
   * Stores a stage's metrics under `name`. When `name` is already registered, the existing entry takes over what
   * the new one brings (`existing.merge(metrics)`, R3.4): how stacked decorators and later runs share one entry.
   */
  static register(name: string, metrics: StageMetrics): void {
    const existing = MetricsRegistry.stages.get(name);
    if (existing) {
      existing.merge(metrics);
      return;
    }
    // TODO(R3.1): store metrics under name in the class-level map.
    // BEGIN SOLUTION R3.1
    MetricsRegistry.stages.set(name, metrics);
    // END SOLUTION
  }

  /** Returns the metrics registered under `name`, if any. */
  static get(name: string): StageMetrics | undefined {
    return MetricsRegistry.stages.get(name);
  }

  /** Every `[name, metrics]` pair, in registration order. */
  static entries(): IterableIterator<[string, StageMetrics]> {
    return MetricsRegistry.stages.entries();
  }

  /** Forgets every stage (for tests and notebooks). */
  static reset(): void {
    MetricsRegistry.stages.clear();
  }

  /**
   * Prints a table with a header, a rule and one row per registered stage (in registration order), and returns it.
   * @param log - where the table goes; default `console.log`
   */
  static report(log: Logger = defaultLog): string {
    const rows: string[][] = [];
    // TODO(R3.1): push one row of cells per registered [name, metrics], in REPORT_COLUMNS order: name, recordsIn,
    // recordsOut, filterRatio with 3 decimals, throughput with 0 decimals, then meanLatency, p50, p95 and p99 with 4
    // decimals each (use StageMetrics' getters and toFixed).
    // BEGIN SOLUTION R3.1
    for (const [name, m] of MetricsRegistry.stages) {
      rows.push([
        name,
        String(m.recordsIn),
        String(m.recordsOut),
        m.filterRatio.toFixed(3),
        m.throughput.toFixed(0),
        ...[m.meanLatency, m.p50, m.p95, m.p99].map((ms) => ms.toFixed(4)),
      ]);
    }
    // END SOLUTION
    const table = formatTable([...REPORT_COLUMNS], rows);
    log(table);
    return table;
  }
}

/** Aligns columns two spaces apart: the first to the left, the others (numbers) to the right. */
function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => header.map((_, i) => (i === 0 ? (cells[i] ?? "").padEnd(widths[i]) : (cells[i] ?? "").padStart(widths[i]))).join("  ");
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  return [line(header), rule, ...rows.map(line)].join("\n");
}
