import * as fs from "node:fs";
import * as path from "node:path";
import { defaultLog, type Logger } from "../shared/Logger";
import { stubsReached, stubsUnwritten } from "../shared/NotImplementedError";
import { LIBRARY_DIR, libraryState } from "./libraryState";
import { isNotImplemented, PENDING } from "./pending";
import { staleHint } from "./staleness";
import { formatError } from "./traceback";

/** The mark a passing check prints; the notebook runner looks for the failing one. */
export const CHECK_PASSED = "✔";
/** The mark a failing check prints. */
export const CHECK_FAILED = "✘";

/**
 * The requirements a requirement builds on, from grading.json's `prerequisites` (Rx.5 on Rx.1–Rx.4, …);
 * none when the file is missing.
 */
function prerequisites(requirement: string): string[] {
  try {
    const file = path.join(LIBRARY_DIR, "..", "grading.json");
    const config = JSON.parse(fs.readFileSync(file, "utf8")) as { prerequisites?: Record<string, string[]> };
    return config.prerequisites?.[requirement] ?? [];
  } catch {
    return [];
  }
}

/** Takes the stubs reached since the last take (or the last reload), oldest first. */
function takeStubsReached(): string[] {
  return stubsReached().splice(0);
}

/**
 * Runs one notebook check and prints a line with ✔ or ✘ instead of throwing, so the notebook keeps running. A check
 * that fails after reaching a stub not written yet (its own or another requirement's), or after the examples above
 * it reached a stub of its own requirement or of one it builds on (grading.json), prints ⏳ and names the stub. A
 * failure that is not an assertion shows the `src/*.ts` lines it went through. When a failure may come from an old
 * build (rebuilt since the setup cell ran, or names read from cells not run again since), a line starting with ↻
 * says what to re-run.
 * @param title - starts with the requirement ID, like a test title: "R1.2 closes in reverse order"
 * @param fn - throws (or rejects) when the check fails
 * @param log - where the result line goes; default `console.log`
 * @returns nothing, or a promise that settles after the line is printed when `fn` is async
 * @example
 * check("R1.1 enter returns the context", () => assert.equal(ctx.enter(), ctx));
 */
export function check(title: string, fn: () => unknown, log: Logger = defaultLog): void | Promise<void> {
  const { staleReads } = libraryState();
  staleReads.clear();
  const withHint = (line: string, failed: boolean): string => {
    const hint = staleHint(failed ? [...staleReads] : []);
    return hint ? `${line}\n    ${hint}` : line;
  };
  // Stubs that the example cells above reached since the previous check ran, of this check's requirement or of
  // one it builds on.
  const requirement = /^R\d+\.\d+(?=\s|$)/.exec(title)?.[0];
  const mine = requirement === undefined ? [] : [requirement, ...prerequisites(requirement)];
  const above = takeStubsReached().filter((stub) => mine.some((r) => stub.startsWith(`${r} `)));
  const pass = (): void => {
    takeStubsReached();
    log(withHint(`${CHECK_PASSED} ${title}`, false));
  };
  const fail = (error: unknown): void => {
    const during = takeStubsReached();
    // A class-level stub of this requirement or of one it builds on (a `static {}` block calling notWritten).
    const unwritten = mine.map((r) => stubsUnwritten().get(r)).find((m) => m !== undefined);
    const stub = isNotImplemented(error) ? error.message : (during[0] ?? above[0] ?? unwritten);
    if (stub !== undefined) {
      log(withHint(`${PENDING} ${title}\n    waits for a stub not written yet: ${stub}`, true));
      return;
    }
    const lines = error instanceof Error && error.name !== "AssertionError" ? formatError(error) : [error instanceof Error ? `${error.name}: ${error.message}` : String(error)];
    // An assertion about a thrown error (assert.throws) that got another error: show where that one came from.
    const actual = (error as { actual?: unknown } | undefined)?.actual;
    if (error instanceof Error && error.name === "AssertionError" && actual instanceof Error && actual.name !== "AssertionError") {
      const [, ...frames] = formatError(actual);
      if (frames.some((f) => !f.includes("(a notebook cell)"))) lines.push(`what was thrown came from:`, ...frames);
    }
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
