import { expect } from "../helpers/expect";
import * as sinon from "sinon";
import {
  InMemoryTextFile,
  RuntimeError,
  TierFaultError,
  doubleValues,
  flakyStage,
  keepAbove50,
  runExercise1Demo,
  type PipelineRecord,
  type Stage,
  type TierName,
} from "../../src/ex1-tiered-pipeline";
import { createRandom } from "../../src/shared/Random";
import { makeRecords } from "../../src/shared/records";
import { captureLog, caught } from "../helpers/capture";
import { TestContext, type TestContextOptions } from "../helpers/ex1-context";

/**
 * Hidden tests (never released): the same documented rules as test/ex1-tiered-pipeline.test.ts, on inputs the
 * visible tests do not use: other pipeline ids, tier orders, positions, clocks, seeds and rates.
 */

/** A TestContext that also shows its list of opened tiers and the resources openTier created. */
class Peek extends TestContext {
  readonly created: unknown[] = [];
  private readonly openFault?: { tier: TierName; error: unknown };

  constructor(options: TestContextOptions & { openFault?: { tier: TierName; error: unknown } } = {}) {
    super(options);
    this.openFault = options.openFault;
  }

  /** The context's own list, as it is now. */
  get openedNow(): TierName[] {
    return [...this.opened];
  }

  protected override openTier<R>(tier: TierName, create: () => R): R {
    if (this.openFault?.tier === tier) {
      this.openCalls.push(tier);
      throw this.openFault.error;
    }
    const resource = super.openTier(tier, create);
    this.created.push(resource);
    return resource;
  }
}

const closing = (lines: string[]) => lines.filter((l) => l.includes("closing"));

describe("Exercise 1 — hidden tests", () => {
  describe("R1.1 enter", () => {
    it("R1.1 stores exactly the resources openTier created, in sequence, and returns the context", () => {
      const ctx = new Peek({ pipelineId: "h-11", replace: ["exit"] });
      expect(ctx.enter(), "enter() should return the context").to.equal(ctx);
      expect(ctx.openCalls, "tiers passed to openTier").to.deep.equal(["database", "logFile", "socket"]);
      expect([ctx.database, ctx.logFile, ctx.socket], "the stored tiers should be the objects openTier returned").to.deep.equal(ctx.created);
      expect(ctx.created.every((r, i) => r === [ctx.database, ctx.logFile, ctx.socket][i]), "each stored tier is the very object openTier returned (not a second one)").to.equal(true);
      expect(ctx.logFile, "ctx.logFile").to.be.instanceOf(InMemoryTextFile);
    });

    it("R1.1 an error of any kind thrown while opening logFile: socket is not opened, exit(error) gets that error once, and it is rethrown", () => {
      const odd = new RangeError("disk quota exceeded");
      const ctx = new Peek({ replace: ["exit"], openFault: { tier: "logFile", error: odd } });
      expect(caught(() => ctx.enter()), "what enter() threw").to.equal(odd);
      expect(ctx.openCalls, "openTier calls").to.deep.equal(["database", "logFile"]);
      expect(ctx.exitCalls, "exit(error) calls").to.deep.equal([odd]);
      expect([ctx.database, ctx.logFile, ctx.socket].map((t) => t !== undefined), "[database, logFile, socket] stored").to.deep.equal([true, false, false]);
    });
  });

  describe("R1.2 closeTiers", () => {
    it("R1.2 closes in reverse of the order the tiers were opened in, whatever that order was", () => {
      for (const order of [["socket", "database", "logFile"], ["logFile", "socket"], ["database"]] as TierName[][]) {
        const { log, lines } = captureLog();
        const ctx = new Peek({ pipelineId: "ord-7", log, replace: ["summary"] }).openForTest(order);
        ctx.exit();
        expect(closing(lines), `closing lines after opening ${order.join(", ")}`).to.deep.equal([...order].reverse().map((t) => `[ord-7] closing ${t}`));
      }
    });

    it("R1.2 closing leaves the context's list of opened tiers as it was (in opening order)", () => {
      const ctx = new Peek({ replace: ["summary"] }).openForTest(["database", "logFile", "socket"]);
      ctx.exit();
      expect(ctx.openedNow, "the context's opened tiers after exit() (later summaries show this list)").to.deep.equal(["database", "logFile", "socket"]);
      const failed = new Peek({ replace: ["summary"], failClose: ["logFile"] }).openForTest(["logFile", "database"]);
      caught(() => failed.exit());
      expect(failed.openedNow, "opened tiers after an exit() whose close failed").to.deep.equal(["logFile", "database"]);
    });

    it("R1.2 the failed-tier suffix names whichever stage failed; the failures come out oldest first with every tier closed", () => {
      const { log, lines } = captureLog();
      const ctx = new Peek({ pipelineId: "q", log, replace: ["summary"], failClose: ["logFile", "database"] }).openForTest(["socket", "logFile", "database"]);
      ctx.failAs("<anonymous stage #4>");
      const error = caught(() => ctx.exit()) as { error: TierFaultError; suppressed: TierFaultError };
      expect(closing(lines), "closing lines").to.deep.equal([
        "[q] closing database (failed tier: <anonymous stage #4>)",
        "[q] closing logFile (failed tier: <anonymous stage #4>)",
        "[q] closing socket (failed tier: <anonymous stage #4>)",
      ]);
      expect([error.error?.tier, error.suppressed?.tier], "[error.tier, suppressed.tier]: the newest failure outermost").to.deep.equal(["logFile", "database"]);
      expect(ctx.socket, "socket after the other two failed to close").to.deep.equal({ bound: false });
    });
  });

  describe("R1.3 run", () => {
    const plusOne: Stage = function plusOne(rs) {
      return rs.map((r) => ({ ...r, value: r.value + 1 }));
    };
    const evensOnly: Stage = function evensOnly(rs) {
      return rs.filter((r) => r.value % 2 === 0);
    };
    const input: PipelineRecord[] = [1, 2, 3, 4, 5, 6].map((value, i) => ({ id: i + 10, value }));

    it("R1.3 chains five stages in order and returns the last output; with no stages, a copy the caller may change", () => {
      const ctx = new TestContext().openForTest();
      const out = ctx.run([plusOne, evensOnly, plusOne, plusOne, evensOnly], input);
      expect(out, "run([+1, evens, +1, +1, evens], values 1..6)").to.deep.equal([{ id: 10, value: 4 }, { id: 12, value: 6 }, { id: 14, value: 8 }]);
      const copy = ctx.run([], input);
      copy.pop();
      expect(input, "the caller's records after changing what run([], records) returned").to.have.length(6);
    });

    it("R1.3 a failure in stage 4 of 5 records its name, skips stage 5 and rethrows the very value thrown (even a non-Error)", () => {
      const thrown = { code: 17 };
      const fifth = sinon.spy(plusOne);
      const ctx = new TestContext().openForTest();
      const stages: Stage[] = [plusOne, evensOnly, plusOne, function rejectBatch(): PipelineRecord[] { throw thrown; }, fifth];
      expect(caught(() => ctx.run(stages, input)), "what run() threw").to.equal(thrown);
      expect(ctx.failedTier, "failedTier").to.equal("rejectBatch");
      expect(fifth.called, "stage 5 ran").to.equal(false);
    });

    it("R1.3 an anonymous stage in position 5 is `<anonymous stage #5>`; a stage returning null fails as a TypeError naming it", () => {
      const ctx = new TestContext().openForTest();
      const anonymous = [(): PipelineRecord[] => { throw new RuntimeError("x"); }][0];
      caught(() => ctx.run([plusOne, plusOne, plusOne, plusOne, anonymous], input));
      expect(ctx.failedTier, "failedTier for an anonymous fifth stage").to.equal("<anonymous stage #5>");
      const other = new TestContext().openForTest();
      const nothing = function dropAll() {
        return null;
      } as unknown as Stage;
      const error = caught(() => other.run([nothing], input));
      expect(error, "what run() threw when dropAll returned null").to.be.instanceOf(TypeError);
      expect((error as Error).message, "the TypeError's message").to.include("dropAll");
      expect(other.failedTier, "failedTier").to.equal("dropAll");
    });
  });

  describe("R1.4 summary", () => {
    it("R1.4 exact figures on a clock starting at 250.5 ms, with two tiers opened socket first", () => {
      const clock = { t: 250.5 };
      const { log, lines } = captureLog();
      const ctx = new TestContext({ pipelineId: "sum-42", log, now: () => clock.t, replace: ["closeTiers"] }).openForTest(["socket", "database"]);
      ctx.count(11, 7);
      clock.t = 260;
      expect(ctx.summary().durationMs, "durationMs while open at 260 ms").to.equal(9.5);
      clock.t = 253.64159;
      ctx.exit();
      clock.t = 9999;
      const summary = ctx.summary();
      expect(summary, "summary() after exiting at 253.64159 ms").to.deep.equal({
        pipelineId: "sum-42",
        recordsIn: 11,
        recordsOut: 7,
        durationMs: 253.64159 - 250.5,
        tiersOpened: ["socket", "database"],
      });
      const last = lines[lines.length - 1] ?? "";
      expect(last.startsWith("[sum-42] summary {"), `the last line ${JSON.stringify(last)}`).to.equal(true);
      expect(JSON.parse(last.slice(last.indexOf("{"))).durationMs, "the logged durationMs (rounded to hundredths)").to.equal(3.14);
    });

    it("R1.4 each summary's tiersOpened is a fresh copy: reversing or emptying one changes no other", () => {
      const ctx = new TestContext({ pipelineId: "copy" }).openForTest(["logFile", "socket", "database"]);
      ctx.summary().tiersOpened.reverse();
      ctx.summary().tiersOpened.length = 0;
      expect(ctx.summary().tiersOpened, "tiersOpened after callers changed earlier lists").to.deep.equal(["logFile", "socket", "database"]);
      const fresh = new TestContext({ pipelineId: "never-entered", now: () => 777 });
      expect(fresh.summary(), "summary before enter()").to.deep.equal({ pipelineId: "never-entered", recordsIn: 0, recordsOut: 0, durationMs: 0, tiersOpened: [] });
    });
  });

  describe("R1.5 main block", () => {
    let clock: sinon.SinonFakeTimers;
    beforeEach(() => {
      clock = sinon.useFakeTimers({ toFake: ["performance"] });
    });
    afterEach(() => clock.restore());

    it("R1.5 runs five batches with seed 42: ids batch-1..batch-5, 20 records each, every summary printed once", () => {
      const { log, lines } = captureLog();
      const summaries = runExercise1Demo({ seed: 42, log, batches: 5, stages: [keepAbove50, doubleValues] });
      expect(summaries.map((s) => [s.pipelineId, s.recordsIn]), "[pipelineId, recordsIn] per batch").to.deep.equal([1, 2, 3, 4, 5].map((b) => [`batch-${b}`, 20]));
      // The stages draw nothing, so batch b's records are the b-th 20 records the seed's random makes.
      const random = createRandom(42);
      const expected = [1, 2, 3, 4, 5].map(() => makeRecords(20, random).filter((r) => r.value > 50).length);
      expect(summaries.map((s) => s.recordsOut), "recordsOut per batch (records above 50 with seed 42)").to.deep.equal(expected);
      for (let b = 1; b <= 5; b++) expect(lines.filter((l) => l.includes(`"pipelineId":"batch-${b}"`)), `lines printing batch-${b}'s summary`).to.have.length(1);
    });

    it("R1.5 a RuntimeError from a stage of any name is handled, naming RuntimeError and that stage; other errors escape after closing", () => {
      const { log, lines } = captureLog();
      const halve: Stage = function halveValues(rs) {
        return rs.map((r) => ({ ...r, value: r.value / 2 }));
      };
      const summaries = runExercise1Demo({ seed: 5, log, batches: 2, stages: [keepAbove50, flakyStage(halve, 1, () => 0.5)] });
      expect(summaries.map((s) => s.recordsOut), "recordsOut per batch").to.deep.equal([0, 0]);
      expect(lines.filter((l) => l.includes("RuntimeError") && l.includes("halveValues")), "lines naming RuntimeError and halveValues").to.have.length(2);
      const escaped = captureLog();
      const bug = new RangeError("not simulated");
      const stages: Stage[] = [keepAbove50, function overflow(): PipelineRecord[] { throw bug; }];
      expect(caught(() => runExercise1Demo({ seed: 5, log: escaped.log, batches: 4, stages })), "what escaped").to.equal(bug);
      expect(closing(escaped.lines), "closing lines before the RangeError escaped").to.have.length(3);
    });

    it("R1.5 flakyStage: draws once per call, fails exactly below the rate, names and keeps the stage", () => {
      const records = [{ id: 1, value: 30 }];
      const draws = [0.3, 0.2999, 0.75, 0.7499, 0.05];
      const random = sinon.spy(() => draws.shift() ?? 0.99);
      const halve: Stage = function halveValues(rs) {
        return rs.map((r) => ({ ...r, value: r.value / 2 }));
      };
      const outcomes = [0.3, 0.3, 0.75, 0.75, 0.05].map((rate) => {
        const stage = flakyStage(halve, rate, random);
        try {
          return stage(records);
        } catch (error) {
          expect(error, `what flakyStage(rate ${rate}) threw`).to.be.instanceOf(RuntimeError);
          expect((error as Error).message, "the RuntimeError's message names the stage").to.include("halveValues");
          return "failed";
        }
      });
      expect(outcomes, "outcomes for draws 0.3/0.3, 0.2999/0.3, 0.75/0.75, 0.7499/0.75, 0.05/0.05").to.deep.equal([[{ id: 1, value: 15 }], "failed", [{ id: 1, value: 15 }], "failed", [{ id: 1, value: 15 }]]);
      expect(random.callCount, "random() calls for five calls").to.equal(5);
      expect(flakyStage(halve, 0.5, random).name, "the wrapped stage's name").to.equal("halveValues");
      expect(flakyStage(doubleValues, 0, random)(records), "rate 0").to.deep.equal([{ id: 1, value: 60 }]);
    });
  });
});
