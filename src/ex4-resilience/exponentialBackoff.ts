import { defaultLog, type Logger } from "../shared/Logger";
import { sleep as timerSleep } from "../shared/sleep";
import { dualMethodDecorator, isStandardContext, type AnyMethod } from "../shared/methodDecorator";
import { IORetryExhausted } from "./errors";

/** Options for {@link exponentialBackoff}. */
export interface BackoffOptions {
  /** Receives the line printed before each retry; default `console.log`. */
  log?: Logger;
  /** Cancels a pending wait at once; no further attempt is made. */
  signal?: AbortSignal;
  /** Waits between attempts; default `setTimeout` (the `time.sleep` analogue, never a busy wait). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Called before each retry with the attempt that failed and the delay, e.g. for a timeline. */
  onRetry?: (attempt: number, delaySec: number, error: unknown) => void;
  /**
   * Whether an error is worth another attempt; default: every error is (the seed's behaviour). An error it
   * rejects is thrown at once, as it is (p-retry's `shouldRetry`, cockatiel's `handleType`).
   * @example { retryIf: (error) => error instanceof IOError } // a TypeError from a bug is not retried
   */
  retryIf?: (error: unknown) => boolean;
}

/** Wraps a function (plain form) or decorates a method (both decorator protocols). */
export interface BackoffDecorator {
  <F extends AnyMethod>(fn: F): (...args: Parameters<F>) => Promise<Awaited<ReturnType<F>>>;
  <This, F extends AnyMethod>(method: F, context: ClassMethodDecoratorContext<This, F>): F;
  (prototype: object, key: string | symbol, property: PropertyDescriptor): any;
}

/**
 * The delay before the retry that follows failed attempt `attempt` (1-based): `min(base * 2^(attempt-1), max)`.
 * @returns seconds
 */
export function backoffDelay(attempt: number, baseDelaySec: number, maxDelaySec: number): number {
  // TODO(R4.1): the delay doubles with each failed attempt, starting at baseDelaySec, capped at maxDelaySec.
  // BEGIN SOLUTION R4.1
  return Math.min(baseDelaySec * 2 ** (attempt - 1), maxDelaySec);
  // END SOLUTION
}

/**
 * Retries an async function with exponentially growing waits, then gives up with `IORetryExhausted`.
 *
 * Attempt k failing waits `min(baseDelaySec * 2^(k-1), maxDelaySec)` seconds before attempt k+1, printing a line
 * with the attempt number and the delay. When attempt `maxAttempts` fails it throws `IORetryExhausted` whose
 * `cause` is the last error. Every error is retried unless `options.retryIf` says otherwise. The wrapper keeps
 * the wrapped function's name.
 * @example
 * class Sensor {
 *   @exponentialBackoff(3, 0.1, 1) async read() { … }
 * }
 * const fetchOnce = exponentialBackoff(3, 0.1, 1)(fetchIt); // plain wrapper
 * @throws TypeError for a `maxAttempts` that is not a positive integer, or negative, non-finite, or base > max delays
 */
export function exponentialBackoff(
  maxAttempts: number,
  baseDelaySec: number,
  maxDelaySec: number,
  options: BackoffOptions = {},
): BackoffDecorator {
  if (!Number.isSafeInteger(maxAttempts) || maxAttempts < 1) {
    throw new TypeError(`exponentialBackoff: maxAttempts: expected a positive integer, got ${String(maxAttempts)}`);
  }
  for (const [name, value] of [["baseDelaySec", baseDelaySec], ["maxDelaySec", maxDelaySec]] as const) {
    if (!Number.isFinite(value) || value < 0) {
      throw new TypeError(`exponentialBackoff: ${name}: expected a finite number >= 0, got ${String(value)}`);
    }
  }
  if (baseDelaySec > maxDelaySec) {
    throw new TypeError(`exponentialBackoff: expected baseDelaySec <= maxDelaySec, got ${baseDelaySec} > ${maxDelaySec}`);
  }
  const retryIf = options.retryIf ?? (() => true);
  const wrap = (fn: AnyMethod, name: string): AnyMethod => {
    const retrying = async function (this: unknown, ...args: unknown[]) {
      const log = options.log ?? defaultLog;
      const wait = options.sleep ?? timerSleep;
      const { signal } = options;
      // TODO(R4.1): call fn up to maxAttempts times, each after signal?.throwIfAborted(); return the first
      // success. An error for which retryIf(error) is false is thrown at once, as it is. After any other failure
      // that is not the last: print the retry line (docs/exercise-4.md, with `name`), call
      // options.onRetry?.(attempt, delaySec, error), then await wait(delaySec * 1000, signal). After the last
      // failure, throw IORetryExhausted (the give-up message) with the last error as its cause.
      // BEGIN SOLUTION R4.1
      let lastError: unknown;
      for (let attempt = 1; attempt <= maxAttempts; attempt++) {
        signal?.throwIfAborted();
        try {
          return await fn.apply(this, args);
        } catch (error) {
          if (!retryIf(error)) throw error;
          lastError = error;
          if (attempt === maxAttempts) break;
          const delaySec = backoffDelay(attempt, baseDelaySec, maxDelaySec);
          const reason = error instanceof Error ? error.message : String(error);
          log(`${name}: attempt ${attempt}/${maxAttempts} failed (${reason}); retrying in ${delaySec}s`);
          options.onRetry?.(attempt, delaySec, error);
          await wait(delaySec * 1000, signal);
        }
      }
      const reason = lastError instanceof Error ? `${lastError.name}: ${lastError.message}` : String(lastError);
      throw new IORetryExhausted(`${name}: all ${maxAttempts} attempts failed; last error: ${reason}`, maxAttempts, {
        cause: lastError,
      });
      // END SOLUTION
    };
    // Like Python's functools.wraps: the wrapper keeps the wrapped function's name.
    return Object.defineProperty(retrying, "name", { value: name });
  };
  const asDecorator = dualMethodDecorator(wrap);
  return function backoff(target: unknown, context?: unknown, property?: PropertyDescriptor) {
    if (typeof target === "function" && context === undefined) return wrap(target as AnyMethod, target.name || "call");
    if (!isStandardContext(context) && typeof context !== "string" && typeof context !== "symbol") {
      throw new TypeError("exponentialBackoff(...): expected a function to wrap or a method to decorate");
    }
    return (asDecorator as (...a: unknown[]) => unknown)(target, context, property);
  } as BackoffDecorator;
}
