/**
 * What the grading child reports to its parent: one line per event on a pipe the parent created (file descriptor
 * 3), each line `<nonce> <json>`. The nonce reaches the child through an environment variable that the child deletes
 * before any test or student code loads, so code under test cannot forge a line the parent accepts.
 */
import { MAX_MESSAGE } from "../../core/run/describe";
import type { PlannedTest } from "../../core/run/outcome";

export type ChildEvent =
  | { type: "plan"; tests: PlannedTest[] }
  | { type: "start"; id: string }
  | { type: "end"; id: string; status: "passed" | "failed" | "pending"; message: string; durationMs: number; uncaught: boolean; stub: boolean }
  | { type: "hook-failed"; ids: string[]; message: string }
  | { type: "load-error"; message: string }
  | { type: "tamper"; message: string }
  | { type: "done" };

/** A test the child found in the exercise's test files. */
export type { PlannedTest } from "../../core/run/outcome";

/** The settings the parent passes to a child through environment variables (the child deletes them at start). */
export const ENV = {
  nonce: "GRADE_NONCE",
  files: "GRADE_TEST_FILES",
  /** JSON list of test IDs not to run (already done by an earlier process). */
  skip: "GRADE_SKIP",
  /** JSON list of test IDs to run alone (a re-run in isolation); empty for all. */
  only: "GRADE_ONLY",
  testMs: "GRADE_TEST_MS",
  /** The secret word canary suites are named after; empty for none. */
  canary: "GRADE_CANARY",
  /** "list": load the files and report the plan only; "run": run the tests. */
  mode: "GRADE_MODE",
  /** "0": run student modules without the SES compartment (for measuring its cost); anything else confines them. */
  confine: "GRADE_CONFINE",
} as const;

/** The file descriptor of the events pipe in the child. */
export const EVENTS_FD = 3;

/** Longest message a test result carries. */
export { MAX_MESSAGE } from "../../core/run/describe";

/**
 * Parses one events line; undefined for anything malformed (wrong nonce, bad JSON, unknown type, wrong field types).
 * @param line - one line without its newline
 * @param nonce - the secret this run's child was given
 */
export function parseEventLine(line: string, nonce: string): ChildEvent | undefined {
  if (!line.startsWith(`${nonce} `)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(line.slice(nonce.length + 1));
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  const e = value as Record<string, unknown>;
  const str = (k: string) => typeof e[k] === "string";
  switch (e.type) {
    case "plan":
      return Array.isArray(e.tests) && e.tests.every((t) => t && typeof t.id === "string" && typeof t.title === "string" && typeof t.file === "string")
        ? { type: "plan", tests: (e.tests as PlannedTest[]).map((t) => ({ id: t.id, title: t.title, file: t.file })) }
        : undefined;
    case "start":
      return str("id") ? { type: "start", id: e.id as string } : undefined;
    case "end":
      return str("id") && str("message") && (e.status === "passed" || e.status === "failed" || e.status === "pending") && typeof e.durationMs === "number"
        ? { type: "end", id: e.id as string, status: e.status, message: (e.message as string).slice(0, MAX_MESSAGE + 100), durationMs: e.durationMs, uncaught: e.uncaught === true, stub: e.stub === true }
        : undefined;
    case "hook-failed":
      return Array.isArray(e.ids) && e.ids.every((id) => typeof id === "string") && str("message") ? { type: "hook-failed", ids: e.ids as string[], message: e.message as string } : undefined;
    case "load-error":
      return str("message") ? { type: "load-error", message: e.message as string } : undefined;
    case "tamper":
      return str("message") ? { type: "tamper", message: (e.message as string).slice(0, MAX_MESSAGE) } : undefined;
    case "done":
      return { type: "done" };
    default:
      return undefined;
  }
}

export { describeThrown } from "../../core/run/describe";
