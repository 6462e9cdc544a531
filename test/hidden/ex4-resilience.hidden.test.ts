import { expect } from "../helpers/expect";
import * as sinon from "sinon";
import * as backoffModule from "../../src/ex4-resilience/exponentialBackoff";
import * as breakerModule from "../../src/ex4-resilience/CircuitBreakerDecorator";
import {
  CircuitBreakerDecorator,
  CircuitOpenError,
  IOError,
  IORetryExhausted,
  PipelineError,
  UnreliableSensorSource,
  backoffDelay,
  exponentialBackoff,
  runExercise4Demo,
} from "../../src/ex4-resilience";
import { createRandom } from "../../src/shared/Random";
import { captureLog, rejected } from "../helpers/capture";
import { handled, journal, rejectsWithin, settles } from "../helpers/ex4";

/**
 * Hidden tests (never released): the same documented rules as test/ex4-resilience.test.ts, on other policies,
 * names, delays, thresholds, timeouts, rates and seeds.
 */

let clock: sinon.SinonFakeTimers;

describe("Exercise 4 — hidden tests", () => {
  beforeEach(() => {
    clock = sinon.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance", "Date"] });
  });
  afterEach(() => clock.restore());

  describe("R4.1 exponentialBackoff", () => {
    it("R4.1 backoffDelay on other policies: doubling from the base, the cap reached exactly and kept", () => {
      const cases: [number, number, number, number][] = [
        [1, 0.25, 10, 0.25], [4, 0.25, 10, 2], [6, 0.25, 10, 8], [7, 0.25, 10, 10], [12, 0.25, 10, 10],
        [2, 2, 5, 4], [3, 2, 5, 5], [2, 3, 3, 3], [8, 0.01, 60, 1.28], [30, 1, 60, 60],
      ];
      for (const [attempt, base, max, expected] of cases) expect(backoffDelay(attempt, base, max), `backoffDelay(${attempt}, ${base}, ${max})`).to.equal(expected);
    });

    it("R4.1 exponentialBackoff(4, 0.25, 0.6) on a named function: the exact schedule, lines and give-up message", async () => {
      let calls = 0;
      const fetchSensor = sinon.spy(async function fetchSensor(): Promise<string> {
        calls++;
        throw new IOError(`timeout #${calls}`);
      });
      const { log, lines } = captureLog();
      const call = rejected(exponentialBackoff(4, 0.25, 0.6, { log })(fetchSensor)());
      await clock.tickAsync(0);
      for (const [delayMs, expectedCalls] of [[250, 2], [500, 3], [600, 4]] as const) {
        await clock.tickAsync(delayMs - 1);
        expect(fetchSensor.callCount, `calls ${delayMs - 1} ms into a ${delayMs} ms wait`).to.equal(expectedCalls - 1);
        await clock.tickAsync(1);
        expect(fetchSensor.callCount, `calls ${delayMs} ms into a ${delayMs} ms wait`).to.equal(expectedCalls);
      }
      await clock.tickAsync(60_000);
      const error = (await settles(call, "exponentialBackoff(4, 0.25, 0.6) around a function that always fails")) as IORetryExhausted;
      expect(fetchSensor.callCount, "calls in all").to.equal(4);
      expect(lines, "retry lines").to.deep.equal([
        "fetchSensor: attempt 1/4 failed (timeout #1); retrying in 0.25s",
        "fetchSensor: attempt 2/4 failed (timeout #2); retrying in 0.5s",
        "fetchSensor: attempt 3/4 failed (timeout #3); retrying in 0.6s",
      ]);
      expect(error, "what it throws").to.be.instanceOf(IORetryExhausted);
      expect([error.attempts, error.message, (error.cause as Error).message], "[attempts, message, cause's message]").to.deep.equal([
        4, "fetchSensor: all 4 attempts failed; last error: IOError: timeout #4", "timeout #4",
      ]);
    });

    it("R4.1 retryIf decides per error: a retried failure, then one it rejects is thrown as it is", async () => {
      const { events, sleep, detail } = journal();
      const bug = new RangeError("bad index");
      let n = 0;
      const fn = async () => {
        events.push("call");
        if (++n === 1) throw new IOError("flaky");
        throw bug;
      };
      const { log, lines } = captureLog();
      const retryIf = (error: unknown) => error instanceof IOError;
      const error = await rejectsWithin(exponentialBackoff(6, 0.5, 4, { log, sleep, retryIf })(fn)(), "a call failing with IOError, then RangeError", detail);
      expect(error, "the rejected error, unwrapped").to.equal(bug);
      expect(events, "calls and waits").to.deep.equal(["call", "wait 500", "call"]);
      expect(lines, "lines").to.have.length(1);
    });

    it("R4.1 onRetry and the waits for exponentialBackoff(5, 0.2, 0.5): attempt, delay and error, before each wait", async () => {
      const { events, fn, sleep, detail } = journal(3);
      const onRetry = (attempt: number, delaySec: number, error: unknown) => events.push(`onRetry ${attempt} ${delaySec} ${(error as Error).message}`);
      expect(await settles(exponentialBackoff(5, 0.2, 0.5, { log: () => {}, sleep, onRetry })(fn)(), "a call failing three times", detail)).to.equal("ok");
      expect(events, "calls, onRetry calls and waits").to.deep.equal([
        "call", "onRetry 1 0.2 failure 1", "wait 200", "call", "onRetry 2 0.4 failure 2", "wait 400", "call", "onRetry 3 0.5 failure 3", "wait 500", "call",
      ]);
    });

    it("R4.1 a decorated method's lines name the method; an abort during the second wait stops at once", async () => {
      const { log, lines } = captureLog();
      const controller = new AbortController();
      class Probe {
        tries = 0;
        @exponentialBackoff(6, 1, 8, { log, signal: controller.signal })
        async sampleHumidity(): Promise<number> {
          this.tries++;
          throw new IOError("no signal");
        }
      }
      const probe = new Probe();
      const call = rejected(probe.sampleHumidity());
      await clock.tickAsync(1000);
      await clock.tickAsync(700);
      controller.abort(new Error("shutdown"));
      const error = await settles(call, "the call aborted during its second wait");
      expect(error, "what the abort throws").to.have.property("message", "shutdown");
      await clock.tickAsync(60_000);
      expect(probe.tries, "attempts").to.equal(2);
      expect(lines, "lines").to.deep.equal([
        "sampleHumidity: attempt 1/6 failed (no signal); retrying in 1s",
        "sampleHumidity: attempt 2/6 failed (no signal); retrying in 2s",
      ]);
    });
  });

  describe("R4.2 CircuitBreakerDecorator", () => {
    it("R4.2 threshold 4 and a 0.75 s timeout: opens on the 4th failure, refuses until 750 ms, trial fails, next trial closes", async () => {
      let up = false;
      const fn = sinon.spy(async (x: number) => {
        if (!up) throw new IOError("down");
        return x * 2;
      });
      const changes: string[] = [];
      const breaker = new CircuitBreakerDecorator(fn, { failureThreshold: 4, recoveryTimeout: 0.75, onStateChange: (f, t) => changes.push(`${f}->${t}`) });
      for (let i = 1; i <= 3; i++) {
        await rejectsWithin(breaker(i), "breaker()");
        expect(breaker.state, `state after ${i} failure(s) (failureThreshold 4)`).to.equal("CLOSED");
      }
      expect(await rejectsWithin(breaker(4), "breaker()"), "the 4th failure").to.be.instanceOf(IOError);
      expect(breaker.state, "state after 4 failures").to.equal("OPEN");
      clock.tick(749);
      const refused = await rejectsWithin(breaker(5), "breaker()");
      expect(refused, "a call 749 ms after opening").to.be.instanceOf(CircuitOpenError);
      expect((refused as Error).message, "the refusal's message").to.include("OPEN");
      expect(fn.callCount, "calls that reached the function").to.equal(4);
      clock.tick(1);
      await rejectsWithin(breaker(6), "the first trial");
      expect([breaker.state, fn.callCount], "[state, calls] after the failed trial").to.deep.equal(["OPEN", 5]);
      clock.tick(749);
      expect(await rejectsWithin(breaker(7), "breaker()"), "749 ms after the failed trial").to.be.instanceOf(CircuitOpenError);
      clock.tick(1);
      up = true;
      expect(await settles(breaker(21), "the second trial"), "the second trial's result").to.equal(42);
      expect([breaker.state, breaker.consecutiveFailures], "[state, consecutiveFailures] after the trial succeeded").to.deep.equal(["CLOSED", 0]);
      up = false;
      for (let i = 0; i < 3; i++) await rejectsWithin(breaker(0), "breaker()");
      expect(breaker.state, "state after 3 new failures: the count started again from 0").to.equal("CLOSED");
      expect(changes, "state changes").to.deep.equal(["CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->CLOSED"]);
    });

    it("R4.2 five calls at once after the timeout: one trial runs, four are refused, and the trial decides", async () => {
      let release!: (v: string) => void;
      let calls = 0;
      const breaker = new CircuitBreakerDecorator(
        () => {
          calls++;
          if (calls <= 2) return Promise.reject(new IOError("down"));
          return new Promise<string>((resolve) => (release = resolve));
        },
        { failureThreshold: 2, recoveryTimeout: 3 },
      );
      await rejectsWithin(breaker(), "breaker()");
      await rejectsWithin(breaker(), "breaker()");
      await clock.tickAsync(3000);
      const trial = handled(breaker());
      const others = await settles(Promise.allSettled([breaker(), breaker(), breaker(), breaker()]), "four calls during the trial");
      expect(others.map((o) => o.status === "rejected" && o.reason instanceof CircuitOpenError), "refused with CircuitOpenError").to.deep.equal([true, true, true, true]);
      expect(calls, "calls that reached the function").to.equal(3);
      release("back");
      expect(await settles(trial, "the trial")).to.equal("back");
      expect(breaker.state, "state after the trial").to.equal("CLOSED");
    });

    it("R4.2 a late success after the circuit opened (threshold 2) changes nothing", async () => {
      const pending: { resolve: (v: string) => void; reject: (e: Error) => void }[] = [];
      const changes: string[] = [];
      const breaker = new CircuitBreakerDecorator(() => new Promise<string>((resolve, reject) => pending.push({ resolve, reject })), {
        failureThreshold: 2, recoveryTimeout: 5, onStateChange: (f, t) => changes.push(`${f}->${t}`),
      });
      const late = handled(breaker());
      const a = rejectsWithin(breaker(), "breaker()");
      const b = rejectsWithin(breaker(), "breaker()");
      await clock.tickAsync(0);
      pending[1].reject(new IOError("down"));
      pending[2].reject(new IOError("down"));
      await a;
      await b;
      expect(breaker.state, "state after two failures").to.equal("OPEN");
      pending[0].resolve("late");
      expect(await settles(late, "the late call")).to.equal("late");
      expect([breaker.state, breaker.consecutiveFailures], "[state, consecutiveFailures] after the late success").to.deep.equal(["OPEN", 2]);
      expect(changes, "state changes").to.deep.equal(["CLOSED->OPEN"]);
    });
  });

  describe("R4.3 exception hierarchy", () => {
    it("R4.3 other messages, attempts and causes: hierarchy, names and causes kept", () => {
      const cause = new RangeError("sensor offline");
      const exhausted = new IORetryExhausted("readTemp: all 7 attempts failed", 7, { cause });
      expect([exhausted.name, exhausted.attempts, exhausted.cause, exhausted.message], "[name, attempts, cause, message]").to.deep.equal(["IORetryExhausted", 7, cause, "readTemp: all 7 attempts failed"]);
      expect(String(exhausted), "String(IORetryExhausted)").to.equal("IORetryExhausted: readTemp: all 7 attempts failed");
      const base = new PipelineError("pipeline broke");
      expect([base.name, base.message, base instanceof Error], "[name, message, instanceof Error] of a PipelineError").to.deep.equal(["PipelineError", "pipeline broke", true]);
      const open = new CircuitOpenError("circuitBreaker(x): circuit OPEN");
      expect([open instanceof PipelineError, open instanceof IORetryExhausted, exhausted instanceof CircuitOpenError], "[open is PipelineError, open is IORetryExhausted, exhausted is CircuitOpenError]").to.deep.equal([true, false, false]);
      expect(String(open), "String(CircuitOpenError)").to.equal("CircuitOpenError: circuitBreaker(x): circuit OPEN");
      expect(new IOError("x") instanceof PipelineError, "IOError is a PipelineError").to.equal(false);
    });
  });

  describe("R4.4 UnreliableSensorSource", () => {
    it("R4.4 failure rates 0.25 and 0.75 with another seed; failure and reading each take their own draw", () => {
      for (const [rate, low, high] of [[0.25, 0.22, 0.28], [0.75, 0.72, 0.78]] as const) {
        const source = new UnreliableSensorSource({ random: createRandom(21), failureRate: rate, log: () => {} });
        let failed = 0;
        const values: number[] = [];
        for (let i = 0; i < 4000; i++) {
          try {
            values.push(source.readOnce());
          } catch (error) {
            expect(error, "what readOnce throws").to.be.instanceOf(IOError);
            failed++;
          }
        }
        expect(failed / 4000, `share of failed reads, failureRate ${rate}`).to.be.within(low, high);
        const mean = values.reduce((a, b) => a + b, 0) / values.length;
        expect(mean, `mean of the successful readings, failureRate ${rate} (spread over [0, 100))`).to.be.within(44, 56);
        expect(values.filter((v) => v < 20).length / values.length, `share of readings below 20, failureRate ${rate}`).to.be.within(0.15, 0.25);
        for (const v of values) expect(v, "a reading").to.be.within(0, 100).and.lessThan(100);
      }
    });

    it("R4.4 the wiring with other options: backoff and breaker built once each, with exactly these figures", async () => {
      const backoffs: unknown[][] = [];
      sinon.replace(backoffModule, "exponentialBackoff", ((...args: unknown[]) => {
        backoffs.push(args);
        return (fn: () => unknown) => Object.assign(async () => fn(), { backedOff: true });
      }) as never);
      const breakers: unknown[][] = [];
      class FakeBreaker {
        constructor(readonly fn: unknown, options: unknown) {
          breakers.push([fn, options]);
        }
      }
      sinon.replace(breakerModule, "CircuitBreakerDecorator", FakeBreaker as never);
      try {
        const readOnce = sinon.stub(UnreliableSensorSource.prototype, "readOnce").returns(17.5);
        const [log, sleep, now] = [() => {}, async () => {}, () => 5];
        const source = new UnreliableSensorSource({ maxAttempts: 6, baseDelaySec: 0.05, maxDelaySec: 0.4, failureThreshold: 2, recoveryTimeout: 1.5, log, sleep, now });
        expect(backoffs.map((a) => a.slice(0, 3)), "exponentialBackoff(maxAttempts, baseDelaySec, maxDelaySec, …) calls").to.deep.equal([[6, 0.05, 0.4]]);
        expect(backoffs[0][3], "exponentialBackoff's options").to.include({ log, sleep });
        expect(breakers.map(([fn]) => fn === source.read), "the breaker wraps read").to.deep.equal([true]);
        expect(breakers[0][1], "the breaker's options").to.include({ failureThreshold: 2, recoveryTimeout: 1.5, now });
        const value = await settles(source.read(), "read()");
        expect([value, readOnce.callCount, readOnce.firstCall.thisValue === source], "[read(), readOnce calls, this is the source]").to.deep.equal([17.5, 1, true]);
      } finally {
        sinon.restore();
      }
    });

    it("R4.4 stream(5) yields { index, value } in order and stops at the fourth read's error", async () => {
      const source = new UnreliableSensorSource({ log: () => {} });
      const values: (number | Error)[] = [3.5, 0, 99.99, new IORetryExhausted("gave up", 2), 7];
      const guardedRead = sinon.spy(async () => {
        const next = values.shift();
        if (next instanceof Error) throw next;
        return next as number;
      });
      Object.defineProperty(source, "guardedRead", { value: guardedRead });
      const seen: unknown[] = [];
      const error = await rejected((async () => {
        for await (const r of source.stream(5)) seen.push(r);
      })());
      expect(seen, "readings before the error").to.deep.equal([{ index: 0, value: 3.5 }, { index: 1, value: 0 }, { index: 2, value: 99.99 }]);
      expect(error, "the stream's error").to.be.instanceOf(IORetryExhausted);
      expect(guardedRead.callCount, "reads").to.equal(4);
    });
  });

  describe("R4.5 main block", () => {
    it("R4.5 7 reads with seed 3: one line per read matching its outcome, totals that add up, in order", async () => {
      const { log, lines } = captureLog();
      const result = await settles(runExercise4Demo({ seed: 3, reads: 7, log }), "runExercise4Demo({ seed: 3, reads: 7 })");
      const readLines = lines.filter((l) => /^read \d+:/.test(l));
      const outcomes = result.events.flatMap((e) => (e.kind === "read" ? [e.outcome] : []));
      expect([result.attempted, readLines.length, outcomes.length], "[attempted, read lines, read events]").to.deep.equal([7, 7, 7]);
      readLines.forEach((line, i) => {
        const expected = { ok: /^read \d+: \d+\.\d\d$/, exhausted: /^read \d+: gave up after 2 attempts \(.+\)$/, open: /^read \d+: skipped, .*OPEN/ }[outcomes[i]];
        expect(line, `line for read ${i + 1} (${outcomes[i]})`).to.match(expected);
        expect(line.startsWith(`read ${i + 1}:`), `${JSON.stringify(line)} numbers read ${i + 1}`).to.equal(true);
      });
      expect(result.succeeded + result.retryExhausted + result.circuitOpen, "the three counts").to.equal(7);
      expect(lines.filter((l) => l.startsWith("totals: reads attempted 7,")), "totals lines").to.have.length(1);
    });

    it("R4.5 4 reads 350 ms apart that never fail: each value printed with 2 decimals, 1.4 s of simulated time", async () => {
      const { log, lines } = captureLog();
      const result = await settles(runExercise4Demo({ reads: 4, intervalMs: 350, random: () => 0.875, log }), "runExercise4Demo({ reads: 4, intervalMs: 350 })");
      const readLines = lines.filter((l) => /^read \d+:/.test(l));
      expect(readLines.map((l) => l.replace(/: .*/, "")), "read lines").to.deep.equal(["read 1", "read 2", "read 3", "read 4"]);
      for (const line of readLines) expect(line, "a successful read's line: the value with 2 decimals").to.match(/^read \d: \d+\.\d\d$/);
      expect(new Set(readLines.map((l) => l.replace(/^read \d: /, ""))).size, "the same draw gives the same value in every line").to.equal(1);
      expect(result.succeeded, "successful reads").to.equal(4);
      const totals = lines.find((l) => l.startsWith("totals:")) ?? "";
      expect(/simulated time (\d+(?:\.\d+)?)s/.exec(totals)?.[1], `simulated time in ${JSON.stringify(totals)}`).to.equal("1.4");
    });

    it("R4.5 a RangeError on the 5th draw stops the main block and comes out as it is", async () => {
      const seeded = createRandom(3);
      let draws = 0;
      const random = () => {
        if (++draws === 5) throw new RangeError("entropy exhausted");
        return seeded();
      };
      const error = await rejectsWithin(runExercise4Demo({ seed: 3, random, log: () => {} }), "runExercise4Demo with a random that throws on its 5th draw");
      expect(error, "what the main block throws").to.be.instanceOf(RangeError).with.property("message", "entropy exhausted");
    });
  });
});
