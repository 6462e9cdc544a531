import { expect } from "./helpers/expect";
import * as sinon from "sinon";
import * as ts from "@tslab/typescript-for-tslab";
import * as lib from "../src/ex4-resilience";
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
    it("R4.1 the delay doubles per failed attempt and is capped at maxDelaySec", () => {
      expect([1, 2, 3, 4, 5].map((k) => backoffDelay(k, 0.5, 3))).to.deep.equal([0.5, 1, 2, 3, 3]);
      expect(backoffDelay(1, 0, 0)).to.equal(0);
    });

    it("R4.1 waits exactly the schedule: no retry a millisecond early, the retry at the delay", async () => {
      const fn = flaky(3);
      const { log, lines } = captureLog();
      const call = exponentialBackoff(5, 1, 3, { log })(fn)();
      await clock.tickAsync(0);
      expect(fn.callCount).to.equal(1);
      for (const [delayMs, calls] of [[1000, 2], [2000, 3], [3000, 4]] as const) {
        await clock.tickAsync(delayMs - 1);
        expect(fn.callCount).to.equal(calls - 1);
        await clock.tickAsync(1);
        expect(fn.callCount).to.equal(calls);
      }
      expect(await call).to.equal("ok");
      expect(lines).to.deep.equal([
        "call: attempt 1/5 failed (fail, 2 left); retrying in 1s",
        "call: attempt 2/5 failed (fail, 1 left); retrying in 2s",
        "call: attempt 3/5 failed (fail, 0 left); retrying in 3s",
      ]);
    });

    it("R4.1 returns the first success at once, without waiting or printing", async () => {
      const { log, lines } = captureLog();
      expect(await exponentialBackoff(3, 1, 1, { log })(flaky(0))()).to.equal("ok");
      expect(lines).to.deep.equal([]);
      expect(clock.now).to.equal(0);
    });

    it("R4.1 makes no attempt after the last, and gives up with IORetryExhausted carrying the last error", async () => {
      const fn = flaky(10);
      const call = rejected(exponentialBackoff(3, 0.1, 1, { log: () => {} })(fn)());
      await clock.tickAsync(60_000);
      const error = (await call) as IORetryExhausted;
      expect(fn.callCount).to.equal(3);
      expect(error).to.be.instanceOf(IORetryExhausted);
      expect(error.attempts).to.equal(3);
      expect(error.cause).to.be.instanceOf(IOError).with.property("message", "fail, 7 left");
      expect(error.message).to.equal("call: all 3 attempts failed; last error: IOError: fail, 7 left");
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
      const result = reader.read(1, "x");
      await clock.tickAsync(10);
      expect(await result).to.equal("1x");
      expect(reader.calls).to.deep.equal([[1, "x"], [1, "x"]]);
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
      await clock.tickAsync(1500);
      expect(await scope.result).to.equal(3);
      expect(lines).to.deep.equal(["go: attempt 1/3 failed (no); retrying in 0.5s", "go: attempt 2/3 failed (no); retrying in 1s"]);
    });

    it("R4.1 an abort cancels a pending wait at once and makes no further attempt", async () => {
      const fn = flaky(10);
      const controller = new AbortController();
      const call = rejected(exponentialBackoff(5, 10, 10, { log: () => {}, signal: controller.signal })(fn)());
      await clock.tickAsync(5000);
      controller.abort(new Error("stop"));
      const error = await call;
      expect(error).to.be.instanceOf(Error).with.property("message", "stop");
      await clock.tickAsync(60_000);
      expect(fn.callCount).to.equal(1);
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
        const call = exponentialBackoff(2, 0.001, 0.001)(flaky(1))();
        await clock.tickAsync(1);
        await call;
      } finally {
        stub.restore();
      }
      expect(stub.firstCall.args[0]).to.match(/attempt 1\/2 failed/);
    });
  });

  describe("R4.2 CircuitBreakerDecorator", () => {
    const failing = () => sinon.spy(async () => {
      throw new IOError("down");
    });

    it("R4.2 instances are callable and pass `this`, arguments and results through", async () => {
      const breaker = new CircuitBreakerDecorator(async (a: number, b: number) => a + b, { failureThreshold: 2, recoveryTimeout: 1 });
      expect(typeof breaker).to.equal("function");
      expect(breaker).to.be.instanceOf(CircuitBreakerDecorator);
      expect(await breaker(2, 3)).to.equal(5);
      expect(breaker.state).to.equal("CLOSED");
    });

    it("R4.2 opens on the failureThreshold-th consecutive failure; a success resets the count", async () => {
      let fail = true;
      const fn = sinon.spy(async () => {
        if (fail) throw new IOError("down");
        return 1;
      });
      const breaker = new CircuitBreakerDecorator(fn, { failureThreshold: 3, recoveryTimeout: 10 });
      await rejected(breaker());
      await rejected(breaker());
      fail = false;
      await breaker();
      expect(breaker.consecutiveFailures).to.equal(0);
      fail = true;
      await rejected(breaker());
      await rejected(breaker());
      expect(breaker.state).to.equal("CLOSED");
      expect(await rejected(breaker())).to.be.instanceOf(IOError);
      expect(breaker.state).to.equal("OPEN");
    });

    it("R4.2 while OPEN it throws CircuitOpenError without calling the function", async () => {
      const fn = failing();
      const breaker = new CircuitBreakerDecorator(fn, { failureThreshold: 1, recoveryTimeout: 5 });
      await rejected(breaker());
      const error = await rejected(breaker());
      expect(error).to.be.instanceOf(CircuitOpenError);
      expect((error as Error).message).to.match(/OPEN after 1 consecutive failures; trial in 5\.000s/);
      expect(fn.callCount).to.equal(1);
    });

    it("R4.2 the recovery boundary: just before, still OPEN and not called; at the timeout, one trial", async () => {
      const fn = failing();
      const breaker = new CircuitBreakerDecorator(fn, { failureThreshold: 1, recoveryTimeout: 2 });
      await rejected(breaker());
      clock.tick(1999);
      expect(breaker.state).to.equal("OPEN");
      expect(await rejected(breaker())).to.be.instanceOf(CircuitOpenError);
      expect(fn.callCount).to.equal(1);
      clock.tick(1);
      expect(breaker.state).to.equal("HALF_OPEN");
      expect(await rejected(breaker())).to.be.instanceOf(IOError);
      expect(fn.callCount).to.equal(2);
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
      await rejected(breaker());
      await rejected(breaker());
      clock.tick(1000);
      up = true;
      expect(await breaker()).to.equal("up");
      expect([breaker.state, breaker.consecutiveFailures]).to.deep.equal(["CLOSED", 0]);
      expect(changes).to.deep.equal(["CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->CLOSED"]);
    });

    it("R4.2 a trial failure opens the circuit again and restarts the timeout", async () => {
      const fn = failing();
      const breaker = new CircuitBreakerDecorator(fn, { failureThreshold: 1, recoveryTimeout: 1 });
      await rejected(breaker());
      clock.tick(1000);
      await rejected(breaker());
      expect(breaker.state).to.equal("OPEN");
      clock.tick(999);
      expect(await rejected(breaker())).to.be.instanceOf(CircuitOpenError);
      clock.tick(1);
      await rejected(breaker());
      expect(fn.callCount).to.equal(3);
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
      await rejected(breaker());
      clock.tick(1000);
      const trial = breaker();
      const others = await Promise.allSettled([breaker(), breaker(), breaker()]);
      expect(others.map((o) => o.status === "rejected" && o.reason instanceof CircuitOpenError)).to.deep.equal([true, true, true]);
      expect(calls).to.equal(2);
      release();
      expect(await trial).to.equal("ok");
      expect(breaker.state).to.equal("CLOSED");
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
    it("R4.4 a raw read fails with IOError at the configured rate", () => {
      const source = new UnreliableSensorSource({ random: createRandom(9), log: () => {} });
      let failures = 0;
      for (let i = 0; i < 5000; i++) {
        try {
          const value = source.readOnce();
          expect(value).to.be.within(0, 100);
        } catch (error) {
          expect(error).to.be.instanceOf(IOError);
          failures++;
        }
      }
      expect(failures / 5000).to.be.within(0.37, 0.43);
      expect(source.rawReads).to.equal(5000);
      expect(() => new UnreliableSensorSource({ failureRate: 2 })).to.throw(TypeError, /failureRate/);
    });

    it("R4.4 read() retries raw reads with backoff; the breaker wraps read", async () => {
      const always = new UnreliableSensorSource({ failureRate: 1, maxAttempts: 3, baseDelaySec: 1, maxDelaySec: 1, failureThreshold: 2, log: () => {} });
      const first = rejected(always.guardedRead());
      await clock.tickAsync(2000);
      expect(await first).to.be.instanceOf(IORetryExhausted);
      expect(always.rawReads).to.equal(3);
      const second = rejected(always.guardedRead());
      await clock.tickAsync(2000);
      expect(await second).to.be.instanceOf(IORetryExhausted);
      expect(always.guardedRead.state).to.equal("OPEN");
      expect(await rejected(always.guardedRead())).to.be.instanceOf(CircuitOpenError);
      expect(always.rawReads).to.equal(6);
    });

    it("R4.4 stream(n) is an async generator of readings through the breaker", async () => {
      const source = new UnreliableSensorSource({ failureRate: 0, log: () => {} });
      const readings = [];
      for await (const r of source.stream(3)) readings.push(r);
      expect(readings.map((r) => r.index)).to.deep.equal([0, 1, 2]);
      expect(source.rawReads).to.equal(3);
    });
  });

  describe("R4.5 main block", () => {
    it("R4.5 makes 30 reads, counts each outcome separately, and prints the totals; same seed, same output", async () => {
      const first = captureLog();
      const result = await runExercise4Demo({ seed: 15, log: first.log });
      const second = captureLog();
      await runExercise4Demo({ seed: 15, log: second.log });
      expect(second.lines).to.deep.equal(first.lines);
      expect(result.attempted).to.equal(30);
      expect(result.succeeded + result.retryExhausted + result.circuitOpen).to.equal(30);
      expect(result.retryExhausted).to.be.greaterThan(0);
      expect(result.circuitOpen).to.be.greaterThan(0);
      const text = first.lines.join("\n");
      expect(text).to.match(/gave up after 2 attempts/);
      expect(text).to.match(/skipped, .*circuit OPEN/);
      expect(first.lines[first.lines.length - 1]).to.equal(
        `totals: reads attempted 30, successful ${result.succeeded}, IORetryExhausted ${result.retryExhausted}, CircuitOpenError ${result.circuitOpen}` +
          ` (raw sensor reads ${result.rawReads}, simulated time ${first.lines[first.lines.length - 1].match(/time ([\d.]+)s/)![1]}s)`,
      );
      expect(result.events.filter((e) => e.kind === "read")).to.have.length(30);
      expect(clock.now).to.equal(0);
    });
  });
});
