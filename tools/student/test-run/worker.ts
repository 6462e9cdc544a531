/**
 * A warm test process for watch mode: it loads ts-node, the mocha driver and the test libraries at once, then
 * waits for one `{ files, testMs }` message, runs those test files through the driver (tools/core/run/driver.ts),
 * sends back every test's outcome and exits. Watch mode starts the next worker right away, so a save finds one
 * ready and every run starts with fresh modules.
 */
import { LOAD_FAILED, runTests } from "../../core/run/driver";
import type { RanTest } from "./verdict";

/** What the worker sends back. */
export type WorkerMessage = { type: "ready" } | { type: "done"; tests: RanTest[]; loadError?: string };

/** What the worker is asked to do. */
export interface WorkerRequest {
  files: string[];
  testMs: number;
}

for (const name of ["chai", "sinon", "fast-check", "@tslab/typescript-for-tslab"]) {
  try {
    require(name);
  } catch {
    // Not installed here: the test files will say so when they load.
  }
}

/** A failure's first line, without the `Error: ` and `AssertionError: ` every assertion starts with (npm test's form). */
const shortMessage = (title: string, message: string) =>
  title.startsWith(LOAD_FAILED) ? message : (message.split("\n").find((l) => l.trim()) ?? "").replace(/^(Assertion)?Error: /, "");

const send = (message: WorkerMessage) => new Promise<void>((resolve) => process.send!(message, () => resolve()));

async function run(request: WorkerRequest): Promise<void> {
  const { outcomes, loadFailures } = await runTests(request.files, { timeoutMs: request.testMs });
  const tests: RanTest[] = outcomes.filter((o) => o.status !== "pending").map((o) => ({ title: o.title, file: o.file, passed: o.status === "passed", message: shortMessage(o.title, o.message) }));
  await send({ type: "done", tests, loadError: loadFailures.map((f) => f.message).join("; ") || undefined });
  process.exit(0);
}

// Watch mode went away: nothing left to do.
process.on("disconnect", () => process.exit(0));
process.once("message", (request: WorkerRequest) => {
  run(request).catch(async (error) => {
    await send({ type: "done", tests: [], loadError: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
    process.exit(0);
  });
});
void send({ type: "ready" });
