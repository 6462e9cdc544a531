import { defaultLog, type Logger } from "../shared/Logger";
import { createRandom, type Random } from "../shared/Random";
import { CircuitBreakerDecorator, type CircuitState } from "./CircuitBreakerDecorator";
import { IOError } from "./errors";
import { exponentialBackoff } from "./exponentialBackoff";

/** Options for {@link UnreliableSensorSource}. */
export interface SensorSourceOptions {
  /** Chance that one raw read fails with IOError; default 0.4. */
  failureRate?: number;
  /** Where the values and failures come from; default a source seeded with 4. */
  random?: Random;
  /** Retry policy for `read`: attempts and delays in seconds; defaults 3, 0.1, 1. */
  maxAttempts?: number;
  baseDelaySec?: number;
  maxDelaySec?: number;
  /** Circuit breaker around `read`; defaults 3 consecutive failures, 2 seconds. */
  failureThreshold?: number;
  recoveryTimeout?: number;
  /** Waits between retries; default `setTimeout`. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** The breaker's clock in milliseconds; default `performance.now()`. */
  now?: () => number;
  log?: Logger;
  onRetry?: (attempt: number, delaySec: number, error: unknown) => void;
  /** Which errors `read` retries; default every error. */
  retryIf?: (error: unknown) => boolean;
  onStateChange?: (from: CircuitState, to: CircuitState) => void;
}

/** One sensor reading. */
export interface SensorReading {
  index: number;
  value: number;
}

/**
 * A simulated sensor whose raw reads fail with `IOError` 40% of the time. `read()` retries with exponential
 * backoff; `guardedRead` is `read` behind a circuit breaker; `stream(n)` yields `n` readings through it.
 */
export class UnreliableSensorSource {
  /** Raw read attempts made so far (each retry counts). */
  rawReads = 0;
  /** Retries with backoff around one raw read: the seed's `@exponential_backoff` on `read`. */
  readonly read: () => Promise<number>;
  /** `read` behind the circuit breaker: what `stream` and the demo call. */
  readonly guardedRead: CircuitBreakerDecorator<() => Promise<number>>;
  private readonly random: Random;
  private readonly failureRate: number;

  constructor(options: SensorSourceOptions = {}) {
    this.random = options.random ?? createRandom(4);
    this.failureRate = options.failureRate ?? 0.4;
    if (!(this.failureRate >= 0 && this.failureRate <= 1)) {
      throw new TypeError(`UnreliableSensorSource: failureRate: expected a number in [0, 1], got ${String(options.failureRate)}`);
    }
    // TODO(R4.4): apply the seed's decorators: this.read is readOnce retried with
    // exponentialBackoff(maxAttempts, baseDelaySec, maxDelaySec, { log, sleep, onRetry, retryIf }) from the
    // options (defaults 3, 0.1, 1), and this.guardedRead is this.read behind
    // new CircuitBreakerDecorator(…, { failureThreshold, recoveryTimeout, now, onStateChange }) (defaults 3, 2).
    // BEGIN SOLUTION R4.4
    const backoff = exponentialBackoff(options.maxAttempts ?? 3, options.baseDelaySec ?? 0.1, options.maxDelaySec ?? 1, {
      log: options.log ?? defaultLog,
      sleep: options.sleep,
      onRetry: options.onRetry,
      retryIf: options.retryIf,
    });
    const read = async () => this.readOnce();
    this.read = backoff(read);
    this.guardedRead = new CircuitBreakerDecorator(this.read, {
      failureThreshold: options.failureThreshold ?? 3,
      recoveryTimeout: options.recoveryTimeout ?? 2,
      now: options.now,
      onStateChange: options.onStateChange,
    });
    // END SOLUTION
  }

  /** One raw read: a value in [0, 100), or IOError with probability `failureRate`. */
  readOnce(): number {
    this.rawReads++;
    // TODO(R4.4): fail with IOError with probability failureRate (draw from this.random), else return a reading
    // in [0, 100) drawn from this.random too.
    // BEGIN SOLUTION R4.4
    if (this.random() < this.failureRate) throw new IOError(`sensor read ${this.rawReads} failed`);
    return Math.round(this.random() * 10000) / 100;
    // END SOLUTION
  }

  /** Yields `count` readings `{ index, value }` through `guardedRead`; a failed read ends the stream with its error. */
  async *stream(count: number): AsyncGenerator<SensorReading> {
    // TODO(R4.4): for index 0 … count-1, yield { index, value: await this.guardedRead() }.
    // BEGIN SOLUTION R4.4
    for (let index = 0; index < count; index++) yield { index, value: await this.guardedRead() };
    // END SOLUTION
  }
}
