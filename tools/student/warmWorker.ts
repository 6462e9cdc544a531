/**
 * Watch mode's test workers: each runs one request (test files and a per-test timeout) and exits; see
 * tools/student/test-run/worker.ts for the worker's side and workerProcess.cjs for how it is started.
 */
import type { ChildProcess } from "node:child_process";
import type { RanTest } from "./test-run/verdict";
import type { WorkerMessage, WorkerRequest } from "./test-run/worker";

/** A started worker process and a promise that settles once it is ready or gone. */
export interface StartedWorker {
  child: ChildProcess;
  ready: Promise<void>;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startWorker } = require("./test-run/workerProcess.cjs") as { startWorker(root: string, waiting?: boolean): StartedWorker };

/** A warm worker (tools/student/test-run/worker.ts) that has loaded ts-node and the test libraries and waits for files. */
export class WarmWorker {
  private readonly child: ChildProcess;
  /** Settles once the worker is ready for a run (or gone). */
  readonly ready: Promise<void>;

  /** Wraps a worker that {@link startWorker} started earlier (watch.cjs starts the first run's before TypeScript loads). */
  static adopt(started: StartedWorker): WarmWorker {
    return new WarmWorker(started);
  }

  /** Starts a worker; a `waiting` one loads the exercises' files while the student types. */
  static start(root: string, waiting = false): WarmWorker {
    return new WarmWorker(startWorker(root, waiting));
  }

  private constructor(started: StartedWorker) {
    this.child = started.child;
    this.ready = started.ready;
  }

  /** Runs the files and resolves with every test's outcome; a run that takes longer than `killMs` is stopped. */
  async run(request: WorkerRequest, killMs: number): Promise<{ tests: RanTest[]; loadError?: string }> {
    await this.ready;
    if (!this.child.connected) return { tests: [], loadError: "the test process could not start (run npm test to see why)" };
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.child.kill("SIGKILL");
        resolve({ tests: [], loadError: `the tests ran longer than ${killMs / 1000} s (an endless loop?) and were stopped` });
      }, killMs);
      this.child.on("message", (message: WorkerMessage) => {
        if (message.type !== "done") return;
        clearTimeout(timer);
        resolve({ tests: message.tests, loadError: message.loadError });
      });
      this.child.on("exit", (code, signal) => {
        clearTimeout(timer);
        resolve({ tests: [], loadError: `the test process exited ${signal ? `on ${signal}` : `with code ${code}`} (did the code call process.exit()?)` });
      });
      this.child.send(request);
    });
  }

  stop(): void {
    this.child.kill();
  }
}
