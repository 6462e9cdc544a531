/** What the grading child reports to its parent, one JSON object per line in the events file. */
export type ChildEvent =
  | { type: "plan"; tests: PlannedTest[] }
  | { type: "start"; id: string }
  | { type: "end"; id: string; status: "passed" | "failed" | "pending"; message: string; durationMs: number }
  | { type: "hook-failed"; ids: string[]; message: string }
  | { type: "load-error"; message: string }
  | { type: "done" };

/** A test the child found in the exercise's test files. */
export interface PlannedTest {
  /** Unique within one run: file and full title. */
  id: string;
  /** The test's own title, which starts with its requirement ID. */
  title: string;
  file: string;
}

/** The settings the parent passes to a child through environment variables. */
export const ENV = {
  events: "GRADE_EVENTS_FILE",
  files: "GRADE_TEST_FILES",
  skip: "GRADE_SKIP_FILE",
  testMs: "GRADE_TEST_MS",
} as const;

/** Turns anything thrown into a one-paragraph message, however odd the value. */
export function describeThrown(value: unknown, maxLength = 2000): string {
  let text: string;
  try {
    if (value instanceof Error) {
      text = `${value.name}: ${value.message}`;
    } else if (value !== null && typeof value === "object" && typeof (value as { message?: unknown }).message === "string") {
      text = (value as { message: string }).message;
    } else if (typeof value === "string") {
      text = `a string was thrown: ${JSON.stringify(value)}`;
    } else {
      text = `a non-Error value was thrown: ${String(value)}`;
    }
  } catch {
    text = "a value was thrown that cannot even be turned into a string";
  }
  return text.length > maxLength ? `${text.slice(0, maxLength)}… (${text.length - maxLength} more characters)` : text;
}
