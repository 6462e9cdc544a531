import type { TierName } from "./types";

/** The TypeScript counterpart of Python's built-in `RuntimeError`, raised by the demo's flaky stage. */
export class RuntimeError extends Error {
  override name = "RuntimeError";
}

/** A simulated failure to open or close one tier (fault injection through `options.failOn`). */
export class TierFaultError extends Error {
  override name = "TierFaultError";

  constructor(readonly tier: TierName, readonly phase: "open" | "close", options?: ErrorOptions) {
    super(`${tier}: simulated failure to ${phase}`, options);
  }
}

/** A method called in the wrong lifecycle state, such as `run()` before `enter()`. */
export class PipelineStateError extends Error {
  override name = "PipelineStateError";
}

/** I/O on an in-memory file after `close()` (Python's "I/O operation on closed file"). */
export class ClosedFileError extends Error {
  override name = "ClosedFileError";
}
