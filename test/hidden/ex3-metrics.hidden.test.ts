import { expect } from "../helpers/expect";
import * as sinon from "sinon";
import {
  FeaturePipeline,
  MetricsRegistry,
  REPORT_COLUMNS,
  StageMetrics,
  countedStage,
  percentile,
  runExercise3Demo,
  timedStage,
} from "../../src/ex3-metrics";
import { makeRecords } from "../../src/shared/records";
import { createRandom } from "../../src/shared/Random";
import { captureLog } from "../helpers/capture";
import { FakeRegistry, viewOf } from "../helpers/ex3Registry";

/**
 * Hidden tests (never released): the same documented rules as test/ex3-metrics.test.ts, on other stages,
 * inputs, costs, percentiles and seeds.
 */

let clock: sinon.SinonFakeTimers;
const finished: Record<string, number> = {};

/** A lazy input that counts how many records were pulled from it. */
function source(values: number[]) {
  const pulls = { count: 0 };
  function* gen() {
    for (const v of values) {
      pulls.count++;
      yield v;
    }
  }
  return { input: gen(), pulls };
}

class HiddenStages {
  offset = 100;

  @countedStage("oddsPlus")
  *oddsPlus(input: Iterable<number>, limit: number): Generator<number> {
    try {
      for (const n of input) {
        if (n > limit) return;
        if (n % 2 === 1) yield n + this.offset;
      }
    } finally {
      finished.oddsPlus = (finished.oddsPlus ?? 0) + 1;
    }
  }

  @countedStage("explodesAt")
  *explodesAt(input: Iterable<number>, bad: number): Generator<number> {
    for (const n of input) {
      if (n === bad) throw new TypeError(`bad ${n}`);
      yield n;
    }
  }

  @timedStage("slow")
  *slow(input: Iterable<number>, tail: number): Generator<number> {
    try {
      for (const cost of input) {
        clock.tick(cost);
        yield cost + this.offset;
      }
      clock.tick(tail);
    } finally {
      finished.slow = (finished.slow ?? 0) + 1;
    }
  }

  @countedStage("stacked")
  @timedStage("stacked")
  *stacked(input: Iterable<number>): Generator<number> {
    try {
      for (const cost of input) {
        clock.tick(cost);
        if (cost % 2 === 0) yield cost;
      }
    } finally {
      finished.stacked = (finished.stacked ?? 0) + 1;
    }
  }

  @timedStage("flipped")
  @countedStage("flipped")
  *flipped(input: Iterable<number>): Generator<number> {
    for (const cost of input) {
      clock.tick(cost);
      if (cost % 2 === 0) yield cost;
    }
  }
}

describe("Exercise 3 — hidden tests", () => {
  beforeEach(() => {
    MetricsRegistry.reset();
    for (const key of Object.keys(finished)) delete finished[key];
    clock = sinon.useFakeTimers({ toFake: ["performance", "Date"] });
  });
  afterEach(() => {
    clock.restore();
    sinon.restore();
  });

  describe("R3.1 MetricsRegistry", () => {
    /** A StageMetrics look-alike with fixed figures. */
    const fixed = (stageName: string, f: number[]) => {
      const [recordsIn, recordsOut, filterRatio, throughput, meanLatency, p50, p95, p99] = f;
      return { stageName, recordsIn, recordsOut, filterRatio, throughput, meanLatency, p50, p95, p99 } as unknown as StageMetrics;
    };

    it("R3.1 rows follow registration order (not name order) with each figure formatted as documented", () => {
      const figures: Record<string, number[]> = {
        zeta: [3, 1, 1 / 3, 1234.5, 2.5, 0.0625, 12.34567, 99],
        alpha: [70000, 69999, 69999 / 70000, 0.4, 1 / 7, 2 / 3, 5, 1e3],
        mid: [1, 0, 0, 0, 0.00004, 0.00006, 1.23456789, 7.77777],
      };
      for (const [name, f] of Object.entries(figures)) MetricsRegistry.register(name, fixed(name, f));
      expect([...MetricsRegistry.entries()].map(([n]) => n), "entries() after registering zeta, alpha, mid").to.deep.equal(["zeta", "alpha", "mid"]);
      const { log, lines } = captureLog();
      const table = MetricsRegistry.report(log);
      expect(lines, "what report(log) printed").to.deep.equal([table]);
      const rows = table.split("\n");
      expect(rows[0].trim().split(/\s{2,}/), "the header").to.deep.equal([...REPORT_COLUMNS]);
      const expected = Object.entries(figures).map(([name, [i, o, ratio, tp, mean, p50, p95, p99]]) => [
        name, String(i), String(o), ratio.toFixed(3), tp.toFixed(0), ...[mean, p50, p95, p99].map((x) => x.toFixed(4)),
      ]);
      expect(rows.slice(2).map((r) => r.trim().split(/\s+/)), `the rows of:\n${table}`).to.deep.equal(expected);
      expect(rows.map((r) => r.length), "line lengths").to.deep.equal(rows.map(() => rows[0].length));
    });

    it("R3.1 a stage registered after a report shows in the next report; get reads it back", () => {
      const one = fixed("one", [1, 1, 1, 1, 1, 1, 1, 1]);
      MetricsRegistry.register("one", one);
      const first = MetricsRegistry.report(() => {});
      const two = fixed("two", [2, 2, 1, 2, 2, 2, 2, 2]);
      MetricsRegistry.register("two", two);
      expect(MetricsRegistry.get("two"), 'get("two")').to.equal(two);
      const second = MetricsRegistry.report(() => {});
      expect([first.split("\n").length, second.split("\n").length], "lines of the first and second report").to.deep.equal([3, 4]);
      expect(second.split("\n")[3].trim().split(/\s+/)[0], "the last row's stage").to.equal("two");
    });
  });

  describe("R3.2 @countedStage", () => {
    let registry: FakeRegistry;
    beforeEach(() => (registry = new FakeRegistry()));

    it("R3.2 counts only what is pulled from a lazy input, with `this` and the second argument passed through", () => {
      const { input, pulls } = source([1, 2, 3, 5, 8, 13, 21, 34]);
      const stages = new HiddenStages();
      stages.offset = 1000;
      expect([...stages.oddsPlus(input, 10)], "output for 1,2,3,5,8,13,… with limit 10").to.deep.equal([1001, 1003, 1005]);
      expect(pulls.count, "records pulled from the input").to.equal(6);
      expect(registry.callsFor("oddsPlus").map(([, m]) => m.counts), `registrations: ${registry.describe()}`).to.deep.equal([{ recordsIn: 6, recordsOut: 3 }]);
      expect(registry.view("oddsPlus").counted!.filterRatio, "filterRatio 3 / 6").to.equal(0.5);
    });

    it("R3.2 a break after the first record and a throw at the fifth: partial counts, registered once each", () => {
      for (const n of new HiddenStages().oddsPlus([7, 9, 11, 13], 100)) if (n === 107) break;
      expect(finished.oddsPlus, "times the stage's own finally ran").to.equal(1);
      expect(registry.view("oddsPlus").counts, "counts after a break at the first record").to.deep.equal({ recordsIn: 1, recordsOut: 1 });
      expect(() => [...new HiddenStages().explodesAt([4, 3, 2, 1, 0, -1], 0)], "a stage throwing at 0").to.throw(TypeError, "bad 0");
      expect(registry.callsFor("explodesAt").map(([, m]) => m.counts), `registrations: ${registry.describe()}`).to.deep.equal([{ recordsIn: 5, recordsOut: 4 }]);
    });

    it("R3.2 filterRatio on other figures, and 0 for nothing in", () => {
      for (const [i, o, ratio] of [[7, 2, 2 / 7], [10, 10, 1], [9, 3, 1 / 3], [0, 5, 0], [1, 0, 0]]) {
        expect(new StageMetrics("s", { counts: { recordsIn: i, recordsOut: o } }).filterRatio, `filterRatio for ${i} in, ${o} out`).to.equal(ratio);
      }
    });
  });

  describe("R3.3 @timedStage", () => {
    let registry: FakeRegistry;
    beforeEach(() => (registry = new FakeRegistry()));

    it("R3.3 latencies between yields with other costs, consumer time and a tail; nothing before the first pull", () => {
      const stages = new HiddenStages();
      const gen = stages.slow([7, 0.5, 3, 3, 10], 6);
      clock.tick(42);
      const out: number[] = [];
      for (let r = gen.next(); !r.done; r = gen.next()) {
        out.push(r.value);
        clock.tick(250);
      }
      expect(out, "output").to.deep.equal([107, 100.5, 103, 103, 110]);
      expect(registry.view("slow").timing, `timing; registrations: ${registry.describe()}`).to.deep.equal({ latencies: [7, 250.5, 253, 253, 260], elapsedMs: 7 + 250.5 + 253 + 253 + 260 + 250 + 6 });
      expect(finished.slow, "times the stage's own finally ran").to.equal(1);
    });

    it("R3.3 nearest rank on other sizes (multiply before dividing)", () => {
      const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
      const twenty = Array.from({ length: 20 }, (_, i) => (i + 1) * 5);
      const cases: [number[], number, number][] = [
        [hundred, 7, 7], [hundred, 14, 14], [hundred, 28, 28], [hundred, 57, 57], [hundred, 99, 99], [hundred, 100, 100],
        [twenty, 95, 95], [twenty, 99, 100], [twenty, 50, 50], [twenty, 51, 55], [twenty, 1, 5],
        [[2, 4, 8, 16, 32], 50, 8], [[2, 4, 8, 16, 32], 60, 8], [[2, 4, 8, 16, 32], 61, 16], [[3, 9, 27], 33.4, 9],
      ];
      for (const [sorted, p, expected] of cases) expect(percentile(sorted, p), `percentile(${sorted.length} values ${sorted[0]}…${sorted[sorted.length - 1]}, ${p})`).to.equal(expected);
      const m = new StageMetrics("p", { timing: { latencies: [...twenty].reverse(), elapsedMs: 1050 } });
      expect([m.p50, m.p95, m.p99], "[p50, p95, p99] of 100, 95, …, 5").to.deep.equal([50, 95, 100]);
    });

    it("R3.3 throughput on other figures: records out per second of elapsed time", () => {
      const cases: [StageMetrics, number][] = [
        [new StageMetrics("s", { timing: { latencies: [500, 500, 500], elapsedMs: 1500 } }), 2],
        [new StageMetrics("s", { timing: { latencies: Array(250).fill(0.5), elapsedMs: 125 } }), 2000],
        [new StageMetrics("s", { counts: { recordsIn: 9, recordsOut: 6 }, timing: { latencies: [1], elapsedMs: 3000 } }), 2],
      ];
      for (const [m, expected] of cases) expect(m.throughput, `throughput for ${m.recordsOut} out in ${m.elapsedMs} ms`).to.equal(expected);
    });
  });

  describe("R3.4 composition", () => {
    let registry: FakeRegistry;
    beforeEach(() => (registry = new FakeRegistry()));

    it("R3.4 both orders on other costs; three runs without reset: each replaces the figures, an empty run included", () => {
      const stages = new HiddenStages();
      for (const name of ["stacked", "flipped"] as const) {
        expect([...stages[name]([3, 2, 5, 8, 4])], `${name}: output for costs 3, 2, 5, 8, 4`).to.deep.equal([2, 8, 4]);
        let view = registry.view(name);
        expect([view.counts, view.timing?.latencies, view.timing?.elapsedMs], `${name}: first run; registrations: ${registry.describe()}`).to.deep.equal([{ recordsIn: 5, recordsOut: 3 }, [5, 13, 4], 22]);
        [...stages[name]([6, 1])];
        view = registry.view(name);
        expect([view.counts, view.timing?.latencies], `${name}: second run (costs 6, 1)`).to.deep.equal([{ recordsIn: 2, recordsOut: 1 }, [6]]);
        [...stages[name]([])];
        view = registry.view(name);
        expect([view.counts, view.timing?.latencies, view.timed?.p50], `${name}: third run (no records); registrations: ${registry.describe()}`).to.deep.equal([{ recordsIn: 0, recordsOut: 0 }, [], 0]);
      }
    });

    it("R3.4 a break in a stacked stage after the first record: its finally runs once, each decorator registers once", () => {
      const gen = new HiddenStages().stacked([2, 4, 6]);
      gen.next();
      clock.tick(3);
      gen.return(undefined);
      expect(finished.stacked, "times the stage's own finally ran").to.equal(1);
      expect(registry.callsFor("stacked").length, `registrations: ${registry.describe()}`).to.equal(2);
      const view = registry.view("stacked");
      expect([view.counts, view.timing], "[counts, timing] after the break").to.deep.equal([{ recordsIn: 1, recordsOut: 1 }, { latencies: [2], elapsedMs: 5 }]);
    });
  });

  describe("R3.5 FeaturePipeline and the main block", () => {
    it("R3.5 other records and threshold 75: strictly above, normalized by 100, squared and bucketed", () => {
      const records = [75, 76, 100, 20, 99.5].map((value, i) => ({ id: i + 1, value }));
      const out = [...new FeaturePipeline({ threshold: 75 }).run(records)];
      expect(out, "features for values 75, 76, 100, 20, 99.5 with threshold 75").to.deep.equal([
        { id: 2, normalized: 0.76, squared: 0.76 * 0.76, bucket: "high" },
        { id: 3, normalized: 1, squared: 1, bucket: "high" },
        { id: 5, normalized: 0.995, squared: 0.995 * 0.995, bucket: "high" },
      ]);
      const low = [...new FeaturePipeline({ threshold: 0 }).run([{ id: 9, value: 33 }, { id: 8, value: 34 }, { id: 7, value: 0 }])];
      expect(low.map((f) => [f.id, f.bucket]), "buckets for 33 and 34 with threshold 0").to.deep.equal([[9, "low"], [8, "mid"]]);
      const counts = ["threshold", "normalize", "features"].map((s) => viewOf(s, MetricsRegistry.entries()).counts);
      expect(counts, "counts of the last run").to.deep.equal([{ recordsIn: 3, recordsOut: 2 }, { recordsIn: 2, recordsOut: 2 }, { recordsIn: 2, recordsOut: 2 }]);
    });

    it("R3.5 the main block with seed 99 and 123 records: its first line, the report, the figures", () => {
      const { log, lines } = captureLog();
      const table = runExercise3Demo({ seed: 99, records: 123, log });
      const expectedOut = makeRecords(123, createRandom(99)).filter((r) => r.value > 50).length;
      expect(lines, "what the demo printed").to.deep.equal([`123 records in, ${expectedOut} features out`, table]);
      const view = viewOf("threshold", MetricsRegistry.entries());
      expect([view.counts, view.timing?.latencies.length], "threshold's figures").to.deep.equal([{ recordsIn: 123, recordsOut: expectedOut }, expectedOut]);
    });
  });
});
