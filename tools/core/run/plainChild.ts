/**
 * A plain test process (no sandbox): it waits for one {@link ChildRequest} on its IPC channel, runs those test
 * files through the driver and streams every event back, then exits. The runner (runPlain.ts) stops it when a test
 * outlives its time. Student-mode grading, teeth and `npm test`'s parallel tool tests run tests this way; the
 * grader's sandboxed child (in the instructor's repository) runs the same driver behind its own protocol.
 */
import { createMocha, loadFiles, plan, runLoaded, type RunEvent } from "./driver";
import type { LoadFailure, PlannedTest } from "./outcome";

/** What the runner asks for. */
export interface ChildRequest {
  files: string[];
  timeoutMs: number;
  grep?: string;
  skip?: string[];
  only?: string[];
}

/** What the child sends back, in order: `loaded`, then the run's events, then `done`. */
export type ChildMessage = { type: "loaded"; tests: PlannedTest[]; loadFailures: LoadFailure[] } | RunEvent | { type: "done" };

// Captured before any test loads: tests may replace process.exit, process.send or the timers.
const processSend = (process.send ?? (() => false)).bind(process) as (message: unknown, callback: () => void) => boolean;
const reallyExit = (process as unknown as { reallyExit: (code: number) => never }).reallyExit;
const exit = (code: number) => reallyExit.call(process, code);
const send = (message: ChildMessage) => new Promise<void>((resolve) => processSend(message, () => resolve()));

/** Runs one request and reports it; exits when done. */
export async function serve(request: ChildRequest): Promise<void> {
  const mocha = createMocha({ timeoutMs: request.timeoutMs, grep: request.grep });
  const loadFailures = loadFiles(mocha, request.files);
  await send({ type: "loaded", tests: plan(mocha), loadFailures });
  if (loadFailures.length === 0) {
    let last = Promise.resolve();
    await runLoaded(mocha, {
      skip: request.skip,
      only: request.only,
      onEvent: (event) => {
        if (event.type !== "done") last = send(event);
      },
    });
    await last;
  }
  await send({ type: "done" });
  exit(0);
}

if (require.main === module) {
  // The runner went away: nothing left to do.
  process.on("disconnect", () => exit(0));
  process.once("message", (request: ChildRequest) => void serve(request));
}
