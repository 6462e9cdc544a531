import { percentile } from "./percentile";

/** What `@countedStage` measures in one run of a stage. */
export interface CountFigures {
  recordsIn: number;
  recordsOut: number;
}

/** What `@timedStage` measures in one run of a stage. */
export interface TimingFigures {
  /** Per-record latency in milliseconds, in the order the records came out. */
  latencies: number[];
  /** Time spent inside the stage (all its `next()` calls), in milliseconds. */
  elapsedMs: number;
  /** Records the stage yielded. */
  recordsOut: number;
}

/**
 * The metrics of one stage: counts from `@countedStage`, timings from `@timedStage`, or both merged.
 *
 * Latencies and percentiles are in milliseconds; percentiles use the nearest-rank method.
 */
export class StageMetrics {
  counts?: CountFigures;
  timing?: TimingFigures;
  private sorted?: number[];

  constructor(readonly stageName: string, parts: { counts?: CountFigures; timing?: TimingFigures } = {}) {
    this.counts = parts.counts;
    this.timing = parts.timing;
  }

  /** Records the stage pulled from its input (0 until counted). */
  get recordsIn(): number {
    return this.counts?.recordsIn ?? 0;
  }

  /** Records the stage yielded. */
  get recordsOut(): number {
    return this.counts?.recordsOut ?? this.timing?.recordsOut ?? 0;
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

  /** Records out per second of the stage's own elapsed time; 0 when no time was measured. */
  get throughput(): number {
    // TODO(R3.3): records out per second of elapsed stage time (elapsedMs is in milliseconds).
    // BEGIN SOLUTION R3.3
    const ms = this.timing?.elapsedMs ?? 0;
    return ms > 0 ? (this.recordsOut * 1000) / ms : 0;
    // END SOLUTION
  }

  /** Takes over the parts `other` has (counts, timing), keeping the rest: how two decorators share one entry. */
  merge(other: StageMetrics): this {
    // TODO(R3.4): take `other`'s counts and/or timing where it has them, keep the parts it lacks, and return this.
    // BEGIN SOLUTION R3.4
    if (other.counts) this.counts = other.counts;
    if (other.timing) {
      this.timing = other.timing;
      this.sorted = undefined;
    }
    return this;
    // END SOLUTION
  }

  private sortedLatencies(): number[] {
    return (this.sorted ??= [...this.latencies].sort((a, b) => a - b));
  }
}
