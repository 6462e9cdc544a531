import { defaultLog, type Logger } from "../shared/Logger";
import { createRandom, type Random } from "../shared/Random";
import { VirtualClock } from "../shared/VirtualClock";
import type { CircuitState } from "./CircuitBreakerDecorator";
import { UnreliableSensorSource } from "./UnreliableSensorSource";
import { CircuitOpenError, IOError, IORetryExhausted } from "./errors";

/** Options for {@link runExercise4Demo}. */
export interface Exercise4DemoOptions {
  seed?: number;
  log?: Logger;
  /** Guarded reads to make; default 30. */
  reads?: number;
  /** Simulated time between two reads, in ms; default 200. */
  intervalMs?: number;
  /** The sensor's random source; default one seeded with `seed`. */
  random?: Random;
}

/** One thing that happened during the demo, at simulated time `t` (ms). */
export type TimelineEvent =
  | { t: number; kind: "read"; index: number; outcome: "ok" | "exhausted" | "open" }
  | { t: number; kind: "retry"; attempt: number; delaySec: number }
  | { t: number; kind: "state"; from: CircuitState; to: CircuitState };

/** The demo's totals (the seed's four counters) and its timeline. */
export interface Exercise4Result {
  attempted: number;
  succeeded: number;
  retryExhausted: number;
  circuitOpen: number;
  rawReads: number;
  events: TimelineEvent[];
}

/**
 * Runs the seed's main block: 30 reads of an UnreliableSensorSource, IORetryExhausted and CircuitOpenError caught
 * separately, totals printed. Runs on a simulated clock (waits are instant), so a seed fixes the output.
 */
export async function runExercise4Demo(options: Exercise4DemoOptions = {}): Promise<Exercise4Result> {
  const { seed = 15, log = defaultLog, reads = 30, intervalMs = 200, random = createRandom(seed) } = options;
  const clock = new VirtualClock();
  const events: TimelineEvent[] = [];
  const source = new UnreliableSensorSource({
    random,
    // Only sensor failures are worth a retry; anything else is a bug and surfaces at once.
    retryIf: (error) => error instanceof IOError,
    maxAttempts: 2,
    baseDelaySec: 0.1,
    maxDelaySec: 1,
    failureThreshold: 2,
    recoveryTimeout: 1,
    sleep: clock.sleep,
    now: clock.now,
    log: (line) => log(`  ${line}`),
    onRetry: (attempt, delaySec) => events.push({ t: clock.now(), kind: "retry", attempt, delaySec }),
    onStateChange: (from, to) => {
      events.push({ t: clock.now(), kind: "state", from, to });
      log(`  circuit ${from} -> ${to}`);
    },
  });
  const totals = { attempted: 0, succeeded: 0, retryExhausted: 0, circuitOpen: 0 };
  // TODO(R4.5): make `reads` guarded reads (source.guardedRead), advancing the clock by intervalMs after each; count each
  // outcome, catching IORetryExhausted and CircuitOpenError separately with different messages.
  // BEGIN SOLUTION R4.5
  for (let index = 0; index < reads; index++) {
    totals.attempted++;
    const read = (outcome: "ok" | "exhausted" | "open") => events.push({ t: clock.now(), kind: "read", index, outcome });
    try {
      const value = await source.guardedRead();
      totals.succeeded++;
      read("ok");
      log(`read ${index + 1}: ${value.toFixed(2)}`);
    } catch (error) {
      if (error instanceof IORetryExhausted) {
        totals.retryExhausted++;
        read("exhausted");
        log(`read ${index + 1}: gave up after ${error.attempts} attempts (${(error.cause as Error).message})`);
      } else if (error instanceof CircuitOpenError) {
        totals.circuitOpen++;
        read("open");
        log(`read ${index + 1}: skipped, ${error.message}`);
      } else {
        throw error;
      }
    }
    clock.advance(intervalMs);
  }
  // END SOLUTION
  log(
    `totals: reads attempted ${totals.attempted}, successful ${totals.succeeded}, IORetryExhausted ${totals.retryExhausted}, ` +
      `CircuitOpenError ${totals.circuitOpen} (raw sensor reads ${source.rawReads}, simulated time ${(clock.now() / 1000).toFixed(1)}s)`,
  );
  return { ...totals, rawReads: source.rawReads, events };
}
