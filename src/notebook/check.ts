import { defaultLog, type Logger } from "../shared/Logger";
import { isNotImplemented, PENDING } from "./pending";
import { staleHint } from "./staleness";

/** The mark a passing check prints; the notebook runner looks for the failing one. */
export const CHECK_PASSED = "✔";
/** The mark a failing check prints. */
export const CHECK_FAILED = "✘";

/**
 * Runs one notebook check and prints a line with ✔ or ✘ instead of throwing, so the notebook keeps running; a check
 * that reaches a stub not written yet prints ⏳ and names the stub. When the result may come from an old build
 * (rebuilt since the setup cell ran, or classes declared before the last reload), a second line starting with ↻
 * says what to re-run.
 * @param title - starts with the requirement ID, like a test title: "R1.2 closes in reverse order"
 * @param fn - throws (or rejects) when the check fails
 * @param log - where the result line goes; default `console.log`
 * @returns nothing, or a promise that settles after the line is printed when `fn` is async
 * @example
 * check("R1.1 enter returns the context", () => assert.equal(ctx.enter(), ctx));
 */
export function check(title: string, fn: () => unknown, log: Logger = defaultLog): void | Promise<void> {
  const withHint = (line: string, failed = false): string => {
    const hint = staleHint(failed);
    return hint ? `${line}\n    ${hint}` : line;
  };
  const pass = (): void => log(withHint(`${CHECK_PASSED} ${title}`));
  const fail = (error: unknown): void => {
    if (isNotImplemented(error)) {
      log(withHint(`${PENDING} ${title}\n    waits for a stub not written yet: ${error.message}`, true));
      return;
    }
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    log(withHint(`${CHECK_FAILED} ${title}\n    ${reason.split("\n").join("\n    ")}`, true));
  };
  try {
    const result = fn();
    if (result instanceof Promise) return result.then(pass, fail);
    pass();
  } catch (error) {
    fail(error);
  }
}
