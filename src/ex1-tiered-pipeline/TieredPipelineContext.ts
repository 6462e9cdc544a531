import { randomUUID } from "node:crypto";
import { defaultLog, type Logger } from "../shared/Logger";
import { SuppressedError, foldErrors } from "../shared/SuppressedError";
import { InMemoryTextFile } from "./InMemoryTextFile";
import { PipelineStateError, TierFaultError } from "./errors";
import {
  TIER_ORDER,
  type DatabaseConnection,
  type OutputSocket,
  type PipelineRecord,
  type PipelineSummary,
  type Stage,
  type TierName,
} from "./types";

/** Options for {@link TieredPipelineContext}. */
export interface TieredPipelineOptions {
  /** Identifies the pipeline in log lines and the summary; default: a generated unique id. */
  pipelineId?: string;
  /** Receives every printed line; default: `console.log`. */
  log?: Logger;
  /** Fault injection: make one tier fail to open and/or one tier fail to close. */
  failOn?: { open?: TierName; close?: TierName };
  /** Clock in milliseconds; default: `performance.now()`. */
  now?: () => number;
}

/**
 * Opens a database, a log file and a socket as one context, runs stages, and closes the tiers in reverse.
 *
 * Python's `with` maps to `using ctx = new TieredPipelineContext().enter()` (TypeScript 5.2+), or to
 * explicit `enter()` / `exit(error)` where `using` is not available (tslab notebook cells).
 * @example
 * {
 *   using ctx = new TieredPipelineContext({ pipelineId: "demo" }).enter();
 *   ctx.run([keepAbove50, doubleValues], records);
 * } // socket, log file and database are closed here, even if a stage threw
 */
export class TieredPipelineContext implements Disposable {
  readonly pipelineId: string;
  /** The database tier, set by `enter()`. */
  database?: DatabaseConnection;
  /** The log file tier (an in-memory text file), set by `enter()`. */
  logFile?: InMemoryTextFile;
  /** The output socket tier, set by `enter()`. */
  socket?: OutputSocket;

  private _failedTier?: string;
  private readonly opened: TierName[] = [];
  private state: "new" | "entered" | "exited" = "new";
  private startedAt?: number;
  private endedAt?: number;
  private recordsIn = 0;
  private recordsOut = 0;
  private readonly log: Logger;
  private readonly failOn: { open?: TierName; close?: TierName };
  private readonly now: () => number;

  constructor(options: TieredPipelineOptions = {}) {
    this.pipelineId = options.pipelineId ?? `pipeline-${randomUUID().slice(0, 8)}`;
    this.log = options.log ?? defaultLog;
    this.failOn = options.failOn ?? {};
    this.now = options.now ?? (() => performance.now());
  }

  /** The name of the stage that threw during `run()`, if any (the seed's `_failedTier`). */
  get failedTier(): string | undefined {
    return this._failedTier;
  }

  /**
   * Opens database, log file and socket in that order and returns `this` (Python's `__enter__`).
   * @throws TierFaultError when a tier fails to open; the tiers already open are closed first
   * @throws PipelineStateError when called twice
   */
  enter(): this {
    if (this.state !== "new") {
      throw new PipelineStateError(`enter(): expected a new context, but it is already ${this.state}`);
    }
    this.state = "entered";
    this.startedAt = this.now();
    // TODO(R1.1): open the three tiers in TIER_ORDER (see openTier); if one fails, close the open ones and rethrow.
    // BEGIN SOLUTION R1.1
    try {
      for (const tier of TIER_ORDER) this.openTier(tier);
    } catch (error) {
      this.finish(error);
      throw error;
    }
    // END SOLUTION
    return this;
  }

  /**
   * Closes socket, log file, database (reverse order), logs each, then logs the summary (Python's `__exit__`).
   *
   * Never suppresses `error`: the caller rethrows it. Calling it again is a no-op.
   * @param error - the error that ended the block, if any
   * @throws the close failure when a tier fails to close; a `SuppressedError` whose `suppressed` is `error`
   *   when there was one
   */
  exit(error?: unknown): void {
    if (this.state !== "entered") return;
    this.finish(error);
  }

  /** Closes the tiers at the end of a `using` block; the runtime adds the block's error, so none is passed. */
  [Symbol.dispose](): void {
    this.exit();
  }

  /**
   * Runs `records` through each stage in turn and returns the last stage's output.
   * @throws the stage's own error, after recording the stage's name in `failedTier`
   * @throws PipelineStateError when the context is not entered
   * @throws TypeError when `stages` or `records` are not arrays, or a stage returns a non-array
   */
  run(stages: readonly Stage[], records: readonly PipelineRecord[]): PipelineRecord[] {
    if (this.state !== "entered") {
      throw new PipelineStateError(`run(): expected an entered context (call enter() first), but it is ${this.state}`);
    }
    if (!Array.isArray(stages) || !stages.every((s) => typeof s === "function")) {
      throw new TypeError(`run(): stages: expected an array of functions, got ${describe(stages)}`);
    }
    if (!Array.isArray(records)) {
      throw new TypeError(`run(): records: expected an array of records, got ${describe(records)}`);
    }
    this.recordsIn += records.length;
    // TODO(R1.3): pass the batch through every stage; when one throws, set this._failedTier to its name, then rethrow.
    // BEGIN SOLUTION R1.3
    let batch = [...records];
    for (const [index, stage] of stages.entries()) {
      const name = stageName(stage, index);
      try {
        const output: unknown = stage(batch);
        if (!Array.isArray(output)) {
          throw new TypeError(`stage ${name}: expected it to return an array of records, got ${describe(output)}`);
        }
        this.logFile?.write(`stage ${name}: ${batch.length} -> ${output.length} records\n`);
        batch = output;
      } catch (error) {
        this._failedTier = name;
        throw error;
      }
    }
    this.recordsOut += batch.length;
    return batch;
    // END SOLUTION
  }

  /** Returns the seed's summary dict: id, records in and out, duration, and the tiers that opened. */
  summary(): PipelineSummary {
    // TODO(R1.4): build the summary from the counters, the clock and the list of opened tiers.
    // BEGIN SOLUTION R1.4
    const start = this.startedAt;
    return {
      pipelineId: this.pipelineId,
      recordsIn: this.recordsIn,
      recordsOut: this.recordsOut,
      durationMs: start === undefined ? 0 : (this.endedAt ?? this.now()) - start,
      tiersOpened: [...this.opened],
    };
    // END SOLUTION
  }

  private openTier(tier: TierName): void {
    if (this.failOn.open === tier) throw new TierFaultError(tier, "open");
    if (tier === "database") this.database = { connected: true };
    if (tier === "logFile") this.logFile = new InMemoryTextFile();
    if (tier === "socket") this.socket = { bound: true };
    this.opened.push(tier);
    this.logFile?.write(`opened ${tier}\n`);
  }

  private closeTier(tier: TierName): void {
    if (this.failOn.close === tier) throw new TierFaultError(tier, "close");
    if (tier === "database" && this.database) this.database.connected = false;
    if (tier === "logFile") this.logFile?.close();
    if (tier === "socket" && this.socket) this.socket.bound = false;
  }

  /** Closes every opened tier in reverse and logs the summary; throws only when a close failed. */
  private finish(error: unknown): void {
    const closeFailures: unknown[] = [];
    // TODO(R1.2): close the opened tiers in reverse order, logging one "closing <tier>" line each (name the
    // failed tier when a stage failed); keep going when a close throws, and collect what it threw.
    // BEGIN SOLUTION R1.2
    const cause = this._failedTier === undefined ? "" : ` (failed tier: ${this._failedTier})`;
    for (const tier of [...this.opened].reverse()) {
      this.log(`[${this.pipelineId}] closing ${tier}${cause}`);
      try {
        this.closeTier(tier);
      } catch (closeError) {
        this.log(`[${this.pipelineId}] ${tier} failed to close: ${describe(closeError)}`);
        closeFailures.push(closeError);
      }
    }
    // END SOLUTION
    this.state = "exited";
    this.endedAt = this.now();
    this.log(`[${this.pipelineId}] summary ${formatSummary(this.summary())}`);
    if (closeFailures.length > 0) {
      const closeError = foldErrors(closeFailures);
      throw error === undefined ? closeError : new SuppressedError(closeError, error);
    }
  }
}

/**
 * Formats a summary as one JSON line, with `durationMs` rounded to whole milliseconds so seeded runs print the same text.
 * @param summary - what `summary()` returned
 */
export function formatSummary(summary: PipelineSummary): string {
  return JSON.stringify({ ...summary, durationMs: Math.round(summary.durationMs) });
}

function stageName(stage: Stage, index: number): string {
  return stage.name || `<anonymous stage #${index + 1}>`;
}

function describe(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  if (Array.isArray(value)) return "an array";
  return value === null ? "null" : `${typeof value} ${String(value)}`;
}
