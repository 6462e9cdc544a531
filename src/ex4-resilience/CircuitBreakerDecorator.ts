import { Callable } from "./Callable";
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
 * the circuit, failure opens it again for another `recoveryTimeout`. A result that arrives after the state has
 * changed since its call started (a late result) is passed to its caller but does not change the state.
 * @example
 * const guarded = new CircuitBreakerDecorator(readSensor, { failureThreshold: 3, recoveryTimeout: 5 });
 * await guarded(); // calls readSensor, or throws CircuitOpenError while open
 * guarded.state;   // "CLOSED" | "OPEN" | "HALF_OPEN"
 */
export class CircuitBreakerDecorator<F extends Fn> extends Callable {
  readonly #fn: F;
  readonly #failureThreshold: number;
  readonly #recoveryTimeout: number;
  readonly #now: () => number;
  readonly #onStateChange?: (from: CircuitState, to: CircuitState) => void;
  /** CLOSED, OPEN, or HALF_OPEN while the trial call runs. */
  #current: CircuitState = "CLOSED";
  #failures = 0;
  #openedAt = 0;
  /** Counts state changes: a call whose generation is no longer current has a late result. */
  #generation = 0;

  /** @throws TypeError for a non-function, a threshold that is not a positive integer, or a bad timeout */
  constructor(fn: F, options: CircuitBreakerOptions) {
    if (typeof fn !== "function") throw new TypeError(`CircuitBreakerDecorator: fn: expected a function, got ${typeof fn}`);
    const { failureThreshold, recoveryTimeout, now, onStateChange } = options ?? {};
    if (!Number.isSafeInteger(failureThreshold) || failureThreshold < 1) {
      throw new TypeError(`CircuitBreakerDecorator: failureThreshold: expected a positive integer, got ${String(failureThreshold)}`);
    }
    if (!Number.isFinite(recoveryTimeout) || recoveryTimeout < 0) {
      throw new TypeError(`CircuitBreakerDecorator: recoveryTimeout: expected a finite number of seconds >= 0, got ${String(recoveryTimeout)}`);
    }
    const name = `circuitBreaker(${fn.name || "anonymous"})`;
    let self!: CircuitBreakerDecorator<F>;
    // A method shorthand: named, not constructible, `this` is the caller's.
    super({ [name](this: unknown, ...args: Parameters<F>) { return self.#invoke(this, args); } }[name]);
    self = this;
    this.#fn = fn;
    this.#failureThreshold = failureThreshold;
    this.#recoveryTimeout = recoveryTimeout;
    this.#now = now ?? (() => performance.now());
    this.#onStateChange = onStateChange;
  }

  /** The wrapped function. */
  get fn(): F {
    return this.#fn;
  }

  /** Consecutive failures that open the circuit. */
  get failureThreshold(): number {
    return this.#failureThreshold;
  }

  /** Seconds the circuit stays OPEN before a trial. */
  get recoveryTimeout(): number {
    return this.#recoveryTimeout;
  }

  /** CLOSED, OPEN, or HALF_OPEN — also once the recovery timeout has passed and the next call will be the trial. */
  get state(): CircuitState {
    return this.#current === "OPEN" && this.#recoveryElapsed() ? "HALF_OPEN" : this.#current;
  }

  /** Consecutive failures counted so far. */
  get consecutiveFailures(): number {
    return this.#failures;
  }

  /** Whether `recoveryTimeout` seconds have passed since the circuit opened (at the timeout exactly: yes). */
  #recoveryElapsed(): boolean {
    return this.#now() - this.#openedAt >= this.#recoveryTimeout * 1000;
  }

  /** Seconds until the trial call is allowed. */
  #secondsLeft(): number {
    return (this.#recoveryTimeout * 1000 - (this.#now() - this.#openedAt)) / 1000;
  }

  /** Enters `next`: starts a new generation, records when the circuit opened, reports the change. */
  #moveTo(next: CircuitState): void {
    const from = this.#current;
    this.#current = next;
    this.#generation++;
    if (next === "OPEN") this.#openedAt = this.#now();
    this.#onStateChange?.(from, next);
  }

  async #invoke(thisArg: unknown, args: Parameters<F>): Promise<Awaited<ReturnType<F>>> {
    // TODO(R4.2): decide first: HALF_OPEN (a trial is running) → throw CircuitOpenError; OPEN before the recovery
    // timeout (this.#recoveryElapsed()) → throw CircuitOpenError, fn not called; OPEN after it →
    // this.#moveTo("HALF_OPEN") and this call is the trial. Then remember this.#generation, call this.#fn, and
    // record the outcome only if the generation is unchanged (otherwise the result is late: pass it on, change
    // nothing). A success resets this.#failures and closes the circuit after a trial; a failure counts, and opens
    // the circuit at failureThreshold or when the trial fails. Messages: see docs/exercise-4.md.
    // BEGIN SOLUTION R4.2
    if (this.#current === "HALF_OPEN") throw new CircuitOpenError(`${this.name}: circuit HALF_OPEN, trial call in flight`);
    let isTrial = false;
    if (this.#current === "OPEN") {
      if (!this.#recoveryElapsed()) {
        throw new CircuitOpenError(
          `${this.name}: circuit OPEN after ${this.#failures} consecutive failures; trial in ${this.#secondsLeft().toFixed(3)}s`,
        );
      }
      this.#moveTo("HALF_OPEN");
      isTrial = true;
    }
    const generation = this.#generation;
    try {
      const result = await this.#fn.apply(thisArg, args);
      if (generation === this.#generation) {
        this.#failures = 0;
        if (isTrial) this.#moveTo("CLOSED");
      }
      return result as Awaited<ReturnType<F>>;
    } catch (error) {
      if (generation === this.#generation) {
        this.#failures++;
        if (isTrial || this.#failures >= this.#failureThreshold) this.#moveTo("OPEN");
      }
      throw error;
    }
    // END SOLUTION
  }
}
