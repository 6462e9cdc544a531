/**
 * A warm test process for watch mode: it loads ts-node, mocha and the test libraries at once, then waits for one
 * `{ files, testMs }` message, runs those test files, sends back every test's outcome and exits. Watch mode starts
 * the next worker right away, so a save finds one ready and every run starts with fresh modules.
 */
import Mocha from "mocha";
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

const send = (message: WorkerMessage) => new Promise<void>((resolve) => process.send!(message, () => resolve()));

function firstLine(error: unknown): string {
  const e = error as { name?: string; message?: string } | undefined;
  const text = e?.message !== undefined ? `${e.name && e.name !== "Error" && e.name !== "AssertionError" ? `${e.name}: ` : ""}${e.message}` : String(error);
  return text.split("\n").find((l) => l.trim()) ?? "";
}

async function run(request: WorkerRequest): Promise<void> {
  const tests: RanTest[] = [];
  class Collect {
    constructor(runner: Mocha.Runner) {
      const { EVENT_TEST_PASS, EVENT_TEST_FAIL } = Mocha.Runner.constants;
      runner.on(EVENT_TEST_PASS, (t: Mocha.Test) => tests.push({ title: t.title, file: t.file ?? "", passed: true, message: "" }));
      runner.on(EVENT_TEST_FAIL, (t: Mocha.Runnable & { type?: string }, error: unknown) => {
        if (t.type === "hook") {
          t.parent?.eachTest((u) => tests.push({ title: u.title, file: u.file ?? "", passed: false, message: `not run: a hook failed: ${firstLine(error)}` }));
        } else {
          tests.push({ title: t.title, file: t.file ?? "", passed: false, message: firstLine(error) });
        }
      });
    }
  }
  const mocha = new Mocha({ timeout: request.testMs, reporter: Collect as never });
  for (const file of request.files) mocha.addFile(file);
  try {
    await mocha.loadFilesAsync();
  } catch (error) {
    await send({ type: "done", tests, loadError: firstLine(error) });
    process.exit(0);
  }
  mocha.run(async () => {
    await send({ type: "done", tests });
    process.exit(0);
  });
}

// Watch mode went away: nothing left to do.
process.on("disconnect", () => process.exit(0));
process.once("message", (request: WorkerRequest) => {
  run(request).catch(async (error) => {
    await send({ type: "done", tests: [], loadError: firstLine(error) });
    process.exit(0);
  });
});
void send({ type: "ready" });
