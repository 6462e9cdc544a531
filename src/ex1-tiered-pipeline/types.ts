import type { PipelineRecord } from "../shared/records";

export type { PipelineRecord };

/** The three resource tiers, in the order they are opened. */
export type TierName = "database" | "logFile" | "socket";

/** Opening order; closing runs through it backwards. */
export const TIER_ORDER: readonly TierName[] = ["database", "logFile", "socket"];

/** A pipeline stage: a named function from a batch of records to a batch of records. */
export type Stage = (records: PipelineRecord[]) => PipelineRecord[];

/** What `TieredPipelineContext.summary()` returns (the seed's summary dict). */
export interface PipelineSummary {
  pipelineId: string;
  recordsIn: number;
  recordsOut: number;
  durationMs: number;
  tiersOpened: TierName[];
}

/** The simulated database connection tier (`{ connected }`, as in the seed). */
export interface DatabaseConnection {
  connected: boolean;
}

/** The simulated output socket tier (`{ bound }`, as in the seed). */
export interface OutputSocket {
  bound: boolean;
}
