/**
 * A simulated clock: `sleep` advances time instantly, `now` reads it. Demos use it so a seed fixes their output.
 * @example
 * const clock = new VirtualClock();
 * await clock.sleep(1500);
 * clock.now(); // 1500
 */
export class VirtualClock {
  private t = 0;

  /** The simulated time in milliseconds. */
  now = (): number => this.t;

  /** Advances the clock by `ms` and resolves at once (rejects if `signal` is already aborted). */
  sleep = (ms: number, signal?: AbortSignal): Promise<void> => {
    if (signal?.aborted) return Promise.reject(signal.reason);
    this.t += ms;
    return Promise.resolve();
  };

  /** Advances the clock by `ms` without waiting. */
  advance(ms: number): void {
    this.t += ms;
  }
}

/**
 * Waits `ms` milliseconds with `setTimeout`; an abort rejects at once with the signal's reason.
 * @param ms - how long to wait
 * @param signal - cancels the wait
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
