import { expect } from "./helpers/expect";
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
} from "../src/ex3-metrics";
import { makeRecords, type PipelineRecord } from "../src/shared/records";
import { createRandom } from "../src/shared/Random";
import { captureLog } from "./helpers/capture";
import { FakeRegistry, runLegacyCell, viewOf } from "./helpers/ex3Registry";

let clock: sinon.SinonFakeTimers;

/** A record whose production costs `cost` fake milliseconds inside the stage; cost 0 is filtered out. */
interface Costed {
  id: number;
  cost: number;
}

const costed = (...costs: number[]): Costed[] => costs.map((cost, id) => ({ id, cost }));

/** What each stage's own generator saw: whether its `finally` ran, and how many records it pulled. */
const closed: Record<string, boolean> = {};

/** Test-local stages: one decorator each (R3.2, R3.3) or both stacked (R3.4). */
class Stages {
  factor = 10;

  @countedStage("counted")
  *counted(input: Iterable<number>, keep: (n: number) => boolean): Generator<number> {
    try {
      for (const n of input) if (keep(n)) yield n * this.factor;
    } finally {
      closed.counted = true;
    }
  }

  @countedStage("firstTwo")
  *firstTwo(input: Iterable<number>): Generator<number> {
    let taken = 0;
    for (const n of input) {
      yield n;
      if (++taken === 2) return;
    }
  }

  @countedStage("badCleanup")
  *badCleanup(input: Iterable<number>): Generator<number> {
    try {
      yield* input;
    } finally {
      throw new RangeError("cleanup failed");
    }
  }

  @countedStage("countedFailing")
  *countedFailing(input: Iterable<number>): Generator<number> {
    for (const n of input) {
      if (n === 3) throw new RangeError("bad record 3");
      yield n;
    }
  }

  @timedStage("timed")
  *timed(input: Iterable<Costed>, tail = 0): Generator<number> {
    try {
      for (const item of input) {
        clock.tick(item.cost);
        yield item.id * this.factor;
      }
      clock.tick(tail);
    } finally {
      closed.timed = true;
    }
  }

  @timedStage("timedFailing")
  *timedFailing(input: Iterable<Costed>): Generator<number> {
    for (const item of input) {
      clock.tick(item.cost);
      if (item.id === 2) throw new RangeError("bad record 2");
      yield item.id;
    }
  }

  @countedStage("both")
  @timedStage("both")
  *both(input: Iterable<Costed>): Generator<Costed> {
    try {
      for (const item of input) {
        clock.tick(item.cost);
        if (item.cost > 0) yield item;
      }
    } finally {
      closed.both = true;
    }
  }

  @timedStage("reversed")
  @countedStage("reversed")
  *reversed(input: Iterable<Costed>): Generator<Costed> {
    try {
      for (const item of input) {
        clock.tick(item.cost);
        if (item.cost > 0) yield item;
      }
    } finally {
      closed.reversed = true;
    }
  }

  @countedStage("bothFailing")
  @timedStage("bothFailing")
  *bothFailing(input: Iterable<Costed>): Generator<number> {
    for (const item of input) {
      clock.tick(item.cost);
      if (item.id === 2) throw new RangeError("bad record 2");
      yield item.id;
    }
  }
}

/** A StageMetrics look-alike with fixed figures, so R3.1's report does not depend on R3.2's or R3.3's getters. */
function fixedFigures(stageName: string, f: Record<"recordsIn" | "recordsOut" | "filterRatio" | "throughput" | "meanLatency" | "p50" | "p95" | "p99", number>): StageMetrics {
  return { stageName, ...f } as unknown as StageMetrics;
}

describe("Exercise 3 — composable metrics decorators", () => {
  beforeEach(() => {
    MetricsRegistry.reset();
    for (const key of Object.keys(closed)) delete closed[key];
    clock = sinon.useFakeTimers({ toFake: ["performance", "Date"] });
  });
  afterEach(() => {
    clock.restore();
    sinon.restore();
  });

  describe("R3.1 MetricsRegistry", () => {
    it("R3.1 register stores each stage under its name; get, entries and reset read the class-level map", () => {
      const a = fixedFigures("a", { recordsIn: 2, recordsOut: 1, filterRatio: 0.5, throughput: 1, meanLatency: 1, p50: 1, p95: 1, p99: 1 });
      const b = fixedFigures("b", { recordsIn: 0, recordsOut: 0, filterRatio: 0, throughput: 0, meanLatency: 0, p50: 0, p95: 0, p99: 0 });
      MetricsRegistry.register("a", a);
      MetricsRegistry.register("b", b);
      expect(MetricsRegistry.get("a"), 'get("a") after register("a", a)').to.equal(a);
      expect(MetricsRegistry.get("b"), 'get("b") after register("b", b)').to.equal(b);
      expect([...MetricsRegistry.entries()].map(([name]) => name), "entries() after registering a, then b").to.deep.equal(["a", "b"]);
      MetricsRegistry.reset();
      expect([...MetricsRegistry.entries()], "entries() after reset()").to.deep.equal([]);
    });

    it("R3.1 report prints the header, a rule and one row per stage with the documented number formats, and returns it", () => {
      MetricsRegistry.register("threshold", fixedFigures("threshold", { recordsIn: 10, recordsOut: 5, filterRatio: 0.5, throughput: 199.6, meanLatency: 4, p50: 3.25, p95: 9.87654, p99: 10.5 }));
      MetricsRegistry.register("n", fixedFigures("n", { recordsIn: 0, recordsOut: 0, filterRatio: 0, throughput: 0, meanLatency: 0, p50: 0, p95: 0, p99: 0 }));
      const { log, lines } = captureLog();
      const table = MetricsRegistry.report(log);
      expect(lines, "what report(log) printed: the table it returns, in one call").to.deep.equal([table]);
      const rows = table.split("\n");
      expect(rows.length, `lines of the table (header, rule, one per stage):\n${table}`).to.equal(4);
      expect(rows[0].trim().split(/\s{2,}/), "the header").to.deep.equal([...REPORT_COLUMNS]);
      expect(rows[2].trim().split(/\s+/), "the row of threshold (in 10, out 5, ratio 0.5, throughput 199.6, mean 4, p50 3.25, p95 9.87654, p99 10.5)").to.deep.equal(["threshold", "10", "5", "0.500", "200", "4.0000", "3.2500", "9.8765", "10.5000"]);
      expect(rows[3].trim().split(/\s+/), "the row of n (all figures 0)").to.deep.equal(["n", "0", "0", "0.000", "0", "0.0000", "0.0000", "0.0000", "0.0000"]);
      expect(rows.map((r) => r.length), `line lengths of the aligned table:\n${table}`).to.deep.equal(rows.map(() => rows[0].length));
    });

    it("R3.1 report with no stages prints the header and the rule only", () => {
      const { log } = captureLog();
      expect(MetricsRegistry.report(log).split("\n").length, "lines of an empty registry's report").to.equal(2);
    });

    it("R3.1 report prints with console.log by default", () => {
      const stub = sinon.stub(console, "log");
      MetricsRegistry.report();
      stub.restore();
      expect(stub.callCount, "console.log calls by report()").to.equal(1);
      expect(String(stub.firstCall.args[0]).split("\n")[0].trim().split(/\s{2,}/), "the first line printed").to.deep.equal([...REPORT_COLUMNS]);
    });
  });

  describe("R3.2 @countedStage", () => {
    let registry: FakeRegistry;
    beforeEach(() => (registry = new FakeRegistry()));

    it("R3.2 counts records pulled in and yielded out, passes `this` and every argument through", () => {
      const stages = new Stages();
      stages.factor = 3;
      const keep = sinon.spy((n: number) => n % 4 === 0);
      expect([...stages.counted([1, 2, 3, 4, 5, 6, 7, 8], keep)], "what the stage yielded for 1..8, keeping multiples of 4, factor 3").to.deep.equal([12, 24]);
      expect(keep.args, "the calls of the second argument").to.deep.equal([[1], [2], [3], [4], [5], [6], [7], [8]]);
      const m = registry.view("counted").counted;
      expect(m, `a StageMetrics with counts registered under "counted"; registrations: ${registry.describe()}`).to.not.equal(undefined);
      expect([m!.recordsIn, m!.recordsOut, m!.filterRatio], "[recordsIn, recordsOut, filterRatio] for 8 in, 2 out").to.deep.equal([8, 2, 0.25]);
    });

    it("R3.2 registers once, only after the generator is exhausted", () => {
      const gen = new Stages().counted([1, 2], () => true);
      gen.next();
      gen.next();
      expect(registry.calls.length, `registrations after 2 of 2 records, before the final pull: ${registry.describe()}`).to.equal(0);
      expect(gen.next().done, "the third pull").to.equal(true);
      expect(registry.callsFor("counted").length, `how many times "counted" registered after the end (every registration: ${registry.describe()})`).to.equal(1);
      expect(registry.view("counted").counts, "counts").to.deep.equal({ recordsIn: 2, recordsOut: 2 });
    });

    it("R3.2 counts only what the stage pulls: a stage that stops after 2 of 1,000 records has recordsIn 2", () => {
      const input = Array.from({ length: 1000 }, (_, i) => i);
      expect([...new Stages().firstTwo(input)], "output").to.deep.equal([0, 1]);
      expect(registry.view("firstTwo").counts, `counts; registrations: ${registry.describe()}`).to.deep.equal({ recordsIn: 2, recordsOut: 2 });
    });

    it("R3.2 empty input: 0 in, 0 out, filterRatio 0 (not NaN)", () => {
      expect([...new Stages().counted([], () => true)], "output for []").to.deep.equal([]);
      const m = registry.view("counted").counted;
      expect(m && [m.recordsIn, m.recordsOut, m.filterRatio], `[recordsIn, recordsOut, filterRatio] for []; registrations: ${registry.describe()}`).to.deep.equal([0, 0, 0]);
    });

    it("R3.2 filterRatio is recordsOut / recordsIn, and 0 whenever nothing came in", () => {
      for (const [recordsIn, recordsOut, ratio] of [[4, 1, 0.25], [3, 3, 1], [5, 0, 0], [0, 0, 0], [0, 2, 0]]) {
        const m = new StageMetrics("s", { counts: { recordsIn, recordsOut } });
        expect(m.filterRatio, `filterRatio for recordsIn ${recordsIn}, recordsOut ${recordsOut}`).to.equal(ratio);
      }
    });

    it("R3.2 a consumer's break closes the stage's own generator and registers the partial counts once", () => {
      for (const n of new Stages().counted([1, 2, 3, 4, 5], () => true)) if (n === 20) break;
      expect(closed.counted, "the stage's own finally ran after the consumer broke out").to.equal(true);
      expect(registry.callsFor("counted").length, `how many times "counted" registered (every registration: ${registry.describe()})`).to.equal(1);
      expect(registry.view("counted").counts, "counts after a break at the second record").to.deep.equal({ recordsIn: 2, recordsOut: 2 });
    });

    it("R3.2 a stage that throws: the error propagates and the partial counts register once", () => {
      expect(() => [...new Stages().countedFailing([1, 2, 3, 4])], "iterating a stage that throws at 3").to.throw(RangeError, "bad record 3");
      expect(registry.callsFor("countedFailing").length, `how many times "countedFailing" registered (every registration: ${registry.describe()})`).to.equal(1);
      expect(registry.view("countedFailing").counts, "counts up to the throw").to.deep.equal({ recordsIn: 3, recordsOut: 2 });
    });

    it("R3.2 a stage whose cleanup throws when the consumer breaks: the error reaches the consumer, the counts register once", () => {
      const consume = () => {
        for (const n of new Stages().badCleanup([1, 2, 3])) if (n === 1) break;
      };
      expect(consume, "breaking out of a stage whose finally throws").to.throw(RangeError, "cleanup failed");
      expect(registry.callsFor("badCleanup").length, `how many times "badCleanup" registered (every registration: ${registry.describe()})`).to.equal(1);
      expect(registry.view("badCleanup").counts, "counts at the break").to.deep.equal({ recordsIn: 1, recordsOut: 1 });
    });

    it("R3.2 a generator that is never pulled registers nothing, even when closed; the one that runs registers once", () => {
      const stages = new Stages();
      stages.counted([1, 2], () => true);
      stages.counted([1, 2], () => true).return(undefined);
      expect([...stages.counted([1, 2, 3], (n) => n > 1)], "output of the generator that runs").to.deep.equal([20, 30]);
      expect(registry.callsFor("counted").map(([, m]) => m.counts), "the counts registered: only the run that was pulled").to.deep.equal([{ recordsIn: 3, recordsOut: 2 }]);
    });

    it("R3.2 works under experimentalDecorators, as a tslab cell compiles it", () => {
      const cell = runLegacyCell(`
        import { countedStage } from "lib";
        class Cell { @countedStage("cell") *evens(input: Iterable<number>) { for (const n of input) if (n % 2 === 0) yield n; } }
        result = [...new Cell().evens([1, 2, 3, 4, 5, 6])];
      `);
      expect([cell.diagnostics, cell.decorated], "[compile errors, uses legacy __decorate]").to.deep.equal([[], true]);
      expect(cell.result, "the cell's output").to.deep.equal([2, 4, 6]);
      expect(registry.view("cell").counts, `counts; registrations: ${registry.describe()}`).to.deep.equal({ recordsIn: 6, recordsOut: 3 });
    });

    it("R3.x given: the decorators reject an empty stage name", () => {
      expect(() => countedStage("")).to.throw(TypeError, /countedStage\(stageName\): expected a non-empty string, got ""/);
      expect(() => timedStage(42 as unknown as string)).to.throw(TypeError, /timedStage/);
    });
  });

  describe("R3.3 @timedStage", () => {
    let registry: FakeRegistry;
    beforeEach(() => (registry = new FakeRegistry()));

    it("R3.3 each latency is the time between consecutive yields; elapsedMs from the first pull to the end", () => {
      const stages = new Stages();
      stages.factor = 1;
      expect([...stages.timed(costed(5, 1, 12, 3))], "output (ids × factor 1)").to.deep.equal([0, 1, 2, 3]);
      const timing = registry.view("timed").timing;
      expect(timing, `timing registered under "timed" for costs 5, 1, 12, 3 ms; registrations: ${registry.describe()}`).to.deep.equal({ latencies: [5, 1, 12, 3], elapsedMs: 21 });
      expect(registry.callsFor("timed").length, `how many times "timed" registered (every registration: ${registry.describe()})`).to.equal(1);
    });

    it("R3.3 the consumer's time between pulls counts; the first latency starts at the first pull, not at the call", () => {
      const gen = new Stages().timed(costed(2, 3));
      clock.tick(1000);
      gen.next();
      clock.tick(500);
      gen.next();
      expect(registry.calls.length, "registrations before the end").to.equal(0);
      clock.tick(500);
      expect(gen.next().done, "the third pull").to.equal(true);
      const timing = registry.view("timed").timing;
      expect(timing, "timing: 1000 ms before the first pull, stage costs 2 and 3 ms, consumer 500 ms after each record").to.deep.equal({ latencies: [2, 503], elapsedMs: 1005 });
    });

    it("R3.3 elapsedMs includes the stage's work after its last yield", () => {
      [...new Stages().timed(costed(2, 3), 4)];
      expect(registry.view("timed").timing, "timing for costs 2, 3 and 4 ms after the last record").to.deep.equal({ latencies: [2, 3], elapsedMs: 9 });
    });

    it("R3.3 a consumer's break closes the stage's own generator and registers the partial timing once", () => {
      const gen = new Stages().timed(costed(2, 3, 4));
      gen.next();
      clock.tick(7);
      gen.return(undefined);
      expect(closed.timed, "the stage's own finally ran after return()").to.equal(true);
      expect(registry.callsFor("timed").length, `how many times "timed" registered (every registration: ${registry.describe()})`).to.equal(1);
      expect(registry.view("timed").timing, "timing: one record after 2 ms, closed 7 ms later").to.deep.equal({ latencies: [2], elapsedMs: 9 });
    });

    it("R3.3 a stage that throws: the error propagates and the partial timing registers once", () => {
      expect(() => [...new Stages().timedFailing(costed(1, 2, 4))], "iterating a stage that throws at record 2").to.throw(RangeError, "bad record 2");
      expect(registry.callsFor("timedFailing").length, `how many times "timedFailing" registered (every registration: ${registry.describe()})`).to.equal(1);
      expect(registry.view("timedFailing").timing, "timing up to the throw (costs 1, 2, then 4 and the throw)").to.deep.equal({ latencies: [1, 2], elapsedMs: 7 });
    });

    it("R3.3 passes `this` and every argument through", () => {
      const stages = new Stages();
      stages.factor = 7;
      expect([...stages.timed(costed(1, 1), 5)], "output of ids 0, 1 × factor 7").to.deep.equal([0, 7]);
      expect(registry.view("timed").timing?.elapsedMs, "elapsedMs with the second argument (5 ms tail)").to.equal(7);
    });

    it("R3.3 throughput is recordsOut per second of elapsedMs, 0 without elapsed time", () => {
      const cases: [string, StageMetrics, number][] = [
        ["4 latencies in 8 ms", new StageMetrics("s", { timing: { latencies: [1, 2, 3, 2], elapsedMs: 8 } }), 500],
        ["counts say 2 out, 1 latency in 4 ms", new StageMetrics("s", { counts: { recordsIn: 3, recordsOut: 2 }, timing: { latencies: [4], elapsedMs: 4 } }), 500],
        ["no records in 5 ms", new StageMetrics("s", { timing: { latencies: [], elapsedMs: 5 } }), 0],
        ["3 latencies in 0 ms", new StageMetrics("s", { timing: { latencies: [0, 0, 0], elapsedMs: 0 } }), 0],
        ["not timed", new StageMetrics("s"), 0],
      ];
      for (const [what, m, expected] of cases) expect(m.throughput, `throughput for ${what}`).to.equal(expected);
    });

    it("R3.3 p50, p95 and p99 use nearest rank on the sorted latencies", () => {
      const latencies = Array.from({ length: 100 }, (_, i) => 100 - i);
      const m = new StageMetrics("p", { timing: { latencies, elapsedMs: 5050 } });
      expect([m.p50, m.p95, m.p99], "[p50, p95, p99] of 100, 99, …, 1").to.deep.equal([50, 95, 99]);
      const cases: [number[], number, number][] = [
        [[], 50, 0],
        [[7], 99, 7],
        [[1, 2, 3, 4], 50, 2],
        [[1, 2, 3, 4], 51, 3],
        [[1, 2, 3, 4], 75, 3],
        [[1, 2, 3, 4], 76, 4],
        [[1, 2], 100, 2],
        [[1, 2], 0.1, 1],
        [[10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 95, 100],
        [[10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 90, 90],
      ];
      for (const [sorted, p, expected] of cases) expect(percentile(sorted, p), `percentile(${JSON.stringify(sorted)}, ${p})`).to.equal(expected);
    });

    it("R3.3 a stage with no records: no latencies, zero mean, percentiles and throughput", () => {
      expect([...new Stages().timed([])], "output for []").to.deep.equal([]);
      const m = registry.view("timed").timed;
      expect(m && [m.latencies.length, m.meanLatency, m.p50, m.p99, m.throughput], `[latencies, mean, p50, p99, throughput]; registrations: ${registry.describe()}`).to.deep.equal([0, 0, 0, 0, 0]);
    });

    it("R3.3 works under experimentalDecorators, as a tslab cell compiles it", () => {
      const cell = runLegacyCell(`
        import { timedStage } from "lib";
        class Cell { @timedStage("cell") *squares(input: Iterable<number>) { for (const n of input) yield n * n; } }
        result = [...new Cell().squares([1, 2, 3])];
      `);
      expect([cell.diagnostics, cell.decorated], "[compile errors, uses legacy __decorate]").to.deep.equal([[], true]);
      expect(cell.result, "the cell's output").to.deep.equal([1, 4, 9]);
      expect(registry.view("cell").timing?.latencies.length, `latencies; registrations: ${registry.describe()}`).to.equal(3);
    });
  });

  describe("R3.4 composition", () => {
    let registry: FakeRegistry;
    beforeEach(() => (registry = new FakeRegistry()));

    for (const name of ["both", "reversed"] as const) {
      const order = name === "both" ? "counted outside" : "timed outside";
      it(`R3.4 both decorators on one method (${order}): the stage has its counts and its latencies`, () => {
        expect([...new Stages()[name](costed(4, 0, 6, 0))].map((c) => c.cost), "output for costs 4, 0, 6, 0 (0 is filtered out)").to.deep.equal([4, 6]);
        const view = registry.view(name);
        const stored = `registrations: ${registry.describe()}`;
        expect([[name], [`${name}.count`, `${name}.time`], [`${name}.time`, `${name}.count`]], `the keys: one merged entry or two; ${stored}`).to.deep.include(view.keys);
        expect(view.counts, `counts; ${stored}`).to.deep.equal({ recordsIn: 4, recordsOut: 2 });
        expect(view.timing?.latencies, `latencies; ${stored}`).to.deep.equal([4, 6]);
        expect(view.counted!.filterRatio, "filterRatio").to.equal(0.5);
      });
    }

    it("R3.4 a consumer's break closes the stacked stage's own generator; each decorator registers once", () => {
      for (const item of new Stages().both(costed(1, 2, 3))) if (item.id === 1) break;
      expect(closed.both, "the stage's own finally ran after the consumer broke out").to.equal(true);
      expect(registry.callsFor("both").length, `how many times "both" registered (every registration: ${registry.describe()})`).to.equal(2);
      const view = registry.view("both");
      expect([view.counts?.recordsOut, view.timing?.latencies], "[recordsOut, latencies] after a break at the second record").to.deep.equal([2, [1, 2]]);
    });

    it("R3.4 a stacked stage that throws: the error propagates; each decorator registers once", () => {
      expect(() => [...new Stages().bothFailing(costed(1, 2, 4))], "iterating a stage that throws at record 2").to.throw(RangeError, "bad record 2");
      expect(registry.callsFor("bothFailing").length, `how many times "bothFailing" registered (every registration: ${registry.describe()})`).to.equal(2);
      const view = registry.view("bothFailing");
      expect([view.counts?.recordsOut, view.timing?.latencies], "[recordsOut, latencies] up to the throw").to.deep.equal([2, [1, 2]]);
    });

    it("R3.4 a second run of a stacked stage without reset replaces its counts and its latencies", () => {
      const stages = new Stages();
      for (const name of ["both", "reversed"] as const) {
        [...stages[name](costed(4, 0, 6))];
        const first = registry.view(name).timed!;
        expect(first.p50, `${name}: p50 after the first run (4, 6)`).to.equal(4);
        [...stages[name](costed(9))];
        const view = registry.view(name);
        expect([view.counts, view.timing?.latencies], `${name}: [counts, latencies] after a second run with one record of 9 ms; registrations: ${registry.describe()}`).to.deep.equal([{ recordsIn: 1, recordsOut: 1 }, [9]]);
        expect(view.timed!.p50, `${name}: p50 after the second run`).to.equal(9);
      }
    });

    it("R3.4 stacked decorators work under experimentalDecorators, as a tslab cell compiles them", () => {
      const cell = runLegacyCell(`
        import { countedStage, timedStage } from "lib";
        class Cell {
          @countedStage("cell") @timedStage("cell")
          *evens(input: Iterable<number>) { for (const n of input) if (n % 2 === 0) yield n; }
        }
        result = [...new Cell().evens([1, 2, 3, 4, 5, 6])];
      `);
      expect([cell.diagnostics, cell.decorated], "[compile errors, uses legacy __decorate]").to.deep.equal([[], true]);
      expect(cell.result, "the cell's output").to.deep.equal([2, 4, 6]);
      const view = registry.view("cell");
      expect([view.counts, view.timing?.latencies.length], `[counts, latencies]; registrations: ${registry.describe()}`).to.deep.equal([{ recordsIn: 6, recordsOut: 3 }, 3]);
    });
  });

  describe("R3.5 FeaturePipeline and the main block", () => {
    const records: PipelineRecord[] = [
      { id: 1, value: 10 },
      { id: 2, value: 51 },
      { id: 3, value: 50 },
      { id: 4, value: 90 },
    ];
    const STAGES = ["threshold", "normalize", "features"];
    const figures = () => STAGES.map((s) => {
      const view = viewOf(s, MetricsRegistry.entries());
      return [s, view.counts?.recordsIn, view.counts?.recordsOut, view.timing?.latencies.length];
    });

    it("R3.5 filters above the threshold, normalizes, extracts features; each stage counted and timed", () => {
      expect([...new FeaturePipeline().run(records)], "features for values 10, 51, 50, 90").to.deep.equal([
        { id: 2, normalized: 0.51, squared: 0.51 * 0.51, bucket: "mid" },
        { id: 4, normalized: 0.9, squared: 0.9 * 0.9, bucket: "high" },
      ]);
      expect(figures(), "[stage, recordsIn, recordsOut, latencies] for values 10, 51, 50, 90").to.deep.equal([
        ["threshold", 4, 2, 2],
        ["normalize", 2, 2, 2],
        ["features", 2, 2, 2],
      ]);
      expect([...new FeaturePipeline({ threshold: 5 }).run(records)].map((f) => f.id), "ids with threshold 5").to.deep.equal([1, 2, 3, 4]);
    });

    it("R3.5 buckets: low below 1/3, mid from 1/3 to below 2/3, high from 2/3", () => {
      const values = [0, 1 / 3 - 1e-9, 1 / 3, 0.5, 2 / 3 - 1e-9, 2 / 3, 1];
      const out = [...new FeaturePipeline().extractFeatures(values.map((normalized, id) => ({ id, normalized })))];
      expect(out.map((f) => [f.normalized, f.bucket, f.squared]), "[normalized, bucket, squared]").to.deep.equal(
        values.map((v, i) => [v, ["low", "low", "mid", "mid", "mid", "high", "high"][i], v * v]),
      );
    });

    it("R3.5 the main block resets the registry and takes its record count and seed from the options", () => {
      MetricsRegistry.register("stale", new StageMetrics("stale"));
      const { log, lines } = captureLog();
      runExercise3Demo({ seed: 7, records: 300, log });
      const expectedOut = makeRecords(300, createRandom(7)).filter((r) => r.value > 50).length;
      expect(lines[0], "the first line printed for { seed: 7, records: 300 }").to.equal(`300 records in, ${expectedOut} features out`);
      expect(MetricsRegistry.get("stale"), "an entry registered before the demo ran").to.equal(undefined);
      expect(figures()[0], "[stage, recordsIn, recordsOut, latencies] of threshold for 300 records, seed 7").to.deep.equal(["threshold", 300, expectedOut, expectedOut]);
    });

    it("R3.5 the main block runs 5,000 records and prints the report", () => {
      const { log, lines } = captureLog();
      const table = runExercise3Demo({ seed: 34, log });
      const expectedOut = makeRecords(5000, createRandom(34)).filter((r) => r.value > 50).length;
      expect(lines[0], "the first line printed").to.equal(`5000 records in, ${expectedOut} features out`);
      expect(lines.slice(1), "what is printed after it: the report it returns").to.deep.equal([table]);
      expect(figures(), "[stage, recordsIn, recordsOut, latencies] for 5,000 records, seed 34").to.deep.equal([
        ["threshold", 5000, expectedOut, expectedOut],
        ["normalize", expectedOut, expectedOut, expectedOut],
        ["features", expectedOut, expectedOut, expectedOut],
      ]);
      const rows = table.split("\n").slice(2).map((r) => r.trim().split(/\s+/).slice(0, 3));
      for (const [stage, recordsIn] of [["threshold", 5000], ["normalize", expectedOut], ["features", expectedOut]] as const) {
        const row = rows.find(([name, inCell]) => (name === stage || name === `${stage}.count`) && inCell === String(recordsIn));
        expect(row, `a report row for ${stage} with in ${recordsIn}, out ${expectedOut}:\n${table}`).to.deep.equal([row?.[0], String(recordsIn), String(expectedOut)]);
      }
    });

    it("R3.x given: FeaturePipeline rejects a threshold that is not a finite number", () => {
      expect(() => new FeaturePipeline({ threshold: NaN })).to.throw(TypeError, /threshold/);
    });
  });
});
