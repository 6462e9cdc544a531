import { expect } from "./helpers/expect";
import * as sinon from "sinon";
import * as ts from "@tslab/typescript-for-tslab";
import * as lib from "../src/ex3-metrics";
import {
  FeaturePipeline,
  MetricsRegistry,
  StageMetrics,
  countedStage,
  percentile,
  runExercise3Demo,
  timedStage,
} from "../src/ex3-metrics";
import { makeRecords } from "../src/shared/records";
import type { PipelineRecord } from "../src/shared/records";
import { createRandom } from "../src/shared/Random";
import { captureLog } from "./helpers/capture";

let clock: sinon.SinonFakeTimers;

/** A record whose production costs `cost` fake milliseconds inside the stage. */
interface Costed {
  id: number;
  cost: number;
}

const costed = (...costs: number[]): Costed[] => costs.map((cost, id) => ({ id, cost }));

class Stages {
  factor = 10;

  @countedStage("both")
  @timedStage("both")
  *both(input: Iterable<Costed>): Generator<Costed> {
    for (const item of input) {
      clock.tick(item.cost);
      if (item.cost > 0) yield item;
    }
  }

  @timedStage("reversed")
  @countedStage("reversed")
  *reversed(input: Iterable<Costed>): Generator<Costed> {
    for (const item of input) {
      clock.tick(item.cost);
      if (item.cost > 0) yield item;
    }
  }

  @countedStage("countedOnly")
  *countedOnly(input: Iterable<number>, keep: (n: number) => boolean): Generator<number> {
    for (const n of input) if (keep(n)) yield n * this.factor;
  }

  @timedStage("timedOnly")
  *timedOnly(input: Iterable<Costed>): Generator<number> {
    for (const item of input) {
      clock.tick(item.cost);
      yield item.id;
    }
  }

  @countedStage("failing")
  @timedStage("failing")
  *failing(input: Iterable<number>): Generator<number> {
    for (const n of input) {
      if (n === 3) throw new RangeError("bad record 3");
      yield n;
    }
  }

  @countedStage("async")
  @timedStage("async")
  async *asyncStage(input: AsyncIterable<Costed> | Iterable<Costed>): AsyncGenerator<number> {
    for await (const item of input) {
      await clock.tickAsync(item.cost);
      if (item.cost > 0) yield item.id;
    }
  }
}

describe("Exercise 3 — composable metrics decorators", () => {
  beforeEach(() => {
    MetricsRegistry.reset();
    clock = sinon.useFakeTimers({ toFake: ["performance", "setTimeout", "Date"] });
  });
  afterEach(() => clock.restore());

  describe("R3.1 MetricsRegistry", () => {
    it("R3.1 is a class-level map: register, get, entries, reset", () => {
      const a = new StageMetrics("a", { counts: { recordsIn: 2, recordsOut: 1 } });
      MetricsRegistry.register("a", a);
      MetricsRegistry.register("b", new StageMetrics("b"));
      expect(MetricsRegistry.get("a")).to.equal(a);
      expect([...MetricsRegistry.entries()].map(([name]) => name)).to.deep.equal(["a", "b"]);
      MetricsRegistry.reset();
      expect(MetricsRegistry.get("a")).to.equal(undefined);
      expect([...MetricsRegistry.entries()]).to.deep.equal([]);
    });

    it("R3.1 report prints an aligned table with units, one row per stage, and returns it", () => {
      MetricsRegistry.register("threshold", new StageMetrics("threshold", {
        counts: { recordsIn: 10, recordsOut: 5 },
        timing: { latencies: [1, 2, 3, 4, 10], elapsedMs: 25, recordsOut: 5 },
      }));
      MetricsRegistry.register("n", new StageMetrics("n", { counts: { recordsIn: 0, recordsOut: 0 } }));
      const { log, lines } = captureLog();
      const table = MetricsRegistry.report(log);
      expect(lines).to.deep.equal([table]);
      const rows = table.split("\n");
      expect(rows).to.have.length(4);
      expect(rows[0]).to.match(/^stage\s+in\s+out\s+ratio\s+throughput \(rec\/s\)\s+mean \(ms\)\s+p50 \(ms\)\s+p95 \(ms\)\s+p99 \(ms\)$/);
      expect(new Set(rows.map((r) => r.length)).size).to.equal(1);
      expect(rows[2].split(/\s+/)).to.deep.equal(["threshold", "10", "5", "0.500", "200", "4.0000", "3.0000", "10.0000", "10.0000"]);
      expect(rows[3].split(/\s+/)).to.deep.equal(["n", "0", "0", "0.000", "0", "0.0000", "0.0000", "0.0000", "0.0000"]);
    });

    it("R3.1 report prints with console.log by default", () => {
      const stub = sinon.stub(console, "log");
      try {
        MetricsRegistry.report();
      } finally {
        stub.restore();
      }
      expect(stub.calledOnce).to.equal(true);
      expect(String(stub.firstCall.args[0])).to.match(/^stage/);
    });
  });

  describe("R3.2 @countedStage", () => {
    it("R3.2 counts records pulled in and yielded out, and the filter ratio", () => {
      const out = [...new Stages().countedOnly([1, 2, 3, 4, 5, 6, 7, 8], (n) => n % 4 === 0)];
      expect(out).to.deep.equal([40, 80]);
      const m = MetricsRegistry.get("countedOnly")!;
      expect([m.recordsIn, m.recordsOut, m.filterRatio]).to.deep.equal([8, 2, 0.25]);
    });

    it("R3.2 registers only after the generator is exhausted", () => {
      const gen = new Stages().countedOnly([1, 2], () => true);
      gen.next();
      gen.next();
      expect(MetricsRegistry.get("countedOnly")).to.equal(undefined);
      expect(gen.next().done).to.equal(true);
      expect(MetricsRegistry.get("countedOnly")!.recordsOut).to.equal(2);
    });

    it("R3.2 empty input gives a filter ratio of 0, not NaN", () => {
      expect([...new Stages().countedOnly([], () => true)]).to.deep.equal([]);
      const m = MetricsRegistry.get("countedOnly")!;
      expect([m.recordsIn, m.recordsOut, m.filterRatio]).to.deep.equal([0, 0, 0]);
    });

    it("R3.2 a consumer that breaks early registers the partial figures once", () => {
      const spy = sinon.spy(MetricsRegistry, "register");
      try {
        for (const n of new Stages().countedOnly([1, 2, 3, 4, 5], () => true)) if (n === 20) break;
      } finally {
        spy.restore();
      }
      expect(spy.callCount).to.equal(1);
      const m = MetricsRegistry.get("countedOnly")!;
      expect([m.recordsIn, m.recordsOut]).to.deep.equal([2, 2]);
    });

    it("R3.2 a stage that throws registers the partial figures once and the error propagates", () => {
      const spy = sinon.spy(MetricsRegistry, "register");
      try {
        expect(() => [...new Stages().failing([1, 2, 3, 4])]).to.throw(RangeError, "bad record 3");
      } finally {
        spy.restore();
      }
      expect(spy.callCount).to.equal(2);
      const m = MetricsRegistry.get("failing")!;
      expect([m.recordsIn, m.recordsOut, m.latencies.length]).to.deep.equal([3, 2, 2]);
    });

    it("R3.x given: the decorators reject an empty stage name", () => {
      expect(() => countedStage("")).to.throw(TypeError, /countedStage\(stageName\): expected a non-empty string, got ""/);
      expect(() => timedStage(42 as unknown as string)).to.throw(TypeError, /timedStage/);
    });
  });

  describe("R3.3 @timedStage", () => {
    it("R3.3 records each record's latency, exactly, on a fake clock", () => {
      expect([...new Stages().timedOnly(costed(5, 1, 12, 3))]).to.deep.equal([0, 1, 2, 3]);
      const m = MetricsRegistry.get("timedOnly")!;
      expect(m.latencies).to.deep.equal([5, 1, 12, 3]);
      expect(m.meanLatency).to.equal(5.25);
      expect(m.throughput).to.be.closeTo(4000 / 21, 1e-9);
    });

    it("R3.3 time the consumer spends between pulls is not charged to the stage; the first latency starts at the first pull", () => {
      const gen = new Stages().timedOnly(costed(2, 3));
      clock.tick(1000);
      gen.next();
      clock.tick(500);
      gen.next();
      clock.tick(500);
      gen.next();
      expect(MetricsRegistry.get("timedOnly")!.latencies).to.deep.equal([2, 3]);
    });

    it("R3.3 p50, p95 and p99 use nearest rank on the sorted latencies", () => {
      const latencies = Array.from({ length: 100 }, (_, i) => 100 - i);
      const m = new StageMetrics("p", { timing: { latencies, elapsedMs: 5050, recordsOut: 100 } });
      expect([m.p50, m.p95, m.p99]).to.deep.equal([50, 95, 99]);
      expect(percentile([], 50)).to.equal(0);
      expect(percentile([7], 99)).to.equal(7);
      expect(percentile([1, 2, 3, 4], 50)).to.equal(2);
      expect(percentile([1, 2, 3, 4], 51)).to.equal(3);
      expect(percentile([1, 2], 100)).to.equal(2);
      expect(percentile([1, 2], 0.1)).to.equal(1);
    });

    it("R3.3 a stage with no records has zero latency figures and throughput", () => {
      expect([...new Stages().timedOnly([])]).to.deep.equal([]);
      const m = MetricsRegistry.get("timedOnly")!;
      expect([m.meanLatency, m.p50, m.p99, m.throughput]).to.deep.equal([0, 0, 0, 0]);
    });
  });

  describe("R3.4 composition", () => {
    it("R3.4 the registry merges a second registration under one name: counts from one, timing from the other", () => {
      MetricsRegistry.register("s", new StageMetrics("s", { counts: { recordsIn: 4, recordsOut: 2 } }));
      MetricsRegistry.register("s", new StageMetrics("s", { timing: { latencies: [1, 3], elapsedMs: 4, recordsOut: 2 } }));
      const m = MetricsRegistry.get("s")!;
      expect([m.recordsIn, m.recordsOut, m.meanLatency, m.throughput]).to.deep.equal([4, 2, 2, 500]);
      expect(m.p50).to.equal(1);
      MetricsRegistry.register("t", new StageMetrics("t", { timing: { latencies: [7], elapsedMs: 7, recordsOut: 1 } }));
      MetricsRegistry.register("t", new StageMetrics("t", { counts: { recordsIn: 3, recordsOut: 1 } }));
      const t = MetricsRegistry.get("t")!;
      expect([t.recordsIn, t.recordsOut, t.meanLatency]).to.deep.equal([3, 1, 7]);
    });

    it("R3.4 a later run of a stage replaces each part it brings and keeps the others", () => {
      MetricsRegistry.register("s", new StageMetrics("s", { counts: { recordsIn: 4, recordsOut: 2 }, timing: { latencies: [1, 3], elapsedMs: 4, recordsOut: 2 } }));
      const m = MetricsRegistry.get("s")!;
      expect(m.p50).to.equal(1);
      MetricsRegistry.register("s", new StageMetrics("s", { counts: { recordsIn: 10, recordsOut: 1 } }));
      expect([m.recordsIn, m.recordsOut, m.meanLatency]).to.deep.equal([10, 1, 2]);
      MetricsRegistry.register("s", new StageMetrics("s", { timing: { latencies: [9], elapsedMs: 9, recordsOut: 1 } }));
      expect([m.recordsIn, m.meanLatency, m.p50]).to.deep.equal([10, 9, 9]);
    });

    for (const name of ["both", "reversed"] as const) {
      it(`R3.4 both decorators on one method (${name === "both" ? "counted outside" : "timed outside"}) make one merged entry`, () => {
        const stages = new Stages();
        expect([...stages[name](costed(4, 0, 6, 0))].map((c) => c.cost)).to.deep.equal([4, 6]);
        expect([...MetricsRegistry.entries()].map(([n]) => n)).to.deep.equal([name]);
        const m = MetricsRegistry.get(name)!;
        expect([m.recordsIn, m.recordsOut, m.filterRatio]).to.deep.equal([4, 2, 0.5]);
        expect(m.latencies).to.deep.equal([4, 6]);
        expect(m.throughput).to.equal(2 / 0.01);
      });
    }

    it("R3.4 `this` and every argument pass through", () => {
      const stages = new Stages();
      stages.factor = 3;
      const keep = sinon.spy((n: number) => n > 1);
      expect([...stages.countedOnly([1, 2], keep)]).to.deep.equal([6]);
      expect(keep.args).to.deep.equal([[1], [2]]);
    });

    it("R3.4 async generator methods get the same figures", async () => {
      async function* source() {
        yield* costed(4, 0, 6);
      }
      const out: number[] = [];
      for await (const id of new Stages().asyncStage(source())) out.push(id);
      expect(out).to.deep.equal([0, 2]);
      const m = MetricsRegistry.get("async")!;
      expect([m.recordsIn, m.recordsOut, m.latencies]).to.deep.equal([3, 2, [4, 6]]);
    });

    it("R3.4 an async stage closed early registers once, and accepts a sync input", async () => {
      const spy = sinon.spy(MetricsRegistry, "register");
      try {
        for await (const id of new Stages().asyncStage(costed(1, 1, 1))) if (id === 0) break;
      } finally {
        spy.restore();
      }
      expect(spy.callCount).to.equal(2);
      expect(MetricsRegistry.get("async")!.recordsOut).to.equal(1);
    });

    it("R3.4 the decorators work under experimentalDecorators, as a tslab cell compiles them", () => {
      const cell = `
        import { countedStage, timedStage } from "lib";
        class Cell {
          @countedStage("cell") @timedStage("cell")
          *evens(input: Iterable<number>) { for (const n of input) if (n % 2 === 0) yield n; }
        }
        result = [...new Cell().evens([1, 2, 3, 4, 5, 6])];
      `;
      const out = ts.transpileModule(`declare let result: any;\n${cell}`, {
        reportDiagnostics: true,
        compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, experimentalDecorators: true },
      });
      expect(out.diagnostics ?? []).to.deep.equal([]);
      expect(out.outputText).to.include("__decorate(");
      const scope: { result?: unknown } = {};
      new Function("require", "exports", "scope", `let result; ${out.outputText}; scope.result = result;`)(() => lib, {}, scope);
      expect(scope.result).to.deep.equal([2, 4, 6]);
      const m = MetricsRegistry.get("cell")!;
      expect([m.recordsIn, m.recordsOut, m.latencies.length]).to.deep.equal([6, 3, 3]);
    });
  });

  describe("R3.5 FeaturePipeline and the main block", () => {
    const records: PipelineRecord[] = [
      { id: 1, value: 10 },
      { id: 2, value: 51 },
      { id: 3, value: 50 },
      { id: 4, value: 90 },
    ];

    it("R3.5 filters above the threshold, normalizes, and extracts features", () => {
      expect([...new FeaturePipeline().run(records)]).to.deep.equal([
        { id: 2, normalized: 0.51, squared: 0.51 * 0.51, bucket: "mid" },
        { id: 4, normalized: 0.9, squared: 0.9 * 0.9, bucket: "high" },
      ]);
      const figures = [...MetricsRegistry.entries()].map(([n, m]) => [n, m.recordsIn, m.recordsOut]);
      expect(figures).to.deep.equal([
        ["threshold", 4, 2],
        ["normalize", 2, 2],
        ["features", 2, 2],
      ]);
      expect(new FeaturePipeline({ threshold: 5 }).run(records).next().value).to.include({ id: 1, bucket: "low" });
      expect(() => new FeaturePipeline({ threshold: NaN })).to.throw(TypeError, /threshold/);
    });

    it("R3.5 every stage carries both decorators: counts and latencies for each", () => {
      [...new FeaturePipeline().run(records)];
      for (const [, m] of MetricsRegistry.entries()) {
        expect(m.counts, m.stageName).to.not.equal(undefined);
        expect(m.timing, m.stageName).to.not.equal(undefined);
        expect(m.latencies).to.have.length(m.recordsOut);
      }
    });

    it("R3.5 the main block runs 5,000 records and prints the report", () => {
      const { log, lines } = captureLog();
      const table = runExercise3Demo({ seed: 34, log });
      const expectedOut = makeRecords(5000, createRandom(34)).filter((r) => r.value > 50).length;
      expect(lines[0]).to.equal(`5000 records in, ${expectedOut} features out`);
      expect(lines[1]).to.equal(table);
      const rows = table.split("\n").slice(2).map((r) => r.split(/\s+/).slice(0, 3));
      expect(rows).to.deep.equal([
        ["threshold", "5000", String(expectedOut)],
        ["normalize", String(expectedOut), String(expectedOut)],
        ["features", String(expectedOut), String(expectedOut)],
      ]);
    });
  });
});
