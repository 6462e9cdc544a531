import { CircuitOpenError } from "./errors";

/** The breaker's states: CLOSED lets calls through, OPEN refuses them, HALF_OPEN allows one trial call. */
export type CircuitState = "CLOSED" | "OPEN" | "HALF_OPEN";

/** Options for {@link CircuitBreakerDecorator}. */
export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit; a positive integer. */
  failureThreshold: number;
  /** Seconds the circuit stays OPEN before a trial call is allowed; finite, >= 0. */
  recoveryTimeout: number;
  /** Clock in milliseconds; default `performance.now()`. */
  now?: () => number;
  /** Called on every state change, e.g. for a log or a timeline. */
  onStateChange?: (from: CircuitState, to: CircuitState) => void;
}

type Fn = (...args: any[]) => unknown;

/** Instances are callable: `await breaker(...args)` (Python's `__call__`). */
export interface CircuitBreakerDecorator<F extends Fn> {
  (...args: Parameters<F>): Promise<Awaited<ReturnType<F>>>;
}

/**
 * Wraps a function in a circuit breaker; the instance itself is the guarded function (a callable class).
 *
 * After `failureThreshold` consecutive failures it opens and throws `CircuitOpenError` without calling the
 * function. Once `recoveryTimeout` seconds have passed, the next call is a single HALF_OPEN trial: success closes
 * the circuit, failure opens it again for another `recoveryTimeout`.
 * @example
 * const guarded = new CircuitBreakerDecorator(readSensor, { failureThreshold: 3, recoveryTimeout: 5 });
 * await guarded(); // calls readSensor, or throws CircuitOpenError while open
 * guarded.state;   // "CLOSED" | "OPEN" | "HALF_OPEN"
 */
export class CircuitBreakerDecorator<F extends Fn> extends Function {
  declare readonly fn: F;
  declare readonly failureThreshold: number;
  declare readonly recoveryTimeout: number;
  declare private current: CircuitState;
  declare private failures: number;
  declare private openedAt: number;
  declare private trialInFlight: boolean;
  declare private readonly options: CircuitBreakerOptions;

  /** @throws TypeError for a non-function, a threshold that is not a positive integer, or a bad timeout */
  constructor(fn: F, options: CircuitBreakerOptions) {
    super();
    if (typeof fn !== "function") throw new TypeError(`CircuitBreakerDecorator: fn: expected a function, got ${typeof fn}`);
    const { failureThreshold, recoveryTimeout } = options ?? {};
    if (!Number.isSafeInteger(failureThreshold) || failureThreshold < 1) {
      throw new TypeError(`CircuitBreakerDecorator: failureThreshold: expected a positive integer, got ${String(failureThreshold)}`);
    }
    if (!Number.isFinite(recoveryTimeout) || recoveryTimeout < 0) {
      throw new TypeError(`CircuitBreakerDecorator: recoveryTimeout: expected a finite number of seconds >= 0, got ${String(recoveryTimeout)}`);
    }
    const self = function (this: unknown, ...args: Parameters<F>) {
      return self.invoke(this, args);
    } as unknown as CircuitBreakerDecorator<F>;
    Object.setPrototypeOf(self, new.target.prototype);
    Object.defineProperty(self, "name", { value: `circuitBreaker(${fn.name || "anonymous"})` });
    Object.assign(self, { fn, failureThreshold, recoveryTimeout, options, current: "CLOSED", failures: 0, openedAt: 0, trialInFlight: false });
    return self;
  }

  /** CLOSED, OPEN, or HALF_OPEN — also once the recovery timeout has passed and the next call will be the trial. */
  get state(): CircuitState {
    return this.current === "OPEN" && this.recoveryElapsed() ? "HALF_OPEN" : this.current;
  }

  /** Consecutive failures counted so far. */
  get consecutiveFailures(): number {
    return this.failures;
  }

  private now(): number {
    return this.options.now ? this.options.now() : performance.now();
  }

  private recoveryElapsed(): boolean {
    return this.now() - this.openedAt >= this.recoveryTimeout * 1000;
  }

  private moveTo(next: CircuitState): void {
    const from = this.current;
    this.current = next;
    if (next === "OPEN") this.openedAt = this.now();
    if (from !== next) this.options.onStateChange?.(from, next);
  }

  private async invoke(thisArg: unknown, args: Parameters<F>): Promise<Awaited<ReturnType<F>>> {
    // TODO(R4.2): refuse with CircuitOpenError while OPEN (and while a HALF_OPEN trial is in flight); after
    // recoveryTimeout let exactly one trial through; count consecutive failures and move between states.
    // BEGIN SOLUTION R4.2
    if (this.current === "OPEN") {
      if (!this.recoveryElapsed()) {
        const left = (this.recoveryTimeout * 1000 - (this.now() - this.openedAt)) / 1000;
        throw new CircuitOpenError(`${this.name}: circuit OPEN after ${this.failures} consecutive failures; trial in ${left.toFixed(3)}s`);
      }
      this.moveTo("HALF_OPEN");
    }
    const isTrial = this.current === "HALF_OPEN";
    if (isTrial) {
      if (this.trialInFlight) throw new CircuitOpenError(`${this.name}: circuit HALF_OPEN, trial call in flight`);
      this.trialInFlight = true;
    }
    try {
      const result = await this.fn.apply(thisArg, args);
      this.failures = 0;
      if (this.current !== "CLOSED") this.moveTo("CLOSED");
      return result as Awaited<ReturnType<F>>;
    } catch (error) {
      this.failures++;
      if (this.current === "HALF_OPEN" || this.failures >= this.failureThreshold) this.moveTo("OPEN");
      throw error;
    } finally {
      if (isTrial) this.trialInFlight = false;
    }
    // END SOLUTION
  }
}
