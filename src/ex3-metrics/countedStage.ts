import { dualMethodDecorator, type DualMethodDecorator } from "../shared/methodDecorator";
import { MetricsRegistry } from "./MetricsRegistry";
import { StageMetrics } from "./StageMetrics";
import { isAsyncIterable, isIterable, observeAsync, observeSync } from "./observeIterator";
import { checkStageName } from "./timedStage";

/**
 * Counts what a generator-method stage pulls from its input (first argument) and what it yields, and registers
 * `{ recordsIn, recordsOut }` under `stageName` once the generator finishes: exhausted, closed early, or thrown.
 *
 * Works on `function*` and `async function*` methods, under standard and legacy decorators.
 * @param stageName - the registry entry; use the same name as `@timedStage` to merge into one entry
 * @throws TypeError when `stageName` is not a non-empty string
 */
export function countedStage(stageName: string): DualMethodDecorator {
  checkStageName("countedStage", stageName);
  return dualMethodDecorator(
    (method) =>
      function (this: unknown, ...args: unknown[]) {
        const figures = { recordsIn: 0, recordsOut: 0 };
        const register = () => MetricsRegistry.register(stageName, new StageMetrics(stageName, { counts: figures }));
        // TODO(R3.2): count the items pulled from args[0] (countInput) and the items the stage yields; register
        // the figures once, when the stage's iterator finishes (observeSync / observeAsync call `finish` once).
        // BEGIN SOLUTION R3.2
        const output = method.call(this, countInput(args[0], figures), ...args.slice(1));
        const step = <R extends IteratorResult<unknown>>(result: R): R => {
          if (!result.done) figures.recordsOut++;
          return result;
        };
        if (isAsyncIterable(output)) {
          return observeAsync(output[Symbol.asyncIterator](), async (pull) => step(await pull()), register);
        }
        return observeSync((output as Iterable<unknown>)[Symbol.iterator](), (pull) => step(pull()), register);
        // END SOLUTION
      },
  );
}

/** Wraps the stage's input so every item it pulls is counted; non-iterables pass through untouched. */
function countInput(input: unknown, figures: { recordsIn: number }): unknown {
  const count = <R extends IteratorResult<unknown>>(result: R): R => {
    if (!result.done) figures.recordsIn++;
    return result;
  };
  if (isAsyncIterable(input)) {
    return { [Symbol.asyncIterator]: () => observeAsync(input[Symbol.asyncIterator](), async (pull) => count(await pull()), () => {}) };
  }
  if (isIterable(input) && typeof input !== "string") {
    return { [Symbol.iterator]: () => observeSync(input[Symbol.iterator](), (pull) => count(pull()), () => {}) };
  }
  return input;
}
