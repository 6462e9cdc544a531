import { defaultLog, type Logger } from "../shared/Logger";
import { CHECK_FAILED } from "./check";
import { isNotImplemented, PENDING } from "./pending";
import { formatError } from "./traceback";

/** The mark an example prints when it reaches a stub that is not written yet. */
export const EXAMPLE_PENDING = PENDING;

/**
 * Runs a notebook example and never stops the notebook: when it reaches a stub that is not written yet (a
 * `NotImplementedError`) it prints one ⏳ line naming the requirement; any other error prints a ✘ line with the
 * error and the stack frames in your `src/*.ts` files (source-mapped), so Run All goes on to the checks below.
 * @param fn - the example's code, sync or async
 * @param log - where the ⏳ or ✘ lines go; default `console.log`
 * @returns what `fn` returns, or `undefined` when it threw
 * @example
 * const summary = example(() => new TieredPipelineContext().enter().summary());
 */
export function example<T>(fn: () => Promise<T>, log?: Logger): Promise<T | undefined>;
export function example<T>(fn: () => T, log?: Logger): T | undefined;
export function example<T>(fn: () => T | Promise<T>, log: Logger = defaultLog): T | undefined | Promise<T | undefined> {
  const stopped = (error: unknown): undefined => {
    if (isNotImplemented(error)) {
      log(`${EXAMPLE_PENDING} ${error.message}`);
    } else {
      const [first, ...rest] = formatError(error);
      log([`${CHECK_FAILED} the example stopped: ${first}`, ...rest.map((l) => `  ${l}`)].join("\n"));
    }
    return undefined;
  };
  try {
    const result = fn();
    return result instanceof Promise ? result.catch(stopped) : result;
  } catch (error) {
    return stopped(error);
  }
}
