/** Runs one batch of exercises: their ids, and when the first save that asked for them was seen. */
export type RunBatch = (ids: number[], savedAt: number) => Promise<void>;

/** Re-runs for watch mode, one at a time, with the saves made during a run merged into the next. */
export interface RunQueue {
  /** Asks for a run of `ids`; merged with every other request made before the next run starts. */
  add(ids: readonly number[], savedAt: number): void;
  /** Settles once no run is going and none is waiting. */
  idle(): Promise<void>;
}

/**
 * Queues watch mode's re-runs so that the screen never falls behind: while a run is going, every save waits in one
 * next run (the union of their exercises, timed from the earliest of them), however many saves come.
 * @param run - runs one batch; a rejection is left to `run` to report, the queue goes on
 * @param before - a run already going (the first run), which every batch waits for
 * @param beforeEach - what each run waits for before it takes the saves waiting (the next warm worker), so that the
 *   saves made meanwhile join it
 * @example
 *   const queue = runQueue((ids, savedAt) => rerun(ids, savedAt), firstRun());
 *   queue.add([2], performance.now());
 */
export function runQueue(run: RunBatch, before: Promise<unknown> = Promise.resolve(), beforeEach: () => Promise<unknown> = async () => undefined): RunQueue {
  let waiting: { ids: Set<number>; savedAt: number } | undefined;
  let going: Promise<void> | undefined;
  const drain = async () => {
    await before.catch(() => undefined);
    while (waiting) {
      await beforeEach().catch(() => undefined);
      const { ids, savedAt } = waiting;
      waiting = undefined;
      await run([...ids].sort((a, b) => a - b), savedAt).catch(() => undefined);
    }
    going = undefined;
  };
  return {
    add(ids, savedAt) {
      if (ids.length === 0) return;
      if (waiting) {
        for (const id of ids) waiting.ids.add(id);
        waiting.savedAt = Math.min(waiting.savedAt, savedAt);
      } else {
        waiting = { ids: new Set(ids), savedAt };
      }
      going ??= drain();
    },
    async idle() {
      while (going) await going;
    },
  };
}
