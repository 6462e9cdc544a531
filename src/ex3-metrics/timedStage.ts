import { dualMethodDecorator, type DualMethodDecorator } from "../shared/methodDecorator";
import { MetricsRegistry } from "./MetricsRegistry";
import { StageMetrics, type TimingFigures } from "./StageMetrics";
import { isAsyncIterable, observeAsync, observeSync } from "./observeIterator";

/**
 * Times each record a generator-method stage produces and registers the latencies (ms) and the stage's elapsed
 * time under `stageName` once the generator finishes: exhausted, closed early, or thrown.
 *
 * A record's latency is the time inside the `next()` call that produced it, read with `performance.now()`:
 * the time the consumer spends between pulls is not charged to the stage; the time upstream stages take to
 * feed it is (pipelines pull).
 * @param stageName - the registry entry; use the same name as `@countedStage` to merge into one entry
 * @throws TypeError when `stageName` is not a non-empty string
 */
export function timedStage(stageName: string): DualMethodDecorator {
  checkStageName("timedStage", stageName);
  return dualMethodDecorator(
    (method) =>
      function (this: unknown, ...args: unknown[]) {
        const figures: TimingFigures = { latencies: [], elapsedMs: 0, recordsOut: 0 };
        const register = () => MetricsRegistry.register(stageName, new StageMetrics(stageName, { timing: figures }));
        const output = method.call(this, ...args);
        // TODO(R3.3): read performance.now() before and after every pull; add the time to elapsedMs, and for
        // each record (not the final `done`) push it to latencies. Register once, when the iterator finishes.
        // BEGIN SOLUTION R3.3
        const record = <R extends IteratorResult<unknown>>(startedAt: number, result: R): R => {
          const ms = performance.now() - startedAt;
          figures.elapsedMs += ms;
          if (!result.done) {
            figures.latencies.push(ms);
            figures.recordsOut++;
          }
          return result;
        };
        if (isAsyncIterable(output)) {
          return observeAsync(
            output[Symbol.asyncIterator](),
            async (pull) => {
              const startedAt = performance.now();
              return record(startedAt, await pull());
            },
            register,
          );
        }
        return observeSync(
          (output as Iterable<unknown>)[Symbol.iterator](),
          (pull) => {
            const startedAt = performance.now();
            return record(startedAt, pull());
          },
          register,
        );
        // END SOLUTION
      },
  );
}

/** @throws TypeError unless `name` is a non-empty string */
export function checkStageName(decorator: string, name: unknown): void {
  if (typeof name !== "string" || name.trim() === "") {
    throw new TypeError(`${decorator}(stageName): expected a non-empty string, got ${JSON.stringify(name) ?? String(name)}`);
  }
}
