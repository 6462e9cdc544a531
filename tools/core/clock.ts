/**
 * The grader's own clock and timers, captured when the grader loads: tests that run in the same process (the
 * fixture grading inside `npm test`) may fake `Date`, `performance` and the timer functions with sinon, which must
 * not stop or fool the grader's watchdog.
 */
const hrtime = process.hrtime.bigint.bind(process.hrtime);

/** Milliseconds on a monotonic clock no test can fake. */
export const monotonicMs = (): number => Number(hrtime() / 1_000_000n);

/** The real timer functions. */
export const timers = { setInterval, clearInterval, setTimeout, clearTimeout };
