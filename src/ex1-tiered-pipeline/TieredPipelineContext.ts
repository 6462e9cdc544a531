import { randomUUID } from "node:crypto";
import { defaultLog, type Logger } from "../shared/Logger";
import { SuppressedError, foldErrors } from "../shared/SuppressedError";
import { InMemoryTextFile } from "./InMemoryTextFile";
import { PipelineStateError, TierFaultError } from "./errors";
import { formatSummary } from "./formatSummary";
import type { DatabaseConnection, OutputSocket, PipelineRecord, PipelineSummary, Stage, TierName } from "./types";

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

  /** The name of the stage that threw during `run()` (the seed's `self._failedTier`). */
  protected _failedTier?: string;
  /** The tiers that opened, in opening order; `openTier` appends to it. */
  protected readonly opened: TierName[] = [];
  /** Records given to `run()`, summed over runs. */
  protected recordsIn = 0;
  /** Records the last stage returned, summed over successful runs. */
  protected recordsOut = 0;
  /** Clock reading when `enter()` began, once entered. */
  protected startedAt?: number;
  /** Clock reading when `exit()` finished closing, once exited. */
  protected endedAt?: number;
  /** Receives every printed line. */
  protected readonly log: Logger;
  /** The clock, in milliseconds. */
  protected readonly now: () => number;
  private state: "new" | "entered" | "exited" = "new";
  private readonly failOn: { open?: TierName; close?: TierName };

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
   * Opens database, log file and socket in that order, stores each, and returns `this` (Python's `__enter__`).
   * @throws TierFaultError when a tier fails to open; `exit(error)` has closed the tiers already open
   * @throws PipelineStateError when called twice
   */
  enter(): this {
    this.begin();
    // TODO(R1.1): open the three tiers in sequence through this.openTier(tier, create) and store each:
    // this.database ({ connected: true }), this.logFile (new InMemoryTextFile()), this.socket ({ bound: true }).
    // If opening one throws, call this.exit(error) so the tiers already open get closed, then rethrow the error.
    // BEGIN SOLUTION R1.1
    try {
      this.database = this.openTier("database", () => ({ connected: true }));
      this.logFile = this.openTier("logFile", () => new InMemoryTextFile());
      this.socket = this.openTier("socket", () => ({ bound: true }));
    } catch (error) {
      this.exit(error);
      throw error;
    }
    // END SOLUTION
    return this;
  }

  /**
   * Closes the tiers in reverse (`closeTiers`), then logs the summary (Python's `__exit__`).
   *
   * Never suppresses `error`: the caller rethrows it. Calling it before `enter()` or a second time does nothing.
   * @param error - the error that ended the block, if any
   * @throws the close failure when a tier fails to close; a `SuppressedError` whose `suppressed` is `error`
   *   when there was one
   */
  exit(error?: unknown): void {
    if (this.state !== "entered") return;
    this.state = "exited";
    const closeFailures = this.closeTiers();
    this.endedAt = this.now();
    this.log(`[${this.pipelineId}] summary ${formatSummary(this.summary())}`);
    if (closeFailures.length > 0) {
      const closeError = foldErrors(closeFailures);
      throw error === undefined ? closeError : new SuppressedError(closeError, error);
    }
  }

  /** Closes the tiers at the end of a `using` block; the runtime adds the block's error, so none is passed. */
  [Symbol.dispose](): void {
    this.exit();
  }

  /**
   * Runs `records` through each stage in turn and returns the last stage's output.
   * @throws the stage's own error, after recording the stage's name in `failedTier`
   * @throws TypeError (as that stage's failure) when a stage returns something other than an array
   * @throws PipelineStateError when the context is not entered
   * @throws TypeError when `stages` or `records` are not arrays
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
    let batch = [...records];
    // TODO(R1.3): pass `batch` through every stage in order (each stage's output is the next one's input).
    // When a stage throws, set this._failedTier to its name (stageName(stage, index)) and rethrow the same error.
    // A stage that returns something other than an array fails too: throw a TypeError naming the stage.
    // BEGIN SOLUTION R1.3
    for (const [index, stage] of stages.entries()) {
      const name = stageName(stage, index);
      try {
        const output: unknown = stage(batch);
        if (!Array.isArray(output)) {
          throw new TypeError(`stage ${name}: expected it to return an array of records, got ${describe(output)}`);
        }
        batch = output;
      } catch (error) {
        this._failedTier = name;
        throw error;
      }
    }
    // END SOLUTION
    this.recordsOut += batch.length;
    return batch;
  }

  /** Returns the seed's summary dict: id, records in and out, duration, and the tiers that opened. */
  summary(): PipelineSummary {
    // TODO(R1.4): build the summary from pipelineId, recordsIn, recordsOut and the list of opened tiers (a copy).
    // durationMs runs from startedAt to endedAt; while the context is still open, to this.now(); 0 before enter().
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

  /**
   * Closes every opened tier in reverse order, logging one line each, and returns what the closes threw.
   * @returns the close failures, oldest first (empty when every tier closed)
   */
  protected closeTiers(): unknown[] {
    const closeFailures: unknown[] = [];
    // TODO(R1.2): for each tier in this.opened, last opened first: log `[<pipelineId>] closing <tier>` and, when a
    // stage failed, ` (failed tier: <this._failedTier>)` at the end of that line; then this.closeTier(tier).
    // When a close throws, keep closing the others and push what it threw onto closeFailures.
    // BEGIN SOLUTION R1.2
    const cause = this._failedTier === undefined ? "" : ` (failed tier: ${this._failedTier})`;
    for (const tier of [...this.opened].reverse()) {
      this.log(`[${this.pipelineId}] closing ${tier}${cause}`);
      try {
        this.closeTier(tier);
      } catch (closeError) {
        closeFailures.push(closeError);
      }
    }
    // END SOLUTION
    return closeFailures;
  }

  /**
   * Marks the context entered and starts the clock; the first step of `enter()`.
   * @throws PipelineStateError when the context was entered before
   */
  protected begin(): void {
    if (this.state !== "new") {
      throw new PipelineStateError(`enter(): expected a new context, but it is already ${this.state}`);
    }
    this.state = "entered";
    this.startedAt = this.now();
  }

  /**
   * Opens one tier: applies fault injection, creates the resource, records the tier as opened, notes it in the log file.
   * @param tier - which tier this is
   * @param create - makes the resource
   * @returns the resource, for `enter()` to store
   * @throws TierFaultError when `options.failOn.open` names this tier
   */
  protected openTier<R>(tier: TierName, create: () => R): R {
    if (this.failOn.open === tier) throw new TierFaultError(tier, "open");
    const resource = create();
    this.opened.push(tier);
    if (resource instanceof InMemoryTextFile) resource.write(`opened ${tier}\n`);
    else this.logFile?.write(`opened ${tier}\n`);
    return resource;
  }

  /**
   * Closes one tier: `connected = false`, `close()` the file, or `bound = false`.
   * @throws TierFaultError when `options.failOn.close` names this tier
   */
  protected closeTier(tier: TierName): void {
    if (this.failOn.close === tier) throw new TierFaultError(tier, "close");
    if (tier === "database" && this.database) this.database.connected = false;
    if (tier === "logFile") this.logFile?.close();
    if (tier === "socket" && this.socket) this.socket.bound = false;
  }
}

/** The name `run()` records for a stage: its function name, or `<anonymous stage #N>` (1-based). */
export function stageName(stage: Stage, index: number): string {
  return stage.name || `<anonymous stage #${index + 1}>`;
}

function describe(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  if (Array.isArray(value)) return "an array";
  return value === null ? "null" : `${typeof value} ${String(value)}`;
}
