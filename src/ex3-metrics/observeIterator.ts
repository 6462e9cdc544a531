/** Hooks around every pull of an observed iterator. */
export interface Observer<T> {
  /** Runs before each pull; what it returns is handed to `after` (a start time, say). */
  before?(): number;
  /** Runs after each pull that did not throw, with the value `before` returned. */
  after?(startedAt: number, result: IteratorResult<T>): void;
  /** Runs exactly once: when the iterator is exhausted, closed early (`return()`, a `break`), or throws. */
  finish(): void;
}

/**
 * Wraps a sync iterator so `observer` sees every pull and the end, whichever way it comes.
 *
 * A plain iterator object rather than a generator, and no closure per pull: this sits on every record's path.
 */
export function observeSync<T>(it: Iterator<T>, observer: Observer<T>): Generator<T> {
  let done = false;
  const end = () => {
    if (!done) {
      done = true;
      observer.finish();
    }
  };
  const settle = (startedAt: number, result: IteratorResult<T>): IteratorResult<T> => {
    observer.after?.(startedAt, result);
    if (result.done) end();
    return result;
  };
  const wrapper = {
    next(value?: unknown): IteratorResult<T> {
      if (done) return { done: true, value: undefined };
      const startedAt = observer.before?.() ?? 0;
      let result: IteratorResult<T>;
      try {
        result = it.next(value as undefined);
      } catch (error) {
        end();
        throw error;
      }
      return settle(startedAt, result);
    },
    throw(error: unknown): IteratorResult<T> {
      if (done || !it.throw) {
        end();
        throw error;
      }
      const startedAt = observer.before?.() ?? 0;
      let result: IteratorResult<T>;
      try {
        result = it.throw(error);
      } catch (thrown) {
        end();
        throw thrown;
      }
      return settle(startedAt, result);
    },
    return(value?: unknown): IteratorResult<T> {
      try {
        return it.return && !done ? it.return(value) : { done: true, value: value as T };
      } finally {
        end();
      }
    },
    [Symbol.iterator]() {
      return wrapper;
    },
  };
  return wrapper as unknown as Generator<T>;
}

/** The async twin of {@link observeSync}, for `async function*` stages. */
export function observeAsync<T>(it: AsyncIterator<T>, observer: Observer<T>): AsyncGenerator<T> {
  let done = false;
  const end = () => {
    if (!done) {
      done = true;
      observer.finish();
    }
  };
  const pull = async (call: () => Promise<IteratorResult<T>>): Promise<IteratorResult<T>> => {
    const startedAt = observer.before?.() ?? 0;
    let result: IteratorResult<T>;
    try {
      result = await call();
    } catch (error) {
      end();
      throw error;
    }
    observer.after?.(startedAt, result);
    if (result.done) end();
    return result;
  };
  const wrapper = {
    async next(value?: unknown): Promise<IteratorResult<T>> {
      return done ? { done: true, value: undefined } : pull(() => it.next(value as undefined));
    },
    async throw(error: unknown): Promise<IteratorResult<T>> {
      if (done || !it.throw) {
        end();
        throw error;
      }
      return pull(() => it.throw!(error));
    },
    async return(value?: unknown): Promise<IteratorResult<T>> {
      try {
        return it.return && !done ? await it.return(value) : { done: true, value: value as T };
      } finally {
        end();
      }
    },
    [Symbol.asyncIterator]() {
      return wrapper;
    },
  };
  return wrapper as unknown as AsyncGenerator<T>;
}

/** Wraps an iterable so that `observer` sees every pull of every iterator taken from it. */
export function observeIterable(source: unknown, observer: Observer<unknown>): unknown {
  if (isAsyncIterable(source)) return { [Symbol.asyncIterator]: () => observeAsync(source[Symbol.asyncIterator](), observer) };
  if (isIterable(source) && typeof source !== "string") {
    return { [Symbol.iterator]: () => observeSync(source[Symbol.iterator](), observer) };
  }
  return source;
}

/** Wraps the iterator a stage returned (sync or async) so that `observer` sees its pulls and its end. */
export function observeOutput(output: unknown, observer: Observer<unknown>): unknown {
  if (isAsyncIterable(output)) return observeAsync(output[Symbol.asyncIterator](), observer);
  if (isIterable(output)) return observeSync(output[Symbol.iterator](), observer);
  throw new TypeError(`a stage decorator needs a generator method, but the method returned ${typeof output}`);
}

/** Whether a value can be iterated with `for await…of` (an `async function*` stage's result). */
export function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof (value as { [Symbol.asyncIterator]?: unknown } | null)?.[Symbol.asyncIterator] === "function";
}

/** Whether a value can be iterated with `for…of`. */
export function isIterable(value: unknown): value is Iterable<unknown> {
  return typeof (value as { [Symbol.iterator]?: unknown } | null)?.[Symbol.iterator] === "function";
}
