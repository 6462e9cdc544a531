import { defaultLog, type Logger } from "../shared/Logger";
import { createRandom } from "../shared/Random";
import { TieredPipelineContext, formatSummary } from "./TieredPipelineContext";
import { RuntimeError } from "./errors";
import { makeRecords } from "../shared/records";
import { doubleValues, flakyStage, keepAbove50 } from "./stages";
import type { PipelineSummary } from "./types";

/** Options for {@link runExercise1Demo}. */
export interface Exercise1DemoOptions {
  seed?: number;
  log?: Logger;
  /** How many batches of 20 records to run; default 3, so a failure is likely to show. */
  batches?: number;
  /** Chance that `doubleValues` raises `RuntimeError` in a batch; default 0.2. */
  failureRate?: number;
}

/**
 * Runs the seed's main block: batches of 20 random records through `keepAbove50` and a flaky `doubleValues`.
 * @returns the summary of each batch
 */
export function runExercise1Demo(options: Exercise1DemoOptions = {}): PipelineSummary[] {
  const { seed = 7, log = defaultLog, batches = 3, failureRate = 0.2 } = options;
  const random = createRandom(seed);
  const summaries: PipelineSummary[] = [];
  // TODO(R1.5): for each batch, make 20 records, run them through the two stages inside a
  // TieredPipelineContext (one stage fails 20% of the time), handle RuntimeError, and print the summary.
  // BEGIN SOLUTION R1.5
  const stages = [keepAbove50, flakyStage(doubleValues, failureRate, random)];
  for (let batch = 1; batch <= batches; batch++) {
    const records = makeRecords(20, random);
    const ctx = new TieredPipelineContext({ pipelineId: `batch-${batch}`, log });
    try {
      using _ = ctx.enter();
      const output = ctx.run(stages, records);
      log(`batch-${batch}: ${records.length} records in, ${output.length} out`);
    } catch (error) {
      if (!(error instanceof RuntimeError)) throw error;
      log(`batch-${batch}: handled RuntimeError from stage ${ctx.failedTier}: ${error.message}`);
    }
    summaries.push(ctx.summary());
  }
  log("summaries:");
  for (const summary of summaries) log(`  ${formatSummary(summary)}`);
  // END SOLUTION
  return summaries;
}
