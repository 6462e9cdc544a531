import type { Random } from "../shared/Random";
import { RuntimeError } from "./errors";
import type { PipelineRecord, Stage } from "./types";

/** Keeps the records whose value is above 50 (the seed's first demo stage). */
export function keepAbove50(records: PipelineRecord[]): PipelineRecord[] {
  return records.filter((r) => r.value > 50);
}

/** Doubles every value (the seed's second demo stage). */
export function doubleValues(records: PipelineRecord[]): PipelineRecord[] {
  return records.map((r) => ({ ...r, value: r.value * 2 }));
}

/**
 * Wraps a stage so that it throws `RuntimeError` with probability `rate`, keeping the stage's name.
 * @param stage - the stage to wrap
 * @param rate - probability of failure per call, in [0, 1]
 * @param random - the source that decides each call
 */
export function flakyStage(stage: Stage, rate: number, random: Random): Stage {
  const flaky: Stage = (records) => {
    // TODO(R1.5): with probability `rate` (draw from `random`), throw a RuntimeError naming the stage; else run it.
    // BEGIN SOLUTION R1.5
    if (random() < rate) {
      throw new RuntimeError(`${stage.name}: simulated failure (${Math.round(rate * 100)}% chance per batch)`);
    }
    return stage(records);
    // END SOLUTION
  };
  return Object.defineProperty(flaky, "name", { value: stage.name });
}
