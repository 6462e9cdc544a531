import {
  FeaturePipeline,
  MetricsRegistry,
  createRandom,
  makeRecords,
  type Feature,
  type NormalizedRecord,
  type PipelineRecord,
} from "../src";
import { fusedPipeline } from "./ex3Fused";

/** The same three stages as FeaturePipeline, undecorated: what the work costs without any metrics. */
function* threshold(records: Iterable<PipelineRecord>): Generator<PipelineRecord> {
  for (const r of records) if (r.value > 50) yield r;
}
function* normalize(records: Iterable<PipelineRecord>): Generator<NormalizedRecord> {
  for (const { id, value } of records) yield { id, normalized: value / 100 };
}
function* features(records: Iterable<NormalizedRecord>): Generator<Feature> {
  for (const { id, normalized } of records) {
    const bucket = normalized < 1 / 3 ? "low" : normalized < 2 / 3 ? "mid" : "high";
    yield { id, normalized, squared: normalized * normalized, bucket };
  }
}

function bare(records: PipelineRecord[]): number {
  let n = 0;
  for (const _ of features(normalize(threshold(records)))) n++;
  return n;
}

function decorated(records: PipelineRecord[]): number {
  MetricsRegistry.reset();
  let n = 0;
  for (const _ of new FeaturePipeline().run(records)) n++;
  return n;
}

/**
 * One loop doing the same work with the same clock reads (one per record a stage yields, two per stage per run) and
 * the same counts and latency arrays: the floor for these figures.
 */
function handInlined(records: PipelineRecord[]): number {
  const lat = [[], [], []] as number[][];
  const counts = [0, 0, 0, 0, 0, 0];
  const start = [performance.now(), performance.now(), performance.now()];
  const prev = [...start];
  let n = 0;
  for (const r of records) {
    counts[0]++;
    if (!(r.value > 50)) continue;
    let now = performance.now();
    lat[0].push(now - prev[0]);
    prev[0] = now;
    counts[1]++;
    counts[2]++;
    const normalized = r.value / 100;
    now = performance.now();
    lat[1].push(now - prev[1]);
    prev[1] = now;
    counts[3]++;
    counts[4]++;
    const bucket = normalized < 1 / 3 ? "low" : normalized < 2 / 3 ? "mid" : "high";
    const f: Feature = { id: r.id, normalized, squared: normalized * normalized, bucket };
    now = performance.now();
    lat[2].push(now - prev[2]);
    prev[2] = now;
    counts[5]++;
    if (f) n++;
  }
  for (let i = 0; i < 3; i++) start[i] = performance.now() - start[i];
  return n;
}

function nsPerRecord(fn: (r: PipelineRecord[]) => number, records: PipelineRecord[], runs: number): number {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    fn(records);
    samples.push(Number(process.hrtime.bigint() - start) / records.length);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

/** Fails the benchmark when the fused variant's figures differ from the decorators' (same counts, as many latencies). */
function checkSameFigures(records: PipelineRecord[]): void {
  const figures = () => JSON.stringify([...MetricsRegistry.entries()].map(([name, m]) => [name, m.recordsIn, m.recordsOut, m.latencies.length]));
  decorated(records);
  const expected = figures();
  fusedPipeline(records);
  if (figures() !== expected) throw new Error(`bench/ex3: the fused variant measures ${figures()}, the decorators ${expected}`);
}

export function benchExercise3(log: (line: string) => void = console.log): void {
  log("Exercise 3: ns per record (median of runs in one process; lower is better)");
  log("records    bare  decorated  fused  hand-inlined  decorated/fused  decorated/hand-inlined  decorated/bare");
  for (const [size, runs] of [
    [5_000, 41],
    [1_000_000, 7],
  ] as const) {
    const records = makeRecords(size, createRandom(34));
    checkSameFigures(records);
    for (const fn of [bare, decorated, fusedPipeline, handInlined]) fn(records); // warm up
    const b = nsPerRecord(bare, records, runs);
    const d = nsPerRecord(decorated, records, runs);
    const f = nsPerRecord(fusedPipeline, records, runs);
    const h = nsPerRecord(handInlined, records, runs);
    log(
      `${String(size).padStart(7)} ${b.toFixed(1).padStart(7)} ${d.toFixed(1).padStart(10)} ${f.toFixed(1).padStart(6)} ${h.toFixed(1).padStart(13)} ${(d / f).toFixed(2).padStart(16)} ${(d / h).toFixed(2).padStart(23)} ${(d / b).toFixed(2).padStart(15)}`,
    );
  }
}

if (require.main === module) benchExercise3();
