import { percentile } from "./percentile";

/** What `@countedStage` measures in one run of a stage. */
export interface CountFigures {
  /** Records the stage pulled from its input. */
  recordsIn: number;
  /** Records the stage yielded. */
  recordsOut: number;
}

/** What `@timedStage` measures in one run of a stage. */
export interface TimingFigures {
  /** Per-record latency in milliseconds (time between consecutive yields), in the order the records came out. */
  latencies: number[];
  /** Time from the stage's first pull to its end, in milliseconds. */
  elapsedMs: number;
}

/**
 * The metrics of one stage: counts from `@countedStage`, timings from `@timedStage`, or both merged.
 *
 * Latencies and percentiles are in milliseconds; percentiles use the nearest-rank method.
 * @example
 * const m = new StageMetrics("evens", { counts: { recordsIn: 8, recordsOut: 4 } });
 * m.filterRatio; // 0.5
 */
export class StageMetrics {
  counts?: CountFigures;
  timing?: TimingFigures;
  private sortedFrom?: readonly number[];
  private sorted: number[] = [];

  constructor(readonly stageName: string, parts: { counts?: CountFigures; timing?: TimingFigures } = {}) {
    this.counts = parts.counts;
    this.timing = parts.timing;
  }

  /** Records the stage pulled from its input (0 until counted). */
  get recordsIn(): number {
    return this.counts?.recordsIn ?? 0;
  }

  /** Records the stage yielded: the count, or else the number of latencies. */
  get recordsOut(): number {
    return this.counts?.recordsOut ?? this.latencies.length;
  }

  /** recordsOut / recordsIn; 0 when nothing came in. */
  get filterRatio(): number {
    // TODO(R3.2): recordsOut / recordsIn, and 0 (not NaN) when nothing came in.
    // BEGIN SOLUTION R3.2
    return this.recordsIn === 0 ? 0 : this.recordsOut / this.recordsIn;
    // END SOLUTION
  }

  /** Per-record latencies in milliseconds (empty until timed). */
  get latencies(): readonly number[] {
    return this.timing?.latencies ?? [];
  }

  /** Time from the stage's first pull to its end, in milliseconds (0 until timed). */
  get elapsedMs(): number {
    return this.timing?.elapsedMs ?? 0;
  }

  /** Mean latency in milliseconds; 0 without records. */
  get meanLatency(): number {
    const l = this.latencies;
    return l.length === 0 ? 0 : l.reduce((a, b) => a + b, 0) / l.length;
  }

  /** Median latency (ms, nearest rank). */
  get p50(): number {
    return percentile(this.sortedLatencies(), 50);
  }

  /** 95th-percentile latency (ms, nearest rank). */
  get p95(): number {
    return percentile(this.sortedLatencies(), 95);
  }

  /** 99th-percentile latency (ms, nearest rank). */
  get p99(): number {
    return percentile(this.sortedLatencies(), 99);
  }

  /** Records out per second of the stage's elapsed time; 0 when no time was measured. */
  get throughput(): number {
    // TODO(R3.3): recordsOut per second of elapsedMs (which is in milliseconds); 0 when elapsedMs is not above 0.
    // BEGIN SOLUTION R3.3
    return this.elapsedMs > 0 ? (this.recordsOut * 1000) / this.elapsedMs : 0;
    // END SOLUTION
  }

  /**
   * Takes over the parts `other` has (counts, timing) and keeps the ones it lacks. The registry calls it when a
   * name is registered again: the second decorator of a stacked stage, or a later run of the stage.
   */
  merge(other: StageMetrics): void {
    // TODO(R3.4): take `other`'s counts if it has them and its timing if it has it; keep the part it lacks. Then say
    // here which composition you chose (docs/exercise-3.md, "Composition"): one merged entry, or two entries.
    // BEGIN SOLUTION R3.4
    if (other.counts) this.counts = other.counts;
    if (other.timing) this.timing = other.timing;
    // Our choice: one merged entry. Both decorators register under the stage name, so the second registration of a
    // run lands here and the entry ends with counts and timing.
    // END SOLUTION
  }

  /** The latencies in ascending order, sorted again only when they changed. */
  private sortedLatencies(): number[] {
    const latencies = this.latencies;
    if (this.sortedFrom !== latencies) {
      this.sorted = [...latencies].sort((a, b) => a - b);
      this.sortedFrom = latencies;
    }
    return this.sorted;
  }
}
