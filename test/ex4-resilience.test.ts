import { expect } from "./helpers/expect";
import * as sinon from "sinon";
import * as ts from "@tslab/typescript-for-tslab";
import * as typescript from "typescript";
import * as fs from "node:fs";
import * as path from "node:path";
import * as vm from "node:vm";
import * as lib from "../src/ex4-resilience";
import * as backoffModule from "../src/ex4-resilience/exponentialBackoff";
import * as breakerModule from "../src/ex4-resilience/CircuitBreakerDecorator";
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
} from "../src/ex4-resilience";
import { createRandom } from "../src/shared/Random";
import { captureLog, rejected } from "./helpers/capture";
import { handled, journal, rejectsWithin, settles } from "./helpers/ex4";

let clock: sinon.SinonFakeTimers;

/** A function that fails `failures` times with IOError, then returns "ok". */
function flaky(failures: number) {
  return sinon.spy(async () => {
    if (failures-- > 0) throw new IOError(`fail, ${failures} left`);
    return "ok";
  });
}

describe("Exercise 4 — retry with backoff and a circuit breaker", () => {
  beforeEach(() => {
    clock = sinon.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance", "Date"] });
  });
  afterEach(() => clock.restore());

  describe("R4.1 exponentialBackoff", () => {
    it("R4.1 backoffDelay doubles per failed attempt from baseDelaySec and is capped at maxDelaySec", () => {
      const cases: [attempt: number, base: number, max: number, expected: number][] = [
        [1, 0.5, 3, 0.5], [2, 0.5, 3, 1], [3, 0.5, 3, 2], [4, 0.5, 3, 3], [5, 0.5, 3, 3],
        [3, 0.5, 2, 2], [4, 0.5, 2, 2], // the cap reached exactly, then kept
        [1, 1, 1, 1], [6, 1, 1, 1], [1, 0, 0, 0], [10, 0.1, 100, 51.2],
      ];
      for (const [attempt, base, max, expected] of cases) {
        expect(backoffDelay(attempt, base, max), `backoffDelay(${attempt}, ${base}, ${max})`).to.equal(expected);
      }
    });

    it("R4.1 calls, then waits the doubling capped delay between attempts, and never waits after the last attempt", async () => {
      const cases: [maxAttempts: number, base: number, max: number, waits: number[]][] = [
        [1, 1, 1, []],
        [2, 0.5, 3, [500]],
        [3, 0.1, 1, [100, 200]],
        [5, 0.5, 3, [500, 1000, 2000, 3000]],
        [4, 1, 1, [1000, 1000, 1000]],
        [3, 0, 0, [0, 0]],
      ];
      for (const [maxAttempts, base, max, waits] of cases) {
        const { events, fn, sleep, detail } = journal();
        const what = `exponentialBackoff(${maxAttempts}, ${base}, ${max}) around a function that always fails`;
        const error = await rejectsWithin(exponentialBackoff(maxAttempts, base, max, { log: () => {}, sleep })(fn)(), what, detail);
        const expected = ["call", ...waits.flatMap((ms) => [`wait ${ms}`, "call"])];
        expect(events, `${what}: calls and waits (ms) in order`).to.deep.equal(expected);
        expect(error, `${what}: what it throws`).to.be.instanceOf(IORetryExhausted);
      }
    });

    it("R4.1 stops at the first success: no further call, wait or line", async () => {
      const { events, fn, sleep, detail } = journal(2);
      const { log, lines } = captureLog();
      const result = await settles(exponentialBackoff(5, 0.5, 3, { log, sleep })(fn)(), "a call that fails twice, then succeeds", detail);
      expect(result, "result").to.equal("ok");
      expect(events, "calls and waits (ms) for exponentialBackoff(5, 0.5, 3), two failures then success").to.deep.equal([
        "call", "wait 500", "call", "wait 1000", "call",
      ]);
      expect(lines, "retry lines printed").to.have.length(2);
    });

    it("R4.1 waits exactly the schedule: no retry a millisecond early, the retry at the delay", async () => {
      const fn = flaky(3);
      const { log, lines } = captureLog();
      const call = handled(exponentialBackoff(5, 1, 3, { log })(fn)());
      await clock.tickAsync(0);
      expect(fn.callCount, "calls at once").to.equal(1);
      for (const [delayMs, calls] of [[1000, 2], [2000, 3], [3000, 4]] as const) {
        await clock.tickAsync(delayMs - 1);
        expect(fn.callCount, `calls ${delayMs - 1} ms after attempt ${calls - 1} failed (its wait is ${delayMs} ms)`).to.equal(calls - 1);
        await clock.tickAsync(1);
        expect(fn.callCount, `calls ${delayMs} ms after attempt ${calls - 1} failed`).to.equal(calls);
      }
      expect(await settles(call, "the call after its fourth attempt succeeded")).to.equal("ok");
      expect(lines, "retry lines for exponentialBackoff(5, 1, 3) and three failures").to.deep.equal([
        "call: attempt 1/5 failed (fail, 2 left); retrying in 1s",
        "call: attempt 2/5 failed (fail, 1 left); retrying in 2s",
        "call: attempt 3/5 failed (fail, 0 left); retrying in 3s",
      ]);
    });

    it("R4.1 returns the first success at once, without waiting or printing", async () => {
      const { log, lines } = captureLog();
      expect(await settles(exponentialBackoff(3, 1, 1, { log })(flaky(0))(), "a call that succeeds at once"), "result").to.equal("ok");
      expect(lines, "lines printed").to.deep.equal([]);
      expect(clock.now, "fake ms passed").to.equal(0);
    });

    it("R4.1 makes no attempt after the last, and gives up with IORetryExhausted carrying the last error", async () => {
      const fn = flaky(10);
      const call = rejected(exponentialBackoff(3, 0.1, 1, { log: () => {} })(fn)());
      await clock.tickAsync(60_000);
      const error = (await settles(call, "exponentialBackoff(3, 0.1, 1) around a function that always fails, 60 s later")) as IORetryExhausted;
      expect(fn.callCount, "calls of exponentialBackoff(3, 0.1, 1) around a function that always fails").to.equal(3);
      expect(error, "what it throws").to.be.instanceOf(IORetryExhausted);
      expect(error.attempts, "IORetryExhausted.attempts").to.equal(3);
      expect(error.cause, "IORetryExhausted.cause: the last error").to.be.instanceOf(IOError).with.property("message", "fail, 7 left");
      expect(error.message, "IORetryExhausted.message").to.equal("call: all 3 attempts failed; last error: IOError: fail, 7 left");
    });

    it("R4.1 an error that retryIf rejects is thrown at once, as it is: no wait, no line, no IORetryExhausted", async () => {
      const { events, sleep, detail } = journal();
      const { log, lines } = captureLog();
      const bug = new TypeError("x is undefined");
      const seen: unknown[] = [];
      const fn = sinon.spy(async () => {
        events.push("call");
        throw bug;
      });
      const retryIf = (error: unknown) => (seen.push(error), !(error instanceof TypeError));
      const error = await rejectsWithin(exponentialBackoff(3, 1, 1, { log, sleep, retryIf })(fn)(), "a call whose TypeError retryIf rejects", detail);
      expect(error, "the error retryIf rejected, unwrapped").to.equal(bug);
      expect(events, "calls and waits").to.deep.equal(["call"]);
      expect(lines, "printed lines").to.deep.equal([]);
      expect(seen, "what retryIf was asked about").to.deep.equal([bug]);
    });

    it("R4.1 an error that retryIf accepts is retried; by default every error is", async () => {
      for (const retryIf of [undefined, (error: unknown) => error instanceof Error]) {
        const { events, fn, sleep, detail } = journal(1);
        const what = `a call that fails once, retryIf ${retryIf ? "accepting Errors" : "not given"}`;
        expect(await settles(exponentialBackoff(3, 1, 1, { log: () => {}, sleep, retryIf })(fn)(), what, detail)).to.equal("ok");
        expect(events, what).to.deep.equal(["call", "wait 1000", "call"]);
      }
    });

    it("R4.1 calls onRetry(attempt, delaySec, error) before each wait", async () => {
      const { events, fn, sleep, detail } = journal();
      const retries: unknown[][] = [];
      const onRetry = (attempt: number, delaySec: number, error: unknown) => {
        events.push(`onRetry ${attempt} ${delaySec}`);
        retries.push([attempt, delaySec, (error as Error).message]);
      };
      await rejectsWithin(exponentialBackoff(3, 0.25, 1, { log: () => {}, sleep, onRetry })(fn)(), "exponentialBackoff(3, 0.25, 1) around a function that always fails", detail);
      expect(events, "calls, onRetry calls and waits for exponentialBackoff(3, 0.25, 1)").to.deep.equal(["call", "onRetry 1 0.25", "wait 250", "call", "onRetry 2 0.5", "wait 500", "call"]);
      expect(retries, "onRetry arguments: attempt, delaySec, error message").to.deep.equal([[1, 0.25, "failure 1"], [2, 0.5, "failure 2"]]);
    });

    it("R4.1 with maxAttempts 1: one call, no wait, no line, then IORetryExhausted with attempts 1", async () => {
      const { events, fn, sleep, detail } = journal();
      const { log, lines } = captureLog();
      const error = (await rejectsWithin(exponentialBackoff(1, 1, 1, { log, sleep })(fn)(), "exponentialBackoff(1, 1, 1) around a failing function", detail)) as IORetryExhausted;
      expect(events, "calls and waits for exponentialBackoff(1, 1, 1)").to.deep.equal(["call"]);
      expect(lines, "lines printed").to.deep.equal([]);
      expect(error, "what it throws").to.be.instanceOf(IORetryExhausted);
      expect(error.attempts, "IORetryExhausted.attempts").to.equal(1);
      expect(error.message, "IORetryExhausted.message").to.equal("flakyRead: all 1 attempts failed; last error: Error: failure 1");
    });

    it("R4.x given: the wrapper keeps the wrapped function's name (like functools.wraps)", () => {
      expect(exponentialBackoff(2, 1, 1)(async function fetchReading() {}).name).to.equal("fetchReading");
      class Reader {
        @exponentialBackoff(2, 1, 1)
        async read() {}
      }
      expect(new Reader().read.name).to.equal("read");
    });

    it("R4.1 decorates a method: `this` and arguments pass through (standard decorators)", async () => {
      class Reader {
        calls: unknown[][] = [];
        @exponentialBackoff(2, 0.01, 0.01, { log: () => {} })
        async read(a: number, b: string): Promise<string> {
          this.calls.push([a, b]);
          if (this.calls.length === 1) throw new IOError("first");
          return `${a}${b}`;
        }
      }
      const reader = new Reader();
      const result = handled(reader.read(1, "x"));
      await clock.tickAsync(10);
      expect(await settles(result, "reader.read(1, \"x\") failing once"), "result").to.equal("1x");
      expect(reader.calls, "arguments of each attempt").to.deep.equal([[1, "x"], [1, "x"]]);
    });

    it("R4.1 decorates a method in a tslab cell (experimentalDecorators, TypeScript 5.0)", async () => {
      const cell = `
        import { exponentialBackoff } from "lib";
        class Cell {
          n = 0;
          @exponentialBackoff(3, 0.5, 1, { log: (l: string) => lines.push(l) })
          async go() { if (++this.n < 3) throw new Error("no"); return this.n; }
        }
        result = new Cell().go();
      `;
      const out = ts.transpileModule(`declare let result: any; declare const lines: string[];\n${cell}`, {
        reportDiagnostics: true,
        compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, experimentalDecorators: true },
      });
      expect(out.diagnostics ?? []).to.deep.equal([]);
      const scope: { result?: Promise<number> } = {};
      const lines: string[] = [];
      new Function("require", "exports", "scope", "lines", `let result; ${out.outputText}; scope.result = result;`)(() => lib, {}, scope, lines);
      if (scope.result) handled(scope.result);
      // This test is about the decorator protocol, not the schedule: give the waits all the time they ask for.
      await clock.tickAsync(60_000);
      expect(lines, "retry lines").to.deep.equal(["go: attempt 1/3 failed (no); retrying in 0.5s", "go: attempt 2/3 failed (no); retrying in 1s"]);
      expect(await settles(scope.result!, "the cell's go() failing twice", () => `retry lines so far: ${JSON.stringify(lines)}`), "result").to.equal(3);
    });

    it("R4.1 an abort cancels a pending wait at once and makes no further attempt", async () => {
      const fn = flaky(10);
      const controller = new AbortController();
      const call = rejected(exponentialBackoff(5, 10, 10, { log: () => {}, signal: controller.signal })(fn)());
      await clock.tickAsync(5000);
      controller.abort(new Error("stop"));
      const error = await settles(call, "the call once aborted during its first wait");
      expect(error, "what an abort during the first wait throws: the signal's reason").to.be.instanceOf(Error).with.property("message", "stop");
      await clock.tickAsync(60_000);
      expect(fn.callCount, "calls after the abort").to.equal(1);
    });

    it("R4.1 an already aborted signal makes no attempt at all", async () => {
      const { events, fn, sleep, detail } = journal();
      const reason = new Error("stopped before");
      const error = await rejectsWithin(exponentialBackoff(3, 1, 1, { log: () => {}, sleep, signal: AbortSignal.abort(reason) })(fn)(), "a call with an aborted signal", detail);
      expect(error, "what it throws: the signal's reason").to.equal(reason);
      expect(events, "calls and waits").to.deep.equal([]);
    });

    it("R4.x given: exponentialBackoff validates its arguments", () => {
      expect(() => exponentialBackoff(0, 1, 1)).to.throw(TypeError, /maxAttempts: expected a positive integer, got 0/);
      expect(() => exponentialBackoff(1.5, 1, 1)).to.throw(TypeError, /maxAttempts/);
      expect(() => exponentialBackoff(3, -1, 1)).to.throw(TypeError, /baseDelaySec: expected a finite number >= 0, got -1/);
      expect(() => exponentialBackoff(3, 1, Infinity)).to.throw(TypeError, /maxDelaySec/);
      expect(() => exponentialBackoff(3, 2, 1)).to.throw(TypeError, /baseDelaySec <= maxDelaySec, got 2 > 1/);
    });

    it("R4.1 prints with console.log by default", async () => {
      const stub = sinon.stub(console, "log");
      try {
        const call = handled(exponentialBackoff(2, 0.001, 0.001)(flaky(1))());
        await clock.tickAsync(1);
        await call;
      } finally {
        stub.restore();
      }
      expect(stub.firstCall?.args[0], "the first console.log line").to.match(/attempt 1\/2 failed/);
    });
  });

  describe("R4.2 CircuitBreakerDecorator", () => {
    const failing = () => sinon.spy(async () => {
      throw new IOError("down");
    });

    it("R4.2 instances are callable and pass `this`, arguments and results through", async () => {
      const breaker = new CircuitBreakerDecorator(async function (this: { base: number } | undefined, a: number, b: number) {
        return (this?.base ?? 0) + a + b;
      }, { failureThreshold: 2, recoveryTimeout: 1 });
      expect(await settles(breaker(2, 3), "breaker(2, 3)")).to.equal(5);
      expect(await settles(breaker.call({ base: 10 }, 2, 3), "breaker.call({ base: 10 }, 2, 3)")).to.equal(15);
      expect(breaker.state).to.equal("CLOSED");
    });

    it("R4.x given: a callable class built without code generation; its state is private", () => {
      const breaker = new CircuitBreakerDecorator(async function readSensor() {}, { failureThreshold: 2, recoveryTimeout: 1 });
      expect(typeof breaker).to.equal("function");
      expect(breaker).to.be.instanceOf(CircuitBreakerDecorator);
      expect(breaker.name).to.equal("circuitBreaker(readSensor)");
      expect(Object.keys(breaker), "own enumerable properties").to.deep.equal([]);
      expect(Object.getOwnPropertyNames(breaker).sort(), "own properties").to.deep.equal(["length", "name"]);
      expect([breaker.failureThreshold, breaker.recoveryTimeout]).to.deep.equal([2, 1]);
    });

    it("R4.x given: works where code generation from strings is disallowed (no EvalError)", async () => {
      // Compile the two given files and run them in a realm with codeGeneration.strings = false, as
      // `node --disallow-code-generation-from-strings` or a content-security policy would.
      const load = (file: string) =>
        typescript.transpileModule(fs.readFileSync(path.join(__dirname, "../src/ex4-resilience", file), "utf8"), {
          compilerOptions: { target: typescript.ScriptTarget.ES2022, module: typescript.ModuleKind.CommonJS },
        }).outputText;
      const context = vm.createContext({ performance }, { codeGeneration: { strings: false, wasm: false } });
      const modules: Record<string, object> = { "./errors": { CircuitOpenError: class extends Error {} } };
      const run = (file: string, key: string) => {
        const exports = {};
        vm.runInContext(`(function (exports, require) { ${load(file)}\n})`, context)(exports, (id: string) => modules[id]);
        modules[key] = exports;
      };
      run("Callable.ts", "./Callable");
      run("CircuitBreakerDecorator.ts", "./CircuitBreakerDecorator");
      expect(() => vm.runInContext("new Function('return 1')", context), "the realm refuses code generation").to.throw(/Code generation from strings disallowed/);
      const { CircuitBreakerDecorator: Breaker } = modules["./CircuitBreakerDecorator"] as typeof lib;
      let breaker: CircuitBreakerDecorator<() => Promise<number>> | undefined;
      expect(() => (breaker = new Breaker(async () => 42, { failureThreshold: 1, recoveryTimeout: 1 }))).to.not.throw();
      expect(breaker).to.be.instanceOf(Breaker);
      expect(typeof breaker).to.equal("function");
    });

    it("R4.2 opens on the failureThreshold-th consecutive failure; a success resets the count", async () => {
      let fail = true;
      const fn = sinon.spy(async () => {
        if (fail) throw new IOError("down");
        return 1;
      });
      const changes: string[] = [];
      const breaker = new CircuitBreakerDecorator(fn, { failureThreshold: 3, recoveryTimeout: 10, onStateChange: (f, t) => changes.push(`${f}->${t}`) });
      await rejectsWithin(breaker(), "breaker()");
      await rejectsWithin(breaker(), "breaker()");
      fail = false;
      await breaker();
      expect(breaker.consecutiveFailures, "consecutiveFailures after 2 failures and a success").to.equal(0);
      fail = true;
      await rejectsWithin(breaker(), "breaker()");
      await rejectsWithin(breaker(), "breaker()");
      expect(breaker.state, "state after 2 consecutive failures (failureThreshold 3)").to.equal("CLOSED");
      expect(await rejectsWithin(breaker(), "breaker()"), "what the third failing call throws").to.be.instanceOf(IOError);
      expect(breaker.state, "state after 3 consecutive failures (failureThreshold 3)").to.equal("OPEN");
      expect(changes, "state changes: successes while CLOSED change nothing").to.deep.equal(["CLOSED->OPEN"]);
    });

    it("R4.2 while OPEN it throws CircuitOpenError without calling the function", async () => {
      const fn = failing();
      const breaker = new CircuitBreakerDecorator(fn, { failureThreshold: 1, recoveryTimeout: 5 });
      await rejectsWithin(breaker(), "breaker()");
      const error = await rejectsWithin(breaker(), "breaker()");
      expect(error, "what a call while OPEN throws").to.be.instanceOf(CircuitOpenError);
      expect((error as Error).message, "the CircuitOpenError's message names the state").to.include("OPEN");
      expect(fn.callCount, "calls that reached the function").to.equal(1);
    });

    it("R4.2 the recovery boundary: just before, still OPEN and not called; at the timeout, one trial", async () => {
      const fn = failing();
      const breaker = new CircuitBreakerDecorator(fn, { failureThreshold: 1, recoveryTimeout: 2 });
      await rejectsWithin(breaker(), "breaker()");
      clock.tick(1999);
      expect(breaker.state, "state 1999 ms after opening (recoveryTimeout 2 s)").to.equal("OPEN");
      expect(await rejectsWithin(breaker(), "breaker()"), "a call 1999 ms after opening").to.be.instanceOf(CircuitOpenError);
      expect(fn.callCount, "calls that reached the function").to.equal(1);
      clock.tick(1);
      expect(breaker.state, "state 2000 ms after opening").to.equal("HALF_OPEN");
      expect(await rejectsWithin(breaker(), "breaker()"), "the trial call 2000 ms after opening").to.be.instanceOf(IOError);
      expect(fn.callCount, "calls that reached the function, the trial included").to.equal(2);
    });

    it("R4.2 a trial success closes the circuit and resets the count", async () => {
      let up = false;
      const changes: string[] = [];
      const breaker = new CircuitBreakerDecorator(
        async () => {
          if (!up) throw new IOError("down");
          return "up";
        },
        { failureThreshold: 2, recoveryTimeout: 1, onStateChange: (from, to) => changes.push(`${from}->${to}`) },
      );
      await rejectsWithin(breaker(), "breaker()");
      await rejectsWithin(breaker(), "breaker()");
      clock.tick(1000);
      up = true;
      expect(await breaker(), "the trial's result").to.equal("up");
      expect([breaker.state, breaker.consecutiveFailures], "[state, consecutiveFailures] after a trial success").to.deep.equal(["CLOSED", 0]);
      expect(changes, "state changes").to.deep.equal(["CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->CLOSED"]);
    });

    it("R4.2 a trial failure opens the circuit again and restarts the timeout", async () => {
      const fn = failing();
      const breaker = new CircuitBreakerDecorator(fn, { failureThreshold: 1, recoveryTimeout: 1 });
      await rejectsWithin(breaker(), "breaker()");
      clock.tick(1000);
      await rejectsWithin(breaker(), "breaker()");
      expect(breaker.state, "state after the trial failed").to.equal("OPEN");
      clock.tick(999);
      expect(await rejectsWithin(breaker(), "breaker()"), "a call 999 ms after the trial failed (recoveryTimeout 1 s)").to.be.instanceOf(CircuitOpenError);
      clock.tick(1);
      await rejectsWithin(breaker(), "breaker()");
      expect(fn.callCount, "calls: first failure, failed trial, trial 1000 ms later").to.equal(3);
    });

    it("R4.2 exactly one trial runs when many calls arrive at once", async () => {
      let release!: () => void;
      let calls = 0;
      const breaker = new CircuitBreakerDecorator(
        () => {
          calls++;
          if (calls === 1) return Promise.reject(new IOError("down"));
          return new Promise<string>((resolve) => (release = () => resolve("ok")));
        },
        { failureThreshold: 1, recoveryTimeout: 1 },
      );
      await rejectsWithin(breaker(), "breaker()");
      clock.tick(1000);
      expect(breaker.state, "state 1000 ms after the first failure (failureThreshold 1, recoveryTimeout 1 s)").to.equal("HALF_OPEN");
      const trial = handled(breaker());
      const others = await settles(Promise.allSettled([breaker(), breaker(), breaker()]), "three calls during the trial");
      expect(others.map((o) => o.status === "rejected" && o.reason instanceof CircuitOpenError), "is each of 3 calls during the trial refused with CircuitOpenError?").to.deep.equal([true, true, true]);
      for (const o of others) expect(o.status === "rejected" && String(o.reason?.message), "a refusal's message during the trial").to.include("OPEN");
      expect(calls, "calls that reached the function: the first failure and one trial").to.equal(2);
      release?.();
      expect(await settles(trial, "the trial"), "the trial's result").to.equal("ok");
      expect(breaker.state, "state after the trial succeeded").to.equal("CLOSED");
    });

    it("R4.2 while CLOSED, concurrent calls all run (only HALF_OPEN limits calls to one)", async () => {
      const pending: (() => void)[] = [];
      const fn = sinon.spy(() => new Promise<string>((resolve) => pending.push(() => resolve("ok"))));
      const breaker = new CircuitBreakerDecorator(fn, { failureThreshold: 2, recoveryTimeout: 1 });
      const calls = [breaker(), breaker(), breaker()];
      await clock.tickAsync(0);
      expect(fn.callCount, "calls that reached fn out of 3 concurrent calls while CLOSED").to.equal(3);
      pending.forEach((release) => release());
      expect(await settles(Promise.all(calls), "three concurrent calls while CLOSED")).to.deep.equal(["ok", "ok", "ok"]);
      expect(breaker.state, "state after three successes").to.equal("CLOSED");
    });

    /** A breaker over a function whose calls each wait until the test settles them, in any order. */
    function controlled(options: { failureThreshold: number; recoveryTimeout: number }) {
      const calls: { resolve: (v: string) => void; reject: (e: Error) => void }[] = [];
      const changes: string[] = [];
      const breaker = new CircuitBreakerDecorator(
        () => new Promise<string>((resolve, reject) => calls.push({ resolve, reject })),
        { ...options, onStateChange: (from, to) => changes.push(`${from}->${to}`) },
      );
      return { breaker, calls, changes };
    }

    it("R4.2 a late success (its call started while CLOSED) after the circuit opened does not close it", async () => {
      const { breaker, calls, changes } = controlled({ failureThreshold: 1, recoveryTimeout: 10 });
      const late = handled(breaker());
      const failing = rejectsWithin(breaker(), "breaker()");
      await clock.tickAsync(0);
      expect(calls, "calls that reached the function while CLOSED (failureThreshold 1)").to.have.length(2);
      calls[1].reject(new IOError("down"));
      await failing;
      expect(breaker.state, "state after the second call failed").to.equal("OPEN");
      calls[0].resolve("late");
      expect(await settles(late, "the late call"), "the late call still returns its result").to.equal("late");
      expect(breaker.state, "state after a late success while OPEN").to.equal("OPEN");
      expect(breaker.consecutiveFailures, "consecutiveFailures after a late success while OPEN").to.equal(1);
      expect(changes, "state changes").to.deep.equal(["CLOSED->OPEN"]);
      expect(await rejectsWithin(breaker(), "breaker()"), "a call after the late success").to.be.instanceOf(CircuitOpenError);
      expect(calls, "calls that reached the function").to.have.length(2);
    });

    it("R4.2 a late failure while OPEN neither restarts the recovery timeout nor reports OPEN -> OPEN", async () => {
      const { breaker, calls, changes } = controlled({ failureThreshold: 1, recoveryTimeout: 1 });
      const late = rejectsWithin(breaker(), "breaker()");
      const failing = rejectsWithin(breaker(), "breaker()");
      await clock.tickAsync(0);
      expect(calls, "calls that reached the function while CLOSED (failureThreshold 1)").to.have.length(2);
      calls[1].reject(new IOError("down"));
      await failing;
      await clock.tickAsync(600);
      calls[0].reject(new IOError("late"));
      expect(await settles(late, "the late call"), "the late call still throws its own error").to.have.property("message", "late");
      await clock.tickAsync(400);
      expect(breaker.state, "state 1000 ms after opening (recoveryTimeout 1 s), a late failure at 600 ms").to.equal("HALF_OPEN");
      const trial = handled(breaker());
      await clock.tickAsync(0);
      expect(calls, "calls made: the trial was let through").to.have.length(3);
      calls[2].resolve("up");
      expect(await settles(trial, "the trial")).to.equal("up");
      expect(changes, "state changes").to.deep.equal(["CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->CLOSED"]);
    });

    it("R4.2 a late result during the HALF_OPEN trial changes nothing: still one trial, and it decides", async () => {
      for (const outcome of ["success", "failure"] as const) {
        const { breaker, calls, changes } = controlled({ failureThreshold: 1, recoveryTimeout: 1 });
        const late = breaker().catch((error: Error) => error);
        const failing = rejectsWithin(breaker(), "breaker()");
        await clock.tickAsync(0);
        expect(calls, "calls that reached the function while CLOSED (failureThreshold 1)").to.have.length(2);
        calls[1].reject(new IOError("down"));
        await failing;
        await clock.tickAsync(1000);
        const trial = handled(breaker());
        await clock.tickAsync(0);
        expect(calls, "calls that reached the function, the trial included").to.have.length(3);
        if (outcome === "success") calls[0].resolve("late");
        else calls[0].reject(new IOError("late"));
        await settles(late, `the late call (${outcome})`);
        expect(breaker.state, `state during the trial after a late ${outcome}`).to.equal("HALF_OPEN");
        expect(await rejectsWithin(breaker(), "breaker()"), `a call during the trial after a late ${outcome}`).to.be.instanceOf(CircuitOpenError);
        expect(calls, `calls made after a late ${outcome}`).to.have.length(3);
        calls[2].resolve("up");
        expect(await settles(trial, "the trial")).to.equal("up");
        expect(changes, `state changes with a late ${outcome}`).to.deep.equal(["CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->CLOSED"]);
      }
    });

    it("R4.2 failureThreshold 1 opens on the first failure; onStateChange never reports a state to itself", async () => {
      const changes: string[] = [];
      const fn = sinon.spy(async () => {
        throw new IOError("down");
      });
      const breaker = new CircuitBreakerDecorator(fn, { failureThreshold: 1, recoveryTimeout: 0.5, onStateChange: (f, t) => changes.push(`${f}->${t}`) });
      await rejectsWithin(breaker(), "breaker()");
      expect(breaker.state, "state after the first failure (failureThreshold 1)").to.equal("OPEN");
      for (let i = 0; i < 3; i++) {
        await clock.tickAsync(500);
        await rejectsWithin(breaker(), "breaker()");
      }
      expect(fn.callCount, "calls: the first failure and three failed trials").to.equal(4);
      expect(changes, "state changes").to.deep.equal(["CLOSED->OPEN", ...Array(3).fill(["OPEN->HALF_OPEN", "HALF_OPEN->OPEN"]).flat()]);
    });

    it("R4.x given: CircuitBreakerDecorator validates its arguments", () => {
      expect(() => new CircuitBreakerDecorator(42 as never, { failureThreshold: 1, recoveryTimeout: 1 })).to.throw(TypeError, /fn: expected a function/);
      expect(() => new CircuitBreakerDecorator(async () => 1, { failureThreshold: 0, recoveryTimeout: 1 })).to.throw(TypeError, /failureThreshold/);
      expect(() => new CircuitBreakerDecorator(async () => 1, { failureThreshold: 1, recoveryTimeout: NaN })).to.throw(TypeError, /recoveryTimeout/);
    });
  });

  describe("R4.3 exception hierarchy", () => {
    it("R4.3 PipelineError is the base of IORetryExhausted and CircuitOpenError; names and causes are kept", () => {
      const cause = new IOError("disk");
      const exhausted = new IORetryExhausted("gave up", 3, { cause });
      const open = new CircuitOpenError("open");
      for (const [error, name] of [[exhausted, "IORetryExhausted"], [open, "CircuitOpenError"], [new PipelineError("p"), "PipelineError"]] as const) {
        expect(error).to.be.instanceOf(PipelineError).and.instanceOf(Error);
        expect(error.name).to.equal(name);
      }
      expect(exhausted.cause).to.equal(cause);
      expect(open).to.not.be.instanceOf(IORetryExhausted);
      expect(cause).to.not.be.instanceOf(PipelineError);
      expect(cause.name).to.equal("IOError");
      expect(String(open)).to.equal("CircuitOpenError: open");
    });
  });

  describe("R4.4 UnreliableSensorSource", () => {
    it("R4.4 a raw read fails with IOError at the configured rate, drawn from the source's random", () => {
      const failed = (failureRate: number, seed: number) => {
        const source = new UnreliableSensorSource({ random: createRandom(seed), failureRate, log: () => {} });
        const pattern = Array.from({ length: 3000 }, () => {
          try {
            source.readOnce();
            return false;
          } catch (error) {
            expect(error, `what readOnce() throws (failureRate ${failureRate})`).to.be.instanceOf(IOError);
            return true;
          }
        });
        expect(source.rawReads).to.equal(3000);
        return pattern;
      };
      for (const [failureRate, low, high] of [[0.4, 0.37, 0.43], [0, 0, 0], [1, 1, 1]] as const) {
        const share = failed(failureRate, 9).filter(Boolean).length / 3000;
        expect(share, `share of 3000 raw reads that failed, failureRate ${failureRate}`).to.be.within(low, high);
      }
      expect(failed(0.4, 9), "which reads fail, for a second source seeded alike").to.deep.equal(failed(0.4, 9));
      const zero = new UnreliableSensorSource({ random: () => 0, failureRate: 0, log: () => {} });
      expect(() => zero.readOnce(), "readOnce() with failureRate 0 when random() returns 0 (the lowest value it can)").to.not.throw();
      expect(() => new UnreliableSensorSource({ failureRate: 2 })).to.throw(TypeError, /failureRate/);
    });

    it("R4.4 readings are spread over [0, 100) and come from the source's random (same seed, same readings)", () => {
      const readings = (seed: number) => {
        const source = new UnreliableSensorSource({ random: createRandom(seed), failureRate: 0, log: () => {} });
        return Array.from({ length: 2000 }, () => source.readOnce());
      };
      const values = readings(3);
      for (const value of values) expect(value, "a reading").to.be.a("number").within(0, 100).and.lessThan(100);
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      expect(mean, "mean of 2000 readings").to.be.within(45, 55);
      expect(new Set(values).size, "distinct values among 2000 readings").to.be.greaterThan(1000);
      expect(values.filter((v) => v < 10).length, "readings below 10 (about 10% expected)").to.be.within(120, 280);
      expect(values.filter((v) => v >= 90).length, "readings of 90 or more (about 10% expected)").to.be.within(120, 280);
      expect(readings(3), "readings from a second source seeded alike").to.deep.equal(values);
      expect(readings(4), "readings from a source with another seed").to.not.deep.equal(values);
    });

    /** A source whose guardedRead is a test-local fake, so the stream is tested without R4.1/R4.2. */
    function sourceReading(values: (number | Error)[]) {
      const source = new UnreliableSensorSource({ log: () => {} });
      const guardedRead = sinon.spy(async () => {
        const next = values.shift();
        if (next === undefined) throw new Error("test: no more values");
        if (next instanceof Error) throw next;
        return next;
      });
      Object.defineProperty(source, "guardedRead", { value: guardedRead });
      return { source, guardedRead };
    }

    it("R4.4 stream(n) yields n readings { index, value } from guardedRead, one read per reading", async () => {
      for (const n of [0, 1, 3]) {
        const { source, guardedRead } = sourceReading([10, 20.5, 30]);
        const readings: unknown[] = [];
        for await (const r of source.stream(n)) readings.push(r);
        expect(readings, `stream(${n}) over readings 10, 20.5, 30`).to.deep.equal([{ index: 0, value: 10 }, { index: 1, value: 20.5 }, { index: 2, value: 30 }].slice(0, n));
        expect(guardedRead.callCount, `guardedRead calls for stream(${n})`).to.equal(n);
      }
    });

    it("R4.4 stream(n) is lazy and ends with a failed read's error; leaving early stops reading", async () => {
      const { source, guardedRead } = sourceReading([1, 2, 3]);
      const stream = source.stream(3);
      expect(guardedRead.callCount, "reads before the first next()").to.equal(0);
      expect(await stream.next()).to.deep.equal({ done: false, value: { index: 0, value: 1 } });
      expect(await stream.return(undefined)).to.deep.equal({ done: true, value: undefined });
      expect(guardedRead.callCount, "reads after leaving after one reading").to.equal(1);

      const refused = new CircuitOpenError("circuit OPEN");
      const failing = sourceReading([1, refused, 3]);
      const seen: unknown[] = [];
      const error = await rejected((async () => {
        for await (const r of failing.source.stream(3)) seen.push(r);
      })());
      expect(seen, "readings before the failed read").to.deep.equal([{ index: 0, value: 1 }]);
      expect(error, "the stream's error").to.equal(refused);
      expect(failing.guardedRead.callCount, "reads: none after the failed one").to.equal(2);
    });

    it("R4.4 read is readOnce with exponentialBackoff; guardedRead is read behind a CircuitBreakerDecorator, with the options' policy", async () => {
      // Test-local fakes stand in for R4.1 and R4.2, so this checks only the wiring.
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
        const [log, sleep, onRetry, retryIf, now, onStateChange] = [() => {}, async () => {}, () => {}, () => true, () => 0, () => {}];
        // Stubbed before construction, so `() => this.readOnce()` and `this.readOnce.bind(this)` both reach it.
        const readOnce = sinon.stub(UnreliableSensorSource.prototype, "readOnce").returns(42);
        const source = new UnreliableSensorSource({
          failureRate: 0, maxAttempts: 4, baseDelaySec: 0.2, maxDelaySec: 2, failureThreshold: 5, recoveryTimeout: 7,
          log, sleep, onRetry, retryIf, now, onStateChange,
        });
        expect(backoffs, "exponentialBackoff calls: (maxAttempts, baseDelaySec, maxDelaySec, options)").to.have.length(1);
        expect(backoffs[0].slice(0, 3), "exponentialBackoff(maxAttempts, baseDelaySec, maxDelaySec, …)").to.deep.equal([4, 0.2, 2]);
        expect(backoffs[0][3], "exponentialBackoff's options").to.include({ log, sleep, onRetry, retryIf });
        expect(source.read, "read: what exponentialBackoff(…) returned for it").to.have.property("backedOff", true);
        expect(await source.read(), "read() with readOnce returning 42").to.equal(42);
        expect(readOnce.callCount, "readOnce calls for one read()").to.equal(1);
        expect(readOnce.firstCall.thisValue, "`this` inside readOnce when read() calls it").to.equal(source);
        expect(breakers, "CircuitBreakerDecorator constructions").to.have.length(1);
        expect(source.guardedRead, "guardedRead").to.be.instanceOf(FakeBreaker);
        expect(breakers[0][0], "the function the breaker wraps").to.equal(source.read);
        expect(breakers[0][1], "the breaker's options").to.include({ failureThreshold: 5, recoveryTimeout: 7, now, onStateChange });
        breakers.length = backoffs.length = 0;
        new UnreliableSensorSource();
        expect(backoffs[0].slice(0, 3), "exponentialBackoff arguments by default").to.deep.equal([3, 0.1, 1]);
        expect(breakers[0][1], "the breaker's options by default").to.include({ failureThreshold: 3, recoveryTimeout: 2 });
      } finally {
        sinon.restore();
      }
    });
  });

  describe("R4.5 main block", () => {
    it("R4.5 makes `reads` reads (default 30)", async () => {
      const { log, lines } = captureLog();
      const result = await settles(runExercise4Demo({ seed: 15, reads: 5, log }), "runExercise4Demo({ seed: 15, reads: 5 })");
      expect(result.attempted, "reads attempted with reads: 5").to.equal(5);
      expect(lines.filter((line) => /^read \d+:/.test(line)), "lines starting with `read <i>:` with reads: 5").to.have.length(5);
    });

    it("R4.5 advances the clock by intervalMs after each read: 3 reads that never fail take 0.6 s", async () => {
      const { log, lines } = captureLog();
      const neverFails = () => 0.99; // above the failure rate: every read succeeds at once, no retry waits
      await settles(runExercise4Demo({ reads: 3, intervalMs: 200, random: neverFails, log }), "runExercise4Demo({ reads: 3, intervalMs: 200 })");
      const totals = lines.find((line) => line.startsWith("totals:")) ?? "";
      expect(/simulated time (\d+(?:\.\d+)?)s/.exec(totals)?.[1], `simulated time in the totals line ${JSON.stringify(totals)}`).to.equal("0.6");
    });

    it("R4.5 makes 30 reads, counts each outcome separately, and prints the totals; same seed, same output", async () => {
      const first = captureLog();
      const result = await settles(runExercise4Demo({ seed: 15, log: first.log }), "runExercise4Demo({ seed: 15 })");
      const second = captureLog();
      await settles(runExercise4Demo({ seed: 15, log: second.log }), "runExercise4Demo({ seed: 15 }), again");
      expect(second.lines, "the output of a second run with seed 15").to.deep.equal(first.lines);
      expect(result.attempted).to.equal(30);
      expect(result.succeeded + result.retryExhausted + result.circuitOpen, "successful + IORetryExhausted + CircuitOpenError").to.equal(30);
      expect(result.retryExhausted, "IORetryExhausted count with seed 15").to.be.greaterThan(0);
      expect(result.circuitOpen, "CircuitOpenError count with seed 15").to.be.greaterThan(0);
      const reads = result.events.filter((e) => e.kind === "read");
      expect(reads).to.have.length(30);
      for (let i = 1; i < reads.length; i++) {
        expect(reads[i].t - reads[i - 1].t, `simulated ms between reads ${i} and ${i + 1} (intervalMs 200)`).to.be.at.least(200);
      }
      expect(clock.now).to.equal(0);
    });

    it("R4.5 prints one line per read, saying what happened: the value, gave up, or skipped", async () => {
      const { log, lines } = captureLog();
      const result = await settles(runExercise4Demo({ seed: 15, log }), "runExercise4Demo({ seed: 15 })");
      const readLines = lines.filter((line) => /^read \d+:/.test(line));
      const outcomes = result.events.flatMap((e) => (e.kind === "read" ? [e.outcome] : []));
      expect(readLines, "lines starting with `read <i>:`").to.have.length(30);
      const counted = { ok: 0, exhausted: 0, open: 0 };
      readLines.forEach((line, i) => {
        const expected = { ok: /^read \d+: \d+\.\d\d$/, exhausted: /^read \d+: gave up after 2 attempts \(.+\)$/, open: /^read \d+: skipped, .*OPEN/ }[outcomes[i]];
        expect(line, `line for read ${i + 1}, whose outcome was "${outcomes[i]}"`).to.match(expected);
        expect(line.startsWith(`read ${i + 1}:`), `line ${JSON.stringify(line)} numbers read ${i + 1}`).to.equal(true);
        counted[outcomes[i]]++;
      });
      expect([result.succeeded, result.retryExhausted, result.circuitOpen], "totals against the lines").to.deep.equal([counted.ok, counted.exhausted, counted.open]);
      const totals = lines.filter((line) => line.startsWith("totals:"));
      expect(totals, "totals lines").to.have.length(1);
      expect(totals[0]).to.match(
        new RegExp(`^totals: reads attempted 30, successful ${result.succeeded}, IORetryExhausted ${result.retryExhausted}, CircuitOpenError ${result.circuitOpen} \\(raw sensor reads ${result.rawReads}, simulated time \\d+\\.\\ds\\)$`),
      );
      expect(lines[lines.length - 1], "the last line").to.equal(totals[0]);
      for (const line of lines) expect(line, "a printed line: no number with more than 3 decimals").to.not.match(/\d\.\d{4,}/);
    });

    it("R4.5 an error that is neither IORetryExhausted nor CircuitOpenError is not counted: it stops the main block", async () => {
      const seeded = createRandom(15);
      let draws = 0;
      const random = () => {
        if (++draws === 12) throw new TypeError("random source broke");
        return seeded();
      };
      const error = await rejectsWithin(runExercise4Demo({ seed: 15, random, log: () => {} }), "runExercise4Demo with a random source that throws a TypeError on its 12th draw");
      expect(error, "what the main block throws").to.be.instanceOf(TypeError).with.property("message", "random source broke");
    });
  });
});
