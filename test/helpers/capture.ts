import type { Logger } from "../../src";

/** A logger that records every line, for asserting on printed output. */
export interface CapturedLog {
  log: Logger;
  lines: string[];
}

/** Creates a logger that keeps what it is given. */
export function captureLog(): CapturedLog {
  const lines: string[] = [];
  return { log: (line) => lines.push(line), lines };
}

/** Returns what `fn` threw, or fails when it did not throw. */
export function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to throw, but it returned");
}

/** Returns what `promise` rejected with, or fails when it resolved. */
export async function rejected(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the promise to reject, but it resolved");
}
