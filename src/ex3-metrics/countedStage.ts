import { dualMethodDecorator, type DualMethodDecorator } from "../shared/methodDecorator";
import { checkStageName, instrumentStage } from "./instrumentStage";

/**
 * Counts what a generator-method stage pulls from its input (first argument) and what it yields, and registers
 * `{ recordsIn, recordsOut }` under `stageName` once the generator finishes: exhausted, closed early, or thrown.
 *
 * Works on `function*` and `async function*` methods, under standard and legacy decorators, alone or stacked
 * with `@timedStage` (same name: one merged entry).
 * @param stageName - the registry entry
 * @throws TypeError when `stageName` is not a non-empty string
 * @example
 * class Stages {
 *   @countedStage("evens") *evens(input: Iterable<number>) { for (const n of input) if (n % 2 === 0) yield n; }
 * }
 */
export function countedStage(stageName: string): DualMethodDecorator {
  checkStageName("countedStage", stageName);
  return dualMethodDecorator((method) => instrumentStage(method, { countedAs: stageName }));
}
