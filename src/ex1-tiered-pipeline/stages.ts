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
    // TODO(R1.5): draw random() once; when it is below `rate`, throw a RuntimeError whose message names the stage;
    // otherwise return the stage's output.
    // BEGIN SOLUTION R1.5
    if (random() < rate) {
      throw new RuntimeError(`${stage.name}: simulated failure`);
    }
    return stage(records);
    // END SOLUTION
  };
  return Object.defineProperty(flaky, "name", { value: stage.name });
}
