import { dualMethodDecorator, type DualMethodDecorator } from "../shared/methodDecorator";
import { NotImplementedError } from "../shared/NotImplementedError";
import { checkStageName } from "./checkStageName";
import { MetricsRegistry } from "./MetricsRegistry";
import { StageMetrics } from "./StageMetrics";

/**
 * Times a generator-method stage and registers `new StageMetrics(stageName, { timing: { latencies, elapsedMs } })`
 * once the generator finishes: exhausted, closed early (a consumer's `break`), or thrown from.
 *
 * A record's latency is the time between consecutive yields, by `performance.now()`: from the previous yield (for
 * the first record, from the first pull) to this record's yield. `elapsedMs` runs from the first pull to the end.
 * @param stageName - the registry entry
 * @throws TypeError when `stageName` is not a non-empty string
 * @example
 * class Stages {
 *   @timedStage("square") *square(input: Iterable<number>) { for (const n of input) yield n * n; }
 * }
 */
export function timedStage(stageName: string): DualMethodDecorator {
  checkStageName("timedStage", stageName);
  // dualMethodDecorator hands you the decorated method and puts back what you return, under both protocols.
  return dualMethodDecorator((method) => {
    // TODO(R3.3): return a generator function that replaces `method`: it calls `method` with the same `this` and
    // arguments and yields every record it yields. Read performance.now() when it starts and at each yield;
    // each record's latency is the time since the previous yield (the first: since the start). When it finishes,
    // whichever way, register { latencies, elapsedMs } once, elapsedMs being the time from the start to the end.
    // BEGIN SOLUTION R3.3
    return function* timedWrapper(this: unknown, ...args: unknown[]) {
      const latencies: number[] = [];
      const startedAt = performance.now();
      let previous = startedAt;
      try {
        for (const record of method.apply(this, args)) {
          const now = performance.now();
          latencies.push(now - previous);
          previous = now;
          yield record;
        }
      } finally {
        const elapsedMs = performance.now() - startedAt;
        MetricsRegistry.register(stageName, new StageMetrics(stageName, { timing: { latencies, elapsedMs } }));
      }
    };
    // END SOLUTION
    // BEGIN STUB
    // return function* timedWrapper(this: unknown, ...args: unknown[]): Generator<unknown> {
    //   throw new NotImplementedError("R3.3", "timedStage");
    // };
    // END STUB
  });
}
