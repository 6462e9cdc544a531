import { defaultLog, type Logger } from "../shared/Logger";

/** The mark an example prints when it reaches a stub that is not written yet. */
export const EXAMPLE_PENDING = "⏳";

function isNotImplemented(error: unknown): error is Error {
  return error instanceof Error && error.name === "NotImplementedError";
}

/**
 * Runs a notebook example. When it reaches a stub that is not written yet (a `NotImplementedError`), it prints
 * one ⏳ line naming the requirement instead of stopping the notebook; any other error propagates as usual.
 * @param fn - the example's code, sync or async
 * @param log - where the ⏳ line goes; default `console.log`
 * @returns what `fn` returns, or `undefined` when it reached an unwritten stub
 * @example
 * const summary = example(() => new TieredPipelineContext().enter().summary());
 */
export function example<T>(fn: () => Promise<T>, log?: Logger): Promise<T | undefined>;
export function example<T>(fn: () => T, log?: Logger): T | undefined;
export function example<T>(fn: () => T | Promise<T>, log: Logger = defaultLog): T | undefined | Promise<T | undefined> {
  const pending = (error: unknown): undefined => {
    if (!isNotImplemented(error)) throw error;
    log(`${EXAMPLE_PENDING} ${error.message}`);
    return undefined;
  };
  try {
    const result = fn();
    return result instanceof Promise ? result.catch(pending) : result;
  } catch (error) {
    return pending(error);
  }
}
