// Captured before any test installs sinon's fake timers, so a bound on a pending promise uses real time.
const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;

/**
 * Resolves or rejects as `promise` does, or fails within `ms` of real time with a message naming `what`: a
 * student's loop that waits forever fails fast with a reason instead of by the mocha timeout.
 */
export async function settles<T>(promise: Promise<T>, what: string, detail: () => string = () => "", ms = 5000): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = realSetTimeout(() => {
      const more = detail();
      reject(new Error(`expected ${what} to settle, but it was still pending after ${ms} ms of real time (a wait longer than the test gives it, a wait that never ends, or a loop without an exit?)${more ? `; ${more}` : ""}`));
    }, ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    realClearTimeout(timer);
  }
}

/** Like {@link settles}, but returns the rejection reason, and fails when the promise resolves. */
export async function rejectsWithin(promise: Promise<unknown>, what: string, detail?: () => string): Promise<unknown> {
  let value: unknown;
  try {
    value = await settles(promise, what, detail);
  } catch (error) {
    return error;
  }
  throw new Error(`expected ${what} to reject, but it resolved with ${String(value)}`);
}

/**
 * A journal of calls and waits: `fn` records "call" and fails (or succeeds once `failures` run out); `sleep`
 * records "wait <ms>" and resolves at once. After `limit` entries both stay pending, so a loop without an exit
 * stops (and {@link settles} reports it) instead of starving the event loop.
 */
export function journal(failures = Infinity, limit = 40) {
  const events: string[] = [];
  const full = () => events.length >= limit;
  const fn = async function flakyRead(): Promise<string> {
    if (full()) return new Promise(() => {});
    events.push("call");
    if (failures-- > 0) throw new Error(`failure ${events.filter((e) => e === "call").length}`);
    return "ok";
  };
  const sleep = (ms: number): Promise<void> => {
    if (full()) return new Promise(() => {});
    events.push(`wait ${ms}`);
    return Promise.resolve();
  };
  return { events, fn, sleep, detail: () => `calls and waits so far: ${events.join(", ")}${full() ? " …" : ""}` };
}

/**
 * Marks `promise` as handled and returns it: a stub that rejects before the test awaits the promise then fails
 * the test where it is awaited, without an unhandled-rejection warning.
 */
export function handled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {});
  return promise;
}
