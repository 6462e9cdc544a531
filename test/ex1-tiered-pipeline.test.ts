import { expect } from "./helpers/expect";
import * as sinon from "sinon";
import {
  ClosedFileError,
  InMemoryTextFile,
  PipelineStateError,
  RuntimeError,
  TIER_ORDER,
  TierFaultError,
  TieredPipelineContext,
  doubleValues,
  flakyStage,
  keepAbove50,
  runExercise1Demo,
  type PipelineRecord,
  type Stage,
  type TierName,
} from "../src/ex1-tiered-pipeline";
import { createRandom } from "../src/shared/Random";
import { makeRecords } from "../src/shared/records";
import { SuppressedError } from "../src/shared/SuppressedError";
import { captureLog, caught } from "./helpers/capture";

const records: PipelineRecord[] = [
  { id: 1, value: 10 },
  { id: 2, value: 60 },
  { id: 3, value: 90 },
];
const REVERSE: TierName[] = ["socket", "logFile", "database"];

function closingOrder(lines: string[]): string[] {
  return lines.filter((l) => l.includes("closing")).map((l) => REVERSE.find((t) => l.includes(`closing ${t}`)) ?? l);
}

function boom(message = "boom"): Stage {
  return function explode(): PipelineRecord[] {
    throw new RuntimeError(message);
  };
}

describe("Exercise 1 — TieredPipelineContext", () => {
  describe("R1.1 enter opens three tiers", () => {
    it("R1.1 opens database, log file and socket, stores each on the context, and returns the context", () => {
      const ctx = new TieredPipelineContext({ log: () => {} });
      expect(ctx.enter()).to.equal(ctx);
      expect(ctx.database).to.deep.equal({ connected: true });
      expect(ctx.logFile).to.be.instanceOf(InMemoryTextFile);
      expect(ctx.logFile!.closed).to.equal(false);
      expect(ctx.socket).to.deep.equal({ bound: true });
      expect(ctx.summary().tiersOpened).to.deep.equal(["database", "logFile", "socket"]);
    });

    it("R1.1 opens the tiers in sequence: database, then log file, then socket", () => {
      const first = new TieredPipelineContext({ log: () => {}, failOn: { open: "database" } });
      expect(() => first.enter()).to.throw(TierFaultError, /database: simulated failure to open/);
      expect([first.database, first.logFile, first.socket]).to.deep.equal([undefined, undefined, undefined]);
      const last = new TieredPipelineContext({ log: () => {}, failOn: { open: "socket" } });
      expect(() => last.enter()).to.throw(TierFaultError);
      expect(last.database).to.deep.equal({ connected: false });
      expect(last.logFile!.getValue()).to.equal("opened logFile\n");
      expect(last.socket).to.equal(undefined);
    });

    for (const tier of TIER_ORDER) {
      it(`R1.1 a failure opening ${tier} closes the tiers already open, in reverse, and propagates`, () => {
        const { log, lines } = captureLog();
        const ctx = new TieredPipelineContext({ log, failOn: { open: tier } });
        const error = caught(() => ctx.enter());
        expect(error).to.be.instanceOf(TierFaultError).with.property("tier", tier);
        const opened = TIER_ORDER.slice(0, TIER_ORDER.indexOf(tier));
        expect(ctx.summary().tiersOpened).to.deep.equal(opened);
        expect(closingOrder(lines)).to.deep.equal([...opened].reverse());
        if (ctx.database) expect(ctx.database.connected).to.equal(false);
        expect(() => ctx.run([], records)).to.throw(PipelineStateError);
      });
    }

    it("R1.1 refuses to enter twice", () => {
      const ctx = new TieredPipelineContext({ log: () => {} }).enter();
      expect(() => ctx.enter()).to.throw(PipelineStateError, /already entered/);
    });

    it("R1.x given: the log file is an in-memory text file like io.StringIO", () => {
      const file = new InMemoryTextFile();
      expect(file.write("abc")).to.equal(3);
      file.write("\n");
      expect(file.getValue()).to.equal("abc\n");
      file.close();
      expect(file.closed).to.equal(true);
      expect(() => file.write("x")).to.throw(ClosedFileError, /closed file/);
      expect(file.getValue()).to.equal("abc\n");
    });
  });

  describe("R1.2 exit closes in reverse order", () => {
    it("R1.2 closes socket, log file, database in that order, one log line per tier", () => {
      const { log, lines } = captureLog();
      const ctx = new TieredPipelineContext({ pipelineId: "p", log }).enter();
      ctx.exit();
      expect(closingOrder(lines)).to.deep.equal(REVERSE);
      expect(ctx.socket!.bound).to.equal(false);
      expect(ctx.logFile!.closed).to.equal(true);
      expect(ctx.database!.connected).to.equal(false);
    });

    it("R1.2 `using` closes the tiers at the end of the block", () => {
      const { log, lines } = captureLog();
      let ctx: TieredPipelineContext;
      {
        using entered = new TieredPipelineContext({ log }).enter();
        ctx = entered;
        expect(lines).to.deep.equal([]);
      }
      expect(closingOrder(lines)).to.deep.equal(REVERSE);
      expect(ctx.database!.connected).to.equal(false);
    });

    it("R1.2 `using` closes the tiers when a stage throws, names the failed tier, and lets the error through", () => {
      const { log, lines } = captureLog();
      const error = caught(() => {
        using ctx = new TieredPipelineContext({ log }).enter();
        ctx.run([keepAbove50, boom("bad batch")], records);
      });
      expect(error).to.be.instanceOf(RuntimeError).with.property("message", "bad batch");
      expect(closingOrder(lines)).to.deep.equal(REVERSE);
      expect(lines[0]).to.include("failed tier: explode");
    });

    it("R1.2 each cleanup line names the failed tier when a stage failed", () => {
      const { log, lines } = captureLog();
      const ctx = new TieredPipelineContext({ log }).enter();
      const error = caught(() => ctx.run([keepAbove50, boom()], records));
      ctx.exit(error);
      const cleanup = lines.filter((l) => l.includes("closing"));
      expect(cleanup).to.have.length(3);
      for (const line of cleanup) expect(line).to.include("explode");
    });

    it("R1.2 cleanup lines name no failed tier after a successful run", () => {
      const { log, lines } = captureLog();
      const ctx = new TieredPipelineContext({ log }).enter();
      ctx.run([keepAbove50], records);
      ctx.exit();
      for (const line of lines.filter((l) => l.includes("closing"))) expect(line).to.not.include("failed");
    });

    for (const tier of TIER_ORDER) {
      it(`R1.2 a failure closing ${tier} still closes the other tiers, then propagates`, () => {
        const { log, lines } = captureLog();
        const ctx = new TieredPipelineContext({ log, failOn: { close: tier } }).enter();
        const error = caught(() => ctx.exit());
        expect(error).to.be.instanceOf(TierFaultError).with.property("tier", tier);
        expect(closingOrder(lines)).to.deep.equal(REVERSE);
        expect(ctx.database!.connected).to.equal(tier === "database");
        expect(ctx.logFile!.closed).to.equal(tier !== "logFile");
        expect(ctx.socket!.bound).to.equal(tier === "socket");
      });
    }

    it("R1.2 a close failure on top of a stage failure keeps both (exit(error) form)", () => {
      const ctx = new TieredPipelineContext({ log: () => {}, failOn: { close: "logFile" } }).enter();
      const stageError = caught(() => ctx.run([boom()], records));
      const error = caught(() => ctx.exit(stageError));
      expect(error).to.be.instanceOf(SuppressedError);
      expect((error as SuppressedError).error).to.be.instanceOf(TierFaultError);
      expect((error as SuppressedError).suppressed).to.equal(stageError);
      expect((error as SuppressedError).cause).to.equal(stageError);
      expect(ctx.database!.connected).to.equal(false);
    });

    it("R1.2 a close failure on top of a stage failure keeps both (`using` form)", () => {
      let stageError: unknown;
      const error = caught(() => {
        using ctx = new TieredPipelineContext({ log: () => {}, failOn: { close: "socket" } }).enter();
        stageError = caught(() => ctx.run([boom()], records));
        throw stageError;
      }) as { name: string; error: unknown; suppressed: unknown };
      expect(error.name).to.equal("SuppressedError");
      expect(error.error).to.be.instanceOf(TierFaultError);
      expect(error.suppressed).to.equal(stageError);
    });

    it("R1.2 exit before enter and a second exit do nothing", () => {
      const { log, lines } = captureLog();
      const ctx = new TieredPipelineContext({ log });
      ctx.exit();
      expect(lines).to.deep.equal([]);
      ctx.enter();
      ctx.exit();
      const count = lines.length;
      ctx.exit();
      ctx[Symbol.dispose]();
      expect(lines).to.have.length(count);
    });
  });

  describe("R1.3 run processes records through the stages", () => {
    it("R1.3 passes the records through every stage in order and returns the last output", () => {
      const ctx = new TieredPipelineContext({ log: () => {} }).enter();
      expect(ctx.run([keepAbove50, doubleValues], records)).to.deep.equal([
        { id: 2, value: 120 },
        { id: 3, value: 180 },
      ]);
      expect(ctx.run([doubleValues, keepAbove50], records)).to.deep.equal([
        { id: 2, value: 120 },
        { id: 3, value: 180 },
      ]);
      expect(ctx.failedTier).to.equal(undefined);
    });

    it("R1.3 handles empty input and an empty stage list", () => {
      const ctx = new TieredPipelineContext({ log: () => {} }).enter();
      expect(ctx.run([keepAbove50, doubleValues], [])).to.deep.equal([]);
      const copy = ctx.run([], records);
      expect(copy).to.deep.equal(records);
      expect(copy).to.not.equal(records);
    });

    for (const position of [0, 1, 2]) {
      it(`R1.3 a failure in stage ${position + 1} of 3 sets failedTier to its name and rethrows the same error`, () => {
        const failure = new RuntimeError("stage broke");
        function failingStage(): PipelineRecord[] {
          throw failure;
        }
        const stages: Stage[] = [keepAbove50, doubleValues, doubleValues];
        stages[position] = failingStage;
        const after = sinon.spy(doubleValues);
        stages.push(after);
        const ctx = new TieredPipelineContext({ log: () => {} }).enter();
        expect(caught(() => ctx.run(stages, records))).to.equal(failure);
        expect(ctx.failedTier).to.equal("failingStage");
        expect(after.called).to.equal(false);
      });
    }

    it("R1.3 an anonymous stage gets a clear placeholder name", () => {
      const ctx = new TieredPipelineContext({ log: () => {} }).enter();
      const stages: Stage[] = [keepAbove50, [() => { throw new RuntimeError("x"); }][0]];
      caught(() => ctx.run(stages, records));
      expect(ctx.failedTier).to.equal("<anonymous stage #2>");
    });

    it("R1.3 a stage that returns something other than an array fails as that stage", () => {
      const ctx = new TieredPipelineContext({ log: () => {} }).enter();
      const broken = function countOnly(r: PipelineRecord[]) {
        return r.length;
      } as unknown as Stage;
      expect(() => ctx.run([broken], records)).to.throw(TypeError, /countOnly.*array.*number 3/);
      expect(ctx.failedTier).to.equal("countOnly");
    });

    it("R1.3 rejects bad arguments and a context that is not entered", () => {
      const fresh = new TieredPipelineContext({ log: () => {} });
      expect(() => fresh.run([], records)).to.throw(PipelineStateError, /enter\(\) first/);
      const ctx = fresh.enter();
      expect(() => ctx.run([42 as unknown as Stage], records)).to.throw(TypeError, /stages: expected an array of functions/);
      expect(() => ctx.run([], "abc" as unknown as PipelineRecord[])).to.throw(TypeError, /records: expected an array.*string abc/);
      ctx.exit();
      expect(() => ctx.run([], records)).to.throw(PipelineStateError, /exited/);
    });
  });

  describe("R1.4 summary", () => {
    let clock: sinon.SinonFakeTimers;
    beforeEach(() => {
      clock = sinon.useFakeTimers({ toFake: ["performance"] });
    });
    afterEach(() => clock.restore());

    it("R1.4 returns pipelineId, recordsIn, recordsOut, durationMs and tiersOpened", () => {
      const ctx = new TieredPipelineContext({ pipelineId: "p-1", log: () => {} }).enter();
      clock.tick(25);
      ctx.run([keepAbove50], records);
      clock.tick(5);
      ctx.exit();
      clock.tick(1000);
      expect(ctx.summary()).to.deep.equal({
        pipelineId: "p-1",
        recordsIn: 3,
        recordsOut: 2,
        durationMs: 30,
        tiersOpened: ["database", "logFile", "socket"],
      });
    });

    it("R1.4 exit logs the summary after a success and after a failure", () => {
      for (const stages of [[keepAbove50], [keepAbove50, boom()]]) {
        const { log, lines } = captureLog();
        const ctx = new TieredPipelineContext({ pipelineId: "p-2", log }).enter();
        let failure: unknown;
        try {
          ctx.run(stages, records);
        } catch (error) {
          failure = error;
        }
        ctx.exit(failure);
        const last = lines[lines.length - 1];
        expect(last).to.match(/summary/);
        const printed = JSON.parse(last.slice(last.indexOf("{")));
        expect(printed).to.have.all.keys("pipelineId", "recordsIn", "recordsOut", "durationMs", "tiersOpened");
        expect(printed.recordsIn).to.equal(3);
        expect(printed.recordsOut).to.equal(failure ? 0 : 2);
      }
    });

    it("R1.4 the summary after a failed open lists only the tiers that opened", () => {
      const { log, lines } = captureLog();
      const ctx = new TieredPipelineContext({ log, failOn: { open: "socket" } });
      caught(() => ctx.enter());
      expect(ctx.summary().tiersOpened).to.deep.equal(["database", "logFile"]);
      expect(lines[lines.length - 1]).to.include('"tiersOpened":["database","logFile"]');
    });

    it("R1.4 before enter the summary is empty, and generated pipeline ids are unique", () => {
      const a = new TieredPipelineContext();
      const b = new TieredPipelineContext();
      expect(a.pipelineId).to.not.equal(b.pipelineId);
      expect(a.summary()).to.deep.equal({ pipelineId: a.pipelineId, recordsIn: 0, recordsOut: 0, durationMs: 0, tiersOpened: [] });
    });

    it("R1.4 logs through console.log by default, looked up at call time", () => {
      const spy = sinon.stub(console, "log");
      try {
        new TieredPipelineContext().enter().exit();
      } finally {
        spy.restore();
      }
      expect(spy.callCount).to.equal(4);
    });
  });

  describe("R1.5 main block", () => {
    it("R1.5 runs 20 random records per batch and prints the summaries; same seed, same output", () => {
      const clock = sinon.useFakeTimers({ toFake: ["performance"] });
      try {
        const first = captureLog();
        const summaries = runExercise1Demo({ seed: 7, log: first.log });
        const second = captureLog();
        runExercise1Demo({ seed: 7, log: second.log });
        expect(second.lines).to.deep.equal(first.lines);
        expect(summaries).to.have.length(3);
        for (const s of summaries) expect(s.recordsIn).to.equal(20);
        expect(first.lines).to.include("summaries:");
        expect(first.lines.join("\n")).to.include("handled RuntimeError from stage doubleValues");
      } finally {
        clock.restore();
      }
    });

    it("R1.5 handles a RuntimeError in every batch when the stage always fails", () => {
      const { log, lines } = captureLog();
      const summaries = runExercise1Demo({ seed: 1, log, failureRate: 1, batches: 4 });
      expect(summaries.map((s) => s.recordsOut)).to.deep.equal([0, 0, 0, 0]);
      expect(lines.filter((l) => l.includes("handled RuntimeError from stage doubleValues"))).to.have.length(4);
    });

    it("R1.5 keeps values above 50 and doubles them when nothing fails", () => {
      const random = createRandom(3);
      const expected = makeRecords(20, random).filter((r) => r.value > 50).length;
      const summaries = runExercise1Demo({ seed: 3, log: () => {}, failureRate: 0, batches: 1 });
      expect(summaries[0].recordsOut).to.equal(expected);
    });

    it("R1.5 the flaky stage fails at the given rate and keeps the wrapped stage's name", () => {
      const random = createRandom(11);
      const stage = flakyStage(doubleValues, 0.2, random);
      expect(stage.name).to.equal("doubleValues");
      let failures = 0;
      for (let i = 0; i < 2000; i++) {
        try {
          stage(records);
        } catch (error) {
          expect(error).to.be.instanceOf(RuntimeError);
          failures++;
        }
      }
      expect(failures / 2000).to.be.within(0.17, 0.23);
      const values = makeRecords(500, createRandom(5)).map((r) => r.value);
      expect(values.every((v) => Number.isInteger(v) && v >= 0 && v <= 100)).to.equal(true);
      expect(Math.min(...values)).to.equal(0);
      expect(Math.max(...values)).to.equal(100);
    });
  });
});
