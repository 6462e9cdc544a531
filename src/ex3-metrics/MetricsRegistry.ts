import { defaultLog, type Logger } from "../shared/Logger";
import { StageMetrics } from "./StageMetrics";

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
   * Stores a stage's metrics; a second registration under the same name merges into the first, so
   * `@countedStage` and `@timedStage` on one method make one entry.
   */
  static register(name: string, metrics: StageMetrics): void {
    // TODO(R3.1): store metrics under name; if an entry exists, merge into it (StageMetrics.merge).
    // BEGIN SOLUTION R3.1
    const existing = MetricsRegistry.stages.get(name);
    if (existing) existing.merge(metrics);
    else MetricsRegistry.stages.set(name, metrics);
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
   * Prints a table of every stage — records in/out, filter ratio, throughput, mean and percentile latencies — and
   * returns it.
   * @param log - where the table goes; default `console.log`
   */
  static report(log: Logger = defaultLog): string {
    const header = ["stage", "in", "out", "ratio", "throughput (rec/s)", "mean (ms)", "p50 (ms)", "p95 (ms)", "p99 (ms)"];
    const rows: string[][] = [];
    // TODO(R3.1): one row per stage with the figures above, numbers formatted to a fixed number of decimals.
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
    const table = formatTable(header, rows);
    log(table);
    return table;
  }
}

/** Aligns columns: the first to the left, the others (numbers) to the right. */
function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  return [line(header), rule, ...rows.map(line)].join("\n");
}
