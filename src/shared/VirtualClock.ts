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
