import {
  FeaturePipeline,
  MetricsRegistry,
  createRandom,
  makeRecords,
  type Feature,
  type NormalizedRecord,
  type PipelineRecord,
} from "../src";

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

/** One loop doing the same work with the same clock reads and latency arrays: the floor for this design. */
function handInlined(records: PipelineRecord[]): number {
  const lat = [[], [], []] as number[][];
  const counts = [0, 0, 0, 0, 0, 0];
  let n = 0;
  for (const r of records) {
    let t = performance.now();
    counts[0]++;
    const kept = r.value > 50;
    let dt = performance.now() - t;
    if (!kept) continue;
    lat[0].push(dt);
    counts[1]++;
    t = performance.now();
    counts[2]++;
    const normalized = r.value / 100;
    dt = performance.now() - t;
    lat[1].push(dt);
    counts[3]++;
    t = performance.now();
    counts[4]++;
    const bucket = normalized < 1 / 3 ? "low" : normalized < 2 / 3 ? "mid" : "high";
    const f: Feature = { id: r.id, normalized, squared: normalized * normalized, bucket };
    dt = performance.now() - t;
    lat[2].push(dt);
    counts[5]++;
    if (f) n++;
  }
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

export function benchExercise3(log: (line: string) => void = console.log): void {
  log("Exercise 3: ns per record (median of runs in one process; lower is better)");
  log("records    bare  decorated  hand-inlined  decorated/hand-inlined  decorated/bare");
  for (const [size, runs] of [
    [5_000, 41],
    [1_000_000, 7],
  ] as const) {
    const records = makeRecords(size, createRandom(34));
    for (const fn of [bare, decorated, handInlined]) fn(records); // warm up
    const b = nsPerRecord(bare, records, runs);
    const d = nsPerRecord(decorated, records, runs);
    const h = nsPerRecord(handInlined, records, runs);
    log(
      `${String(size).padStart(7)} ${b.toFixed(1).padStart(7)} ${d.toFixed(1).padStart(10)} ${h.toFixed(1).padStart(13)} ${(d / h).toFixed(2).padStart(23)} ${(d / b).toFixed(2).padStart(15)}`,
    );
  }
}

if (require.main === module) benchExercise3();
