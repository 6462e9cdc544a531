import { makeRecords } from "../shared/records";
import { defaultLog, type Logger } from "../shared/Logger";
import { createRandom } from "../shared/Random";
import { FeaturePipeline } from "./FeaturePipeline";
import { MetricsRegistry } from "./MetricsRegistry";

/** Options for {@link runExercise3Demo}. */
export interface Exercise3DemoOptions {
  seed?: number;
  log?: Logger;
  /** How many records to run; default 5,000. */
  records?: number;
}

/**
 * Runs the seed's main block: 5,000 seeded records through the three decorated stages, then the metrics report.
 * @returns the report table
 */
export function runExercise3Demo(options: Exercise3DemoOptions = {}): string {
  const { seed = 34, log = defaultLog, records = 5000 } = options;
  // TODO(R3.5): reset the registry; run makeRecords(records, createRandom(seed)) through a FeaturePipeline to the
  // end; log `${records} records in, ${features} features out`; then print the report to log and return it.
  // BEGIN SOLUTION R3.5
  MetricsRegistry.reset();
  let features = 0;
  for (const _ of new FeaturePipeline().run(makeRecords(records, createRandom(seed)))) features++;
  log(`${records} records in, ${features} features out`);
  return MetricsRegistry.report(log);
  // END SOLUTION
}
