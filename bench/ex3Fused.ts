import { MetricsRegistry, StageMetrics, type Feature, type NormalizedRecord, type PipelineRecord } from "../src";

/**
 * The same figures as `@countedStage` + `@timedStage` stacked (counts, latencies between consecutive yields,
 * elapsed time), from one hand-written iterator object per stage instead of three generators: what fusing the two
 * decorators would buy. Benchmark-only; not the library's path.
 */
function fused<T>(name: string, stage: (input: Iterable<unknown>) => Iterator<T>, input: Iterable<unknown>): IterableIterator<T> {
  const counts = { recordsIn: 0, recordsOut: 0 };
  const latencies: number[] = [];
  let startedAt = -1;
  let previous = 0;
  let done = false;
  const source = input[Symbol.iterator]();
  const counted: IterableIterator<unknown> = {
    next() {
      const r = source.next();
      if (!r.done) counts.recordsIn++;
      return r;
    },
    return(value?: unknown) {
      return source.return ? source.return(value) : { done: true, value };
    },
    [Symbol.iterator]() {
      return counted;
    },
  };
  let inner: Iterator<T> | undefined;
  const finish = () => {
    if (done) return;
    done = true;
    const elapsedMs = performance.now() - startedAt;
    MetricsRegistry.register(name, new StageMetrics(name, { counts, timing: { latencies, elapsedMs } }));
  };
  const it: IterableIterator<T> = {
    next() {
      if (done) return { done: true, value: undefined };
      if (startedAt < 0) previous = startedAt = performance.now();
      inner ??= stage(counted);
      let r: IteratorResult<T>;
      try {
        r = inner.next();
      } catch (error) {
        finish();
        throw error;
      }
      if (r.done) finish();
      else {
        const now = performance.now();
        latencies.push(now - previous);
        previous = now;
        counts.recordsOut++;
      }
      return r;
    },
    return(value?: unknown) {
      try {
        inner?.return?.(value);
      } finally {
        if (startedAt >= 0) finish();
        done = true;
      }
      return { done: true, value: value as T };
    },
    [Symbol.iterator]() {
      return it;
    },
  };
  return it;
}

function* threshold(records: Iterable<unknown>): Generator<PipelineRecord> {
  for (const r of records as Iterable<PipelineRecord>) if (r.value > 50) yield r;
}
function* normalize(records: Iterable<unknown>): Generator<NormalizedRecord> {
  for (const { id, value } of records as Iterable<PipelineRecord>) yield { id, normalized: value / 100 };
}
function* features(records: Iterable<unknown>): Generator<Feature> {
  for (const { id, normalized } of records as Iterable<NormalizedRecord>) {
    const bucket = normalized < 1 / 3 ? "low" : normalized < 2 / 3 ? "mid" : "high";
    yield { id, normalized, squared: normalized * normalized, bucket };
  }
}

/** Runs the three stages through {@link fused} wrappers; returns the number of features. */
export function fusedPipeline(records: PipelineRecord[]): number {
  MetricsRegistry.reset();
  let n = 0;
  for (const _ of fused("features", features, fused("normalize", normalize, fused("threshold", threshold, records)))) n++;
  return n;
}
