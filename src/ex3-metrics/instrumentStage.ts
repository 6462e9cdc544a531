import type { AnyMethod } from "../shared/methodDecorator";
import { MetricsRegistry } from "./MetricsRegistry";
import { StageMetrics, type CountFigures, type TimingFigures } from "./StageMetrics";
import { observeIterable, observeOutput } from "./observeIterator";

/** What a stage method is instrumented for: the entry names its counts and its timings go to. */
export interface StageInstrumentation {
  countedAs?: string;
  timedAs?: string;
}

const INSTRUMENTED = Symbol("instrumentedStage");

interface Instrumented extends AnyMethod {
  [INSTRUMENTED]: StageInstrumentation & { original: AnyMethod };
}

/**
 * Wraps a generator method so it is counted and/or timed. Applied to a method that is already instrumented
 * (`@countedStage` stacked directly on `@timedStage`, in either order), it fuses both into one wrapper: one
 * pass over each record instead of two, and the same figures.
 * @param method - the generator method, or an instrumented one
 * @param add - what to add: `countedAs` and/or `timedAs`
 */
export function instrumentStage(method: AnyMethod, add: StageInstrumentation): AnyMethod {
  const prior = (method as Partial<Instrumented>)[INSTRUMENTED];
  const original = prior?.original ?? method;
  const countedAs = add.countedAs ?? prior?.countedAs;
  const timedAs = add.timedAs ?? prior?.timedAs;
  const wrapper = function (this: unknown, ...args: unknown[]) {
    const counts: CountFigures = { recordsIn: 0, recordsOut: 0 };
    const timing: TimingFigures = { latencies: [], elapsedMs: 0, recordsOut: 0 };
    if (countedAs !== undefined) {
      args[0] = observeIterable(args[0], { after: (_, result) => countPull(counts, "recordsIn", result), finish() {} });
    }
    return observeOutput(original.apply(this, args), {
      before: timedAs === undefined ? undefined : () => performance.now(),
      after(startedAt, result) {
        if (countedAs !== undefined) countPull(counts, "recordsOut", result);
        if (timedAs !== undefined) timePull(timing, startedAt, result);
      },
      finish() {
        if (countedAs !== undefined) MetricsRegistry.register(countedAs, new StageMetrics(countedAs, { counts }));
        if (timedAs !== undefined) MetricsRegistry.register(timedAs, new StageMetrics(timedAs, { timing }));
      },
    });
  } as Instrumented;
  wrapper[INSTRUMENTED] = { original, countedAs, timedAs };
  return wrapper;
}

/**
 * Counts one pull: a record (not the final `done`) adds one to `counts[field]`.
 * @param field - "recordsIn" for pulls from the input, "recordsOut" for pulls from the stage
 */
export function countPull(counts: CountFigures, field: keyof CountFigures, result: IteratorResult<unknown>): void {
  // TODO(R3.2): count the pull unless it is the final `done` result.
  // BEGIN SOLUTION R3.2
  if (!result.done) counts[field]++;
  // END SOLUTION
}

/**
 * Times one pull of the stage that started at `startedAt` (from `performance.now()`): the time goes to
 * `elapsedMs`, and for a record also to `latencies`.
 */
export function timePull(timing: TimingFigures, startedAt: number, result: IteratorResult<unknown>): void {
  // TODO(R3.3): read performance.now() again; add the difference to elapsedMs; for a record (not `done`), push
  // it to latencies and count it in recordsOut.
  // BEGIN SOLUTION R3.3
  const ms = performance.now() - startedAt;
  timing.elapsedMs += ms;
  if (!result.done) {
    timing.latencies.push(ms);
    timing.recordsOut++;
  }
  // END SOLUTION
}

/** @throws TypeError unless `name` is a non-empty string */
export function checkStageName(decorator: string, name: unknown): void {
  if (typeof name !== "string" || name.trim() === "") {
    throw new TypeError(`${decorator}(stageName): expected a non-empty string, got ${JSON.stringify(name) ?? String(name)}`);
  }
}
