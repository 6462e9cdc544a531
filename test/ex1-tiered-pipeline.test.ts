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
  formatSummary,
  keepAbove50,
  runExercise1Demo,
  type PipelineRecord,
  type Stage,
  type TierName,
} from "../src/ex1-tiered-pipeline";
import { createRandom } from "../src/shared/Random";
import { makeRecords } from "../src/shared/records";
import { SuppressedError, isSuppressedErrorShape } from "../src/shared/SuppressedError";
import { captureLog, caught } from "./helpers/capture";
import { TestContext } from "./helpers/ex1-context";

const records: PipelineRecord[] = [
  { id: 1, value: 10 },
  { id: 2, value: 60 },
  { id: 3, value: 90 },
];
const REVERSE: TierName[] = ["socket", "logFile", "database"];

/** The `closing …` lines of a log, in order. */
function closingLines(lines: string[]): string[] {
  return lines.filter((l) => l.includes("closing"));
}

function boom(message = "boom"): Stage {
  return function explode(): PipelineRecord[] {
    throw new RuntimeError(message);
  };
}

/** The resources a context holds, for one readable comparison. */
function tiersOf(ctx: TieredPipelineContext) {
  return { database: ctx.database, logFile: ctx.logFile && { closed: ctx.logFile.closed }, socket: ctx.socket };
}

/** A clock the test moves by hand; starts at 1000 ms so that adding instead of subtracting shows. */
function manualClock(start = 1000) {
  const clock = { t: start, now: () => clock.t };
  return clock;
}

describe("Exercise 1 — TieredPipelineContext", () => {
  describe("R1.1 enter opens three tiers", () => {
    it("R1.1 enter() stores database { connected: true }, an open InMemoryTextFile and socket { bound: true }, and returns the context", () => {
      const ctx = new TestContext({ replace: ["exit"] });
      expect(ctx.enter(), "enter() should return the context itself (`return this`)").to.equal(ctx);
      expect(ctx.database, "ctx.database after enter()").to.deep.equal({ connected: true });
      expect(ctx.logFile, "ctx.logFile after enter()").to.be.instanceOf(InMemoryTextFile);
      expect(ctx.logFile!.closed, "ctx.logFile.closed after enter()").to.equal(false);
      expect(ctx.socket, "ctx.socket after enter()").to.deep.equal({ bound: true });
      expect(ctx.exitCalls, "exit() calls during a successful enter()").to.deep.equal([]);
    });

    it("R1.1 opens the tiers in sequence through openTier: database, then logFile, then socket", () => {
      const ctx = new TestContext({ replace: ["exit"] });
      ctx.enter();
      expect(ctx.openCalls, "tiers passed to openTier(tier, create), in call order").to.deep.equal(["database", "logFile", "socket"]);
      expect(ctx.logFile!.getValue(), "what openTier wrote to the log file").to.equal("opened logFile\nopened socket\n");
    });

    for (const tier of TIER_ORDER) {
      it(`R1.1 a failure opening ${tier} keeps the tiers before it, opens none after, calls exit(error) once and rethrows that error`, () => {
        const ctx = new TestContext({ replace: ["exit"], failOn: { open: tier } });
        const error = caught(() => ctx.enter());
        expect(error, `what enter() threw with failOn.open = ${tier}`).to.be.instanceOf(TierFaultError).with.property("tier", tier);
        const before = TIER_ORDER.slice(0, TIER_ORDER.indexOf(tier));
        expect(ctx.openCalls, `openTier calls with failOn.open = ${tier}`).to.deep.equal([...before, tier]);
        const held = { database: ctx.database !== undefined, logFile: ctx.logFile !== undefined, socket: ctx.socket !== undefined };
        const expected = Object.fromEntries(TIER_ORDER.map((t) => [t, before.includes(t)]));
        expect(held, `which tiers are stored on the context after ${tier} failed to open`).to.deep.equal(expected);
        expect(ctx.exitCalls.length, `exit(error) calls after ${tier} failed to open`).to.equal(1);
        expect(ctx.exitCalls[0], "the error passed to exit(error) should be the one openTier threw").to.equal(error);
      });
    }

    it("R1.x given: enter() refuses a context that was entered before", () => {
      const ctx = new TestContext({ replace: ["exit"] }).openForTest();
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
    it("R1.2 exit() closes socket, log file, database in that order, logging `[<pipelineId>] closing <tier>` for each", () => {
      const { log, lines } = captureLog();
      const ctx = new TestContext({ pipelineId: "p", log, replace: ["summary"] }).openForTest();
      ctx.exit();
      expect(closingLines(lines)).to.deep.equal(["[p] closing socket", "[p] closing logFile", "[p] closing database"]);
      expect(tiersOf(ctx), "tiers after exit()").to.deep.equal({ database: { connected: false }, logFile: { closed: true }, socket: { bound: false } });
    });

    it("R1.2 after a partial open only the tiers that opened are closed, last opened first", () => {
      const { log, lines } = captureLog();
      const ctx = new TestContext({ pipelineId: "p", log, replace: ["summary"] }).openForTest(["database", "logFile"]);
      ctx.exit();
      expect(closingLines(lines)).to.deep.equal(["[p] closing logFile", "[p] closing database"]);
      expect(tiersOf(ctx)).to.deep.equal({ database: { connected: false }, logFile: { closed: true }, socket: undefined });
    });

    it("R1.2 `using` closes the tiers at the end of the block", () => {
      const { log, lines } = captureLog();
      let ctx: TestContext;
      {
        using entered = new TestContext({ pipelineId: "u", log, replace: ["summary"] }).openForTest();
        ctx = entered;
        expect(lines, "lines logged inside the block").to.deep.equal([]);
      }
      expect(closingLines(lines)).to.deep.equal(["[u] closing socket", "[u] closing logFile", "[u] closing database"]);
      expect(ctx.database, "ctx.database after the block").to.deep.equal({ connected: false });
    });

    it("R1.2 when a stage failed, every closing line ends with ` (failed tier: <stage>)`, and `using` lets the error through", () => {
      const { log, lines } = captureLog();
      const thrown = new RuntimeError("bad batch");
      const error = caught(() => {
        using ctx = new TestContext({ pipelineId: "f", log, replace: ["summary"] }).openForTest();
        ctx.failAs("explode");
        throw thrown;
      });
      expect(error, "what came out of the using block").to.equal(thrown);
      expect(closingLines(lines)).to.deep.equal([
        "[f] closing socket (failed tier: explode)",
        "[f] closing logFile (failed tier: explode)",
        "[f] closing database (failed tier: explode)",
      ]);
    });

    for (const tier of TIER_ORDER) {
      it(`R1.2 a failure closing ${tier} still closes the other tiers, then exit() throws that failure`, () => {
        const { log, lines } = captureLog();
        const ctx = new TestContext({ pipelineId: "c", log, replace: ["summary"], failOn: { close: tier } }).openForTest();
        const error = caught(() => ctx.exit());
        expect(error, `what exit() threw with failOn.close = ${tier}`).to.be.instanceOf(TierFaultError).with.property("tier", tier);
        expect(closingLines(lines)).to.deep.equal(REVERSE.map((t) => `[c] closing ${t}`));
        expect(tiersOf(ctx), `tiers after ${tier} failed to close`).to.deep.equal({
          database: { connected: tier === "database" },
          logFile: { closed: tier !== "logFile" },
          socket: { bound: tier === "socket" },
        });
      });
    }

    it("R1.2 two close failures: every tier still closes, and both failures come out (newest outermost)", () => {
      const ctx = new TestContext({ replace: ["summary"], failClose: ["socket", "database"] }).openForTest();
      const error = caught(() => ctx.exit());
      expect(error, "what exit() threw after socket and database failed to close").to.be.instanceOf(SuppressedError);
      const { error: newer, suppressed: older } = error as SuppressedError;
      expect([newer, older].map((e) => (e as TierFaultError).tier), "[error.tier, suppressed.tier]").to.deep.equal(["database", "socket"]);
      expect(ctx.logFile!.closed, "log file closed between the two failures").to.equal(true);
    });

    it("R1.2 a close failure on top of a stage failure keeps both (exit(error) form)", () => {
      const ctx = new TestContext({ replace: ["summary"], failOn: { close: "logFile" } }).openForTest();
      const stageError = new RuntimeError("stage failed");
      const error = caught(() => ctx.exit(stageError));
      expect(error).to.be.instanceOf(SuppressedError);
      expect((error as SuppressedError).error, "SuppressedError.error").to.be.instanceOf(TierFaultError);
      expect((error as SuppressedError).suppressed, "SuppressedError.suppressed").to.equal(stageError);
      expect((error as SuppressedError).cause, "SuppressedError.cause").to.equal(stageError);
      expect(ctx.database!.connected, "database.connected after the log file failed to close").to.equal(false);
    });

    it("R1.2 a close failure on top of a stage failure keeps both (`using` form), and `instanceof SuppressedError` holds", () => {
      const stageError = new RuntimeError("stage failed");
      const error = caught(() => {
        using ctx = new TestContext({ replace: ["summary"], failOn: { close: "socket" } }).openForTest();
        ctx.failAs("explode");
        throw stageError;
      });
      expect(error, "what the using block threw").to.be.instanceOf(SuppressedError);
      expect((error as SuppressedError).error, "SuppressedError.error").to.be.instanceOf(TierFaultError);
      expect((error as SuppressedError).suppressed, "SuppressedError.suppressed").to.equal(stageError);
    });

    it("R1.x given: exit() before enter and a second exit() do nothing", () => {
      const { log, lines } = captureLog();
      const ctx = new TestContext({ log, replace: ["closeTiers", "summary"] });
      ctx.exit();
      expect(lines).to.deep.equal([]);
      ctx.openForTest();
      ctx.exit();
      const count = lines.length;
      ctx.exit();
      ctx[Symbol.dispose]();
      expect(lines).to.have.length(count);
    });

    it("R1.x given: SuppressedError from `using` is TypeScript's own object; instanceof still holds, and only message and cause differ", () => {
      const closeError = new TierFaultError("socket", "close");
      const work = new RuntimeError("work");
      const viaUsing = caught(() => {
        using _ = { [Symbol.dispose]: () => { throw closeError; } };
        throw work;
      }) as SuppressedError;
      const direct = new SuppressedError(closeError, work);
      for (const [path, e] of [["using", viaUsing], ["constructor", direct]] as const) {
        expect(e, path).to.be.instanceOf(SuppressedError).and.instanceOf(Error);
        expect([e.name, e.error, e.suppressed], path).to.deep.equal(["SuppressedError", closeError, work]);
        expect(isSuppressedErrorShape(e), path).to.equal(true);
      }
      expect(viaUsing.message).to.equal("An error was suppressed during disposal.");
      expect(viaUsing.cause).to.equal(undefined);
      expect(direct.message).to.equal("TierFaultError: socket: simulated failure to close (while handling RuntimeError: work)");
      expect(direct.cause).to.equal(work);
      const lookalike = Object.assign(new Error("x"), { name: "SuppressedError" });
      expect(lookalike).to.not.be.instanceOf(SuppressedError);
      class Sub extends SuppressedError {}
      expect(viaUsing).to.not.be.instanceOf(Sub);
    });
  });

  describe("R1.3 run processes records through the stages", () => {
    function addTen(rs: PipelineRecord[]): PipelineRecord[] {
      return rs.map((r) => ({ ...r, value: r.value + 10 }));
    }
    function double(rs: PipelineRecord[]): PipelineRecord[] {
      return rs.map((r) => ({ ...r, value: r.value * 2 }));
    }

    it("R1.3 feeds each stage the previous stage's output and returns the last output", () => {
      const ctx = new TestContext().openForTest();
      const one = [{ id: 1, value: 1 }];
      expect(ctx.run([addTen, double], one), "run([addTen, double], [value 1])").to.deep.equal([{ id: 1, value: 22 }]);
      expect(ctx.run([double, addTen], one), "run([double, addTen], [value 1])").to.deep.equal([{ id: 1, value: 12 }]);
      expect(ctx.run([keepAbove50, doubleValues], records), "run([keepAbove50, doubleValues], values 10, 60, 90)").to.deep.equal([
        { id: 2, value: 120 },
        { id: 3, value: 180 },
      ]);
      expect(ctx.failedTier, "failedTier after successful runs").to.equal(undefined);
    });

    it("R1.3 handles empty input and an empty stage list (returns a copy, never the caller's array)", () => {
      const ctx = new TestContext().openForTest();
      expect(ctx.run([addTen, double], []), "run(stages, [])").to.deep.equal([]);
      const copy = ctx.run([], records);
      expect(copy, "run([], records)").to.deep.equal(records);
      expect(copy === records, "run([], records) returned the caller's own array").to.equal(false);
    });

    for (const position of [0, 1, 2]) {
      it(`R1.3 a failure in stage ${position + 1} of 3 sets failedTier to its name, skips the rest and rethrows the same error`, () => {
        const failure = new RuntimeError("stage broke");
        function failingStage(): PipelineRecord[] {
          throw failure;
        }
        const stages: Stage[] = [addTen, double, addTen];
        stages[position] = failingStage;
        const after = sinon.spy(double);
        stages.push(after);
        const ctx = new TestContext().openForTest();
        expect(caught(() => ctx.run(stages, records)), "what run() threw (should be the stage's own error object)").to.equal(failure);
        expect(ctx.failedTier, "failedTier").to.equal("failingStage");
        expect(after.called, "a stage after the failing one was called").to.equal(false);
      });
    }

    it("R1.3 an anonymous stage is named by stageName(stage, index): `<anonymous stage #N>`, counting from 1", () => {
      const ctx = new TestContext().openForTest();
      const stages: Stage[] = [addTen, [() => { throw new RuntimeError("x"); }][0]];
      caught(() => ctx.run(stages, records));
      expect(ctx.failedTier, "failedTier for an anonymous second stage").to.equal("<anonymous stage #2>");
    });

    it("R1.3 a stage that returns something other than an array fails as that stage, with a TypeError naming it", () => {
      const ctx = new TestContext().openForTest();
      const countOnly = function countOnly(r: PipelineRecord[]) {
        return r.length;
      } as unknown as Stage;
      const error = caught(() => ctx.run([addTen, countOnly, double], records));
      expect(error, "what run() threw when countOnly returned 3").to.be.instanceOf(TypeError);
      expect((error as Error).message, "the TypeError's message should name the stage").to.include("countOnly");
      expect(ctx.failedTier, "failedTier").to.equal("countOnly");
    });

    it("R1.x given: run() rejects bad arguments and a context that is not entered", () => {
      const fresh = new TestContext({ replace: ["closeTiers", "summary"] });
      expect(() => fresh.run([], records)).to.throw(PipelineStateError, /enter\(\) first/);
      const ctx = fresh.openForTest();
      expect(() => ctx.run([42 as unknown as Stage], records)).to.throw(TypeError, /stages: expected an array of functions/);
      expect(() => ctx.run([], "abc" as unknown as PipelineRecord[])).to.throw(TypeError, /records: expected an array.*string abc/);
      ctx.exit();
      expect(() => ctx.run([], records)).to.throw(PipelineStateError, /exited/);
    });
  });

  describe("R1.4 summary", () => {
    it("R1.4 summary() returns pipelineId, recordsIn, recordsOut, durationMs (enter to exit) and tiersOpened", () => {
      const clock = manualClock(1000);
      const ctx = new TestContext({ pipelineId: "p-1", now: clock.now, replace: ["closeTiers"] }).openForTest();
      clock.t = 1025;
      ctx.count(3, 2);
      clock.t = 1030;
      ctx.exit();
      clock.t = 5000;
      expect(ctx.summary(), "summary() after entering at 1000 ms and exiting at 1030 ms").to.deep.equal({
        pipelineId: "p-1",
        recordsIn: 3,
        recordsOut: 2,
        durationMs: 30,
        tiersOpened: ["database", "logFile", "socket"],
      });
    });

    it("R1.4 while the context is open, durationMs runs from enter to now", () => {
      const clock = manualClock(1000);
      const ctx = new TestContext({ now: clock.now }).openForTest();
      for (const t of [1000, 1040, 1250.5]) {
        clock.t = t;
        expect(ctx.summary().durationMs, `durationMs at ${t} ms, entered at 1000 ms`).to.equal(t - 1000);
      }
    });

    it("R1.4 before enter the summary has zero counts, zero duration and no tiers", () => {
      const clock = manualClock(1000);
      const ctx = new TestContext({ pipelineId: "fresh", now: clock.now });
      expect(ctx.summary()).to.deep.equal({ pipelineId: "fresh", recordsIn: 0, recordsOut: 0, durationMs: 0, tiersOpened: [] });
    });

    it("R1.4 tiersOpened lists only the tiers that opened, and is a copy the caller may change", () => {
      const ctx = new TestContext().openForTest(["database", "logFile"]);
      const first = ctx.summary();
      expect(first.tiersOpened, "tiersOpened after opening database and logFile").to.deep.equal(["database", "logFile"]);
      first.tiersOpened.push("socket");
      expect(ctx.summary().tiersOpened, "tiersOpened after the caller pushed onto an earlier summary's list").to.deep.equal(["database", "logFile"]);
    });

    it("R1.4 exit() logs the summary as its last line, after a success and after a failure", () => {
      for (const failure of [undefined, new RuntimeError("stage failed")]) {
        const { log, lines } = captureLog();
        const clock = manualClock(1000);
        const ctx = new TestContext({ pipelineId: "p-2", log, now: clock.now, replace: ["closeTiers"] }).openForTest();
        ctx.count(3, failure ? 0 : 2);
        clock.t = 1012.345;
        ctx.exit(failure);
        const last = lines[lines.length - 1] ?? "";
        expect(last, `last line after exit(${failure ? "error" : ""})`).to.match(/^\[p-2\] summary \{/);
        expect(JSON.parse(last.slice(last.indexOf("{"))), "the logged summary").to.deep.equal({ ...ctx.summary(), durationMs: 12.35 });
      }
    });

    it("R1.x given: formatSummary rounds durationMs to hundredths of a millisecond", () => {
      const s = { pipelineId: "x", recordsIn: 1, recordsOut: 1, durationMs: 0.3920829999997295, tiersOpened: [] };
      expect(formatSummary(s)).to.equal('{"pipelineId":"x","recordsIn":1,"recordsOut":1,"durationMs":0.39,"tiersOpened":[]}');
    });

    it("R1.x given: contexts log through console.log by default, looked up at call time, with unique generated ids", () => {
      const spy = sinon.stub(console, "log");
      try {
        const ctx = new TieredPipelineContext() as unknown as { exit(): void; closeTiers(): unknown[]; summary(): unknown };
        Object.assign(ctx, { closeTiers: () => [], summary: () => ({}) });
        (ctx as unknown as { begin(): void }).begin();
        ctx.exit();
      } finally {
        spy.restore();
      }
      expect(spy.callCount).to.equal(1);
      expect(new TieredPipelineContext().pipelineId).to.not.equal(new TieredPipelineContext().pipelineId);
    });
  });

  describe("R1.5 main block (builds on R1.1–R1.4)", () => {
    let clock: sinon.SinonFakeTimers;
    beforeEach(() => {
      clock = sinon.useFakeTimers({ toFake: ["performance"] });
    });
    afterEach(() => clock.restore());

    it("R1.5 runs each batch of 20 records in its own context and returns its summary; same seed, same output", () => {
      const first = captureLog();
      const summaries = runExercise1Demo({ seed: 7, log: first.log });
      const second = captureLog();
      runExercise1Demo({ seed: 7, log: second.log });
      expect(second.lines, "output of a second run with seed 7").to.deep.equal(first.lines);
      expect(summaries.map((s) => [s.pipelineId, s.recordsIn, s.tiersOpened.length]), "[pipelineId, recordsIn, tiers] per batch").to.deep.equal([
        ["batch-1", 20, 3],
        ["batch-2", 20, 3],
        ["batch-3", 20, 3],
      ]);
      expect(closingLines(first.lines), "closing lines over three batches").to.have.length(9);
    });

    it("R1.5 prints each batch's summary exactly once (exit() prints it)", () => {
      const { log, lines } = captureLog();
      runExercise1Demo({ seed: 7, log, batches: 2 });
      for (const id of ["batch-1", "batch-2"]) {
        const printed = lines.filter((l) => l.includes(`"pipelineId":"${id}"`));
        expect(printed, `lines that print ${id}'s summary`).to.have.length(1);
      }
    });

    it("R1.5 handles a RuntimeError in every batch when the stage always fails, naming RuntimeError and the stage", () => {
      const { log, lines } = captureLog();
      const summaries = runExercise1Demo({ seed: 1, log, failureRate: 1, batches: 4 });
      expect(summaries.map((s) => s.recordsOut), "recordsOut per batch").to.deep.equal([0, 0, 0, 0]);
      const handled = lines.filter((l) => l.includes("RuntimeError") && l.includes("doubleValues"));
      expect(handled, "lines naming RuntimeError and doubleValues").to.have.length(4);
      expect(lines.filter((l) => l.includes("(failed tier: doubleValues)")), "closing lines naming the failed tier").to.have.length(12);
    });

    it("R1.5 keeps values above 50 and doubles them when nothing fails", () => {
      const expected = makeRecords(20, createRandom(3)).filter((r) => r.value > 50).length;
      const summaries = runExercise1Demo({ seed: 3, log: () => {}, failureRate: 0, batches: 1 });
      expect(summaries[0]?.recordsOut, "recordsOut with seed 3 and failureRate 0").to.equal(expected);
    });

    it("R1.5 lets any error other than RuntimeError escape, after the context has closed", () => {
      const { log, lines } = captureLog();
      const bug = new TypeError("a bug, not a simulated failure");
      const stages: Stage[] = [function broken(): PipelineRecord[] { throw bug; }];
      expect(caught(() => runExercise1Demo({ seed: 1, log, stages })), "what runExercise1Demo threw").to.equal(bug);
      expect(closingLines(lines), "closing lines before the error escaped").to.have.length(3);
    });

    it("R1.5 flakyStage throws RuntimeError when random() < rate, else returns the wrapped stage's output, keeping its name", () => {
      for (const [draw, rate, fails] of [[0, 0, false], [0.5, 0.5, false], [0.4999, 0.5, true], [0.999, 1, true], [0, 0.2, true]] as const) {
        const stage = flakyStage(doubleValues, rate, () => draw);
        let output: unknown;
        let error: unknown;
        try {
          output = stage(records);
        } catch (e) {
          error = e;
        }
        const when = `random() = ${draw}, rate = ${rate}`;
        expect(error instanceof RuntimeError, `threw RuntimeError when ${when} (got ${String(error)})`).to.equal(fails);
        if (fails) expect((error as Error).message, `the RuntimeError's message when ${when} should name the stage`).to.include("doubleValues");
        if (!fails) expect(output, `output when ${when}`).to.deep.equal(doubleValues(records));
      }
      expect(flakyStage(doubleValues, 0.2, createRandom(1)).name, "name of the wrapped stage").to.equal("doubleValues");
    });

    it("R1.5 flakyStage draws once per call: about 20% of 2,000 calls fail at rate 0.2", () => {
      const stage = flakyStage(doubleValues, 0.2, createRandom(11));
      let failures = 0;
      for (let i = 0; i < 2000; i++) {
        try {
          stage(records);
        } catch (error) {
          expect(error, `call ${i}`).to.be.instanceOf(RuntimeError);
          failures++;
        }
      }
      expect(failures / 2000, "failure rate over 2,000 calls").to.be.within(0.17, 0.23);
    });
  });
});
