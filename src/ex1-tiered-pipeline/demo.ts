import { defaultLog, type Logger } from "../shared/Logger";
import { createRandom } from "../shared/Random";
import { makeRecords } from "../shared/records";
import { TieredPipelineContext } from "./TieredPipelineContext";
import { RuntimeError } from "./errors";
import { roundMs } from "./formatSummary";
import { doubleValues, flakyStage, keepAbove50 } from "./stages";
import type { PipelineSummary, Stage } from "./types";

/** Options for {@link runExercise1Demo}. */
export interface Exercise1DemoOptions {
  /** Seeds the records and the failures; default 7. */
  seed?: number;
  log?: Logger;
  /** How many batches of 20 records to run; default 3, so a failure is likely to show. */
  batches?: number;
  /** Chance that `doubleValues` raises `RuntimeError` in a batch; default 0.2. */
  failureRate?: number;
  /** The stages; default `[keepAbove50, flakyStage(doubleValues, failureRate, random)]`. */
  stages?: readonly Stage[];
}

/**
 * Runs the seed's main block: batches of 20 random records through `keepAbove50` and a flaky `doubleValues`.
 *
 * Each context prints its own summary when it closes; the demo ends with one totals line.
 * @returns the summary of each batch
 * @throws whatever a stage throws that is not a `RuntimeError` (a bug must not be swallowed)
 */
export function runExercise1Demo(options: Exercise1DemoOptions = {}): PipelineSummary[] {
  const { seed = 7, log = defaultLog, batches = 3, failureRate = 0.2 } = options;
  const random = createRandom(seed);
  const stages = options.stages ?? [keepAbove50, flakyStage(doubleValues, failureRate, random)];
  const summaries: PipelineSummary[] = [];
  // TODO(R1.5): for each batch b = 1…batches: make 20 records (makeRecords(20, random)), open a
  // TieredPipelineContext({ pipelineId: `batch-${b}`, log }) with `using`, run the records through `stages`.
  // Catch only RuntimeError (print a line naming RuntimeError and the failed stage); anything else must escape.
  // Push each batch's summary(); exit() already prints it, so do not print it again.
  // BEGIN SOLUTION R1.5
  for (let batch = 1; batch <= batches; batch++) {
    const records = makeRecords(20, random);
    const ctx = new TieredPipelineContext({ pipelineId: `batch-${batch}`, log });
    try {
      using _ = ctx.enter();
      ctx.run(stages, records);
    } catch (error) {
      if (!(error instanceof RuntimeError)) throw error;
      log(`batch-${batch}: handled RuntimeError from stage ${ctx.failedTier}: ${error.message}`);
    }
    summaries.push(ctx.summary());
  }
  // END SOLUTION
  const total = (key: "recordsIn" | "recordsOut") => summaries.reduce((sum, s) => sum + s[key], 0);
  const ms = roundMs(summaries.reduce((sum, s) => sum + s.durationMs, 0));
  log(`total: ${summaries.length} batches, ${total("recordsIn")} records in, ${total("recordsOut")} out, ${ms} ms`);
  return summaries;
}
