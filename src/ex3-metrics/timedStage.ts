import { dualMethodDecorator, type DualMethodDecorator } from "../shared/methodDecorator";
import { checkStageName, instrumentStage } from "./instrumentStage";

/**
 * Times each record a generator-method stage produces and registers the latencies (ms) and the stage's elapsed
 * time under `stageName` once the generator finishes: exhausted, closed early, or thrown.
 *
 * A record's latency is the time inside the `next()` call that produced it, read with `performance.now()`:
 * the time the consumer spends between pulls is not charged to the stage; the time upstream stages take to
 * feed it is (pipelines pull).
 * @param stageName - the registry entry; the same name as `@countedStage` merges into one entry
 * @throws TypeError when `stageName` is not a non-empty string
 */
export function timedStage(stageName: string): DualMethodDecorator {
  checkStageName("timedStage", stageName);
  return dualMethodDecorator((method) => instrumentStage(method, { timedAs: stageName }));
}
