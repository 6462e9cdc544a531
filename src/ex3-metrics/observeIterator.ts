/** Runs one pull of the wrapped iterator (`next` or `throw`) and may measure around it. */
export type Step<R> = (pull: () => R) => R;

/**
 * Wraps a sync iterator: every pull goes through `step`, and `finish` runs exactly once when the iterator is
 * exhausted, closed early by the consumer (`break` → `return()`), or throws.
 *
 * A plain iterator object rather than a generator: one fewer generator frame per record.
 */
export function observeSync<T>(it: Iterator<T>, step: Step<IteratorResult<T>>, finish: () => void): Generator<T> {
  let done = false;
  const end = () => {
    if (!done) {
      done = true;
      finish();
    }
  };
  const pull = (fn: () => IteratorResult<T>): IteratorResult<T> => {
    if (done) return { done: true, value: undefined };
    let result: IteratorResult<T>;
    try {
      result = step(fn);
    } catch (error) {
      end();
      throw error;
    }
    if (result.done) end();
    return result;
  };
  const wrapper = {
    next: (value?: unknown) => pull(() => it.next(value as undefined)),
    throw(error: unknown): IteratorResult<T> {
      if (it.throw) return pull(() => it.throw!(error));
      end();
      throw error;
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

/** The async twin of {@link observeSync}, for async generator stages. */
export function observeAsync<T>(
  it: AsyncIterator<T>,
  step: Step<Promise<IteratorResult<T>>>,
  finish: () => void,
): AsyncGenerator<T> {
  let done = false;
  const end = () => {
    if (!done) {
      done = true;
      finish();
    }
  };
  const pull = async (fn: () => Promise<IteratorResult<T>>): Promise<IteratorResult<T>> => {
    if (done) return { done: true, value: undefined };
    let result: IteratorResult<T>;
    try {
      result = await step(fn);
    } catch (error) {
      end();
      throw error;
    }
    if (result.done) end();
    return result;
  };
  const wrapper = {
    next: (value?: unknown) => pull(() => it.next(value as undefined)),
    async throw(error: unknown): Promise<IteratorResult<T>> {
      if (it.throw) return pull(() => it.throw!(error));
      end();
      throw error;
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

/** Whether a stage returned an async iterator (an `async function*` method). */
export function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof (value as { [Symbol.asyncIterator]?: unknown } | null)?.[Symbol.asyncIterator] === "function";
}

/** Whether a value can be iterated with `for…of`. */
export function isIterable(value: unknown): value is Iterable<unknown> {
  return typeof (value as { [Symbol.iterator]?: unknown } | null)?.[Symbol.iterator] === "function";
}
