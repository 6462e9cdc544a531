import { defaultLog, type Logger } from "../shared/Logger";
import { STUBS_REACHED } from "../shared/NotImplementedError";
import { isNotImplemented, PENDING } from "./pending";
import { staleHint } from "./staleness";
import { formatError } from "./traceback";

/** The mark a passing check prints; the notebook runner looks for the failing one. */
export const CHECK_PASSED = "✔";
/** The mark a failing check prints. */
export const CHECK_FAILED = "✘";

/**
 * Starts collecting the stubs reached from now on (see `STUBS_REACHED`); the function it returns stops, puts the
 * global list back as it was plus those, and returns them.
 */
function stubsReachedBy(): () => string[] {
  const reached = ((globalThis as { [STUBS_REACHED]?: string[] })[STUBS_REACHED] ??= []);
  const earlier = reached.splice(0);
  return () => {
    const mine = reached.splice(0);
    reached.push(...[...earlier, ...mine].slice(-10));
    return mine;
  };
}

/**
 * Runs one notebook check and prints a line with ✔ or ✘ instead of throwing, so the notebook keeps running. A check
 * that fails after reaching a stub not written yet (its own or another requirement's) prints ⏳ and names the stub;
 * a failure that is not an assertion shows the `src/*.ts` lines it went through. When the result may come from an
 * old build (rebuilt since the setup cell ran, or classes declared before the last reload), a line starting with ↻
 * says what to re-run.
 * @param title - starts with the requirement ID, like a test title: "R1.2 closes in reverse order"
 * @param fn - throws (or rejects) when the check fails
 * @param log - where the result line goes; default `console.log`
 * @returns nothing, or a promise that settles after the line is printed when `fn` is async
 * @example
 * check("R1.1 enter returns the context", () => assert.equal(ctx.enter(), ctx));
 */
export function check(title: string, fn: () => unknown, log: Logger = defaultLog): void | Promise<void> {
  const withHint = (line: string, failed: boolean): string => {
    const hint = staleHint(failed);
    return hint ? `${line}\n    ${hint}` : line;
  };
  const stubs = stubsReachedBy();
  const pass = (): void => {
    stubs();
    log(withHint(`${CHECK_PASSED} ${title}`, false));
  };
  const fail = (error: unknown): void => {
    const reached = stubs();
    const stub = isNotImplemented(error) ? error.message : reached[0];
    if (stub !== undefined) {
      log(withHint(`${PENDING} ${title}\n    waits for a stub not written yet: ${stub}`, false));
      return;
    }
    const lines = error instanceof Error && error.name !== "AssertionError" ? formatError(error) : [error instanceof Error ? `${error.name}: ${error.message}` : String(error)];
    log(withHint(`${CHECK_FAILED} ${title}\n    ${lines.join("\n").split("\n").join("\n    ")}`, true));
  };
  try {
    const result = fn();
    if (result instanceof Promise) return result.then(pass, fail);
    pass();
  } catch (error) {
    fail(error);
  }
}
