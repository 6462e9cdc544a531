import type { PipelineRecord } from "../shared/records";
import { countedStage } from "./countedStage";
import { timedStage } from "./timedStage";

/** A record after normalization: `value` scaled from [0, 100] to [0, 1]. */
export interface NormalizedRecord {
  id: number;
  normalized: number;
}

/** What the feature extractor yields for each record. */
export interface Feature {
  id: number;
  normalized: number;
  squared: number;
  bucket: "low" | "mid" | "high";
}

/** Options for {@link FeaturePipeline}. */
export interface FeaturePipelineOptions {
  /** Records with `value` above this pass the threshold filter; default 50. */
  threshold?: number;
}

/**
 * Three generator stages — threshold filter, normalizer, feature extractor — each carrying `@countedStage` and
 * `@timedStage` under one name: "threshold", "normalize" and "features".
 * @example
 * const features = [...new FeaturePipeline().run(records)];
 * MetricsRegistry.report();
 */
export class FeaturePipeline {
  readonly threshold: number;

  constructor(options: FeaturePipelineOptions = {}) {
    this.threshold = options.threshold ?? 50;
    if (!Number.isFinite(this.threshold)) {
      throw new TypeError(`FeaturePipeline: threshold: expected a finite number, got ${String(this.threshold)}`);
    }
  }

  /** Keeps the records whose value is above the threshold. */
  @countedStage("threshold")
  @timedStage("threshold")
  *thresholdFilter(records: Iterable<PipelineRecord>): Generator<PipelineRecord> {
    // TODO(R3.5): yield the records whose value is above this.threshold.
    // BEGIN SOLUTION R3.5
    for (const record of records) if (record.value > this.threshold) yield record;
    // END SOLUTION
  }

  /** Scales each value from [0, 100] to [0, 1]. */
  @countedStage("normalize")
  @timedStage("normalize")
  *normalize(records: Iterable<PipelineRecord>): Generator<NormalizedRecord> {
    // TODO(R3.5): yield { id, normalized: value / 100 } for each record.
    // BEGIN SOLUTION R3.5
    for (const { id, value } of records) yield { id, normalized: value / 100 };
    // END SOLUTION
  }

  /** Derives a feature vector from each normalized record. */
  @countedStage("features")
  @timedStage("features")
  *extractFeatures(records: Iterable<NormalizedRecord>): Generator<Feature> {
    // TODO(R3.5): yield { id, normalized, squared: normalized², bucket }: "low" below 1/3, "mid" from 1/3 up to
    // (not including) 2/3, "high" from 2/3.
    // BEGIN SOLUTION R3.5
    for (const { id, normalized } of records) {
      const bucket = normalized < 1 / 3 ? "low" : normalized < 2 / 3 ? "mid" : "high";
      yield { id, normalized, squared: normalized * normalized, bucket };
    }
    // END SOLUTION
  }

  /** Chains the three stages lazily; nothing runs until the result is iterated. */
  run(records: Iterable<PipelineRecord>): Generator<Feature> {
    return this.extractFeatures(this.normalize(this.thresholdFilter(records)));
  }
}
