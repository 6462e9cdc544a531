import { dualMethodDecorator, type DualMethodDecorator } from "../shared/methodDecorator";
import { NotImplementedError } from "../shared/NotImplementedError";
import { checkStageName } from "./checkStageName";
import { MetricsRegistry } from "./MetricsRegistry";
import { StageMetrics } from "./StageMetrics";

/**
 * Counts what a generator-method stage pulls from its input (its first argument) and what it yields, and
 * registers `new StageMetrics(stageName, { counts: { recordsIn, recordsOut } })` once the generator finishes:
 * exhausted, closed early (a consumer's `break`), or thrown from.
 *
 * Works on `function*` methods, under standard and legacy decorators, alone or stacked with `@timedStage`.
 * @param stageName - the registry entry
 * @throws TypeError when `stageName` is not a non-empty string
 * @example
 * class Stages {
 *   @countedStage("evens") *evens(input: Iterable<number>) { for (const n of input) if (n % 2 === 0) yield n; }
 * }
 */
export function countedStage(stageName: string): DualMethodDecorator {
  checkStageName("countedStage", stageName);
  // dualMethodDecorator hands you the decorated method and puts back what you return, under both protocols.
  return dualMethodDecorator((method) => {
    // TODO(R3.2): return a generator function that replaces `method`. It calls `method` with the same `this` and
    // arguments, except that the first argument (the input iterable) is wrapped so each record pulled from it
    // counts in recordsIn; it yields every record `method` yields, counting recordsOut; and when it finishes,
    // whichever way, it registers the counts once with MetricsRegistry.register(stageName, ...).
    // BEGIN SOLUTION R3.2
    return function* countedWrapper(this: unknown, input: Iterable<unknown>, ...rest: unknown[]) {
      const counts = { recordsIn: 0, recordsOut: 0 };
      function* pulled() {
        for (const record of input) {
          counts.recordsIn++;
          yield record;
        }
      }
      try {
        for (const record of method.call(this, pulled(), ...rest)) {
          counts.recordsOut++;
          yield record;
        }
      } finally {
        MetricsRegistry.register(stageName, new StageMetrics(stageName, { counts }));
      }
    };
    // END SOLUTION
    // BEGIN STUB
    // return function* countedWrapper(this: unknown, input: Iterable<unknown>, ...rest: unknown[]): Generator<unknown> {
    //   throw new NotImplementedError("R3.2", "countedStage");
    // };
    // END STUB
  });
}
