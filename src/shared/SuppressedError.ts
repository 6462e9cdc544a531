/**
 * Carries an error raised during cleanup together with the earlier error it would otherwise hide.
 *
 * Node 20 has no global `SuppressedError` (TC39 explicit resource management), so this class stands in for it:
 * `error` is the newer failure (from cleanup), `suppressed` the earlier one (from the work), and `cause` is
 * `suppressed` too. A `using` block does not know this class: TypeScript's helper throws its own fallback object
 * (an `Error` named "SuppressedError" with `error` and `suppressed`, message "An error was suppressed during
 * disposal.", no `cause`), or the runtime's native `SuppressedError` where one exists. So that one check works on
 * both paths, `instanceof SuppressedError` also accepts those objects (see {@link isSuppressedErrorShape}).
 * @example
 * try { ctx.exit(stageError); } catch (e) { if (e instanceof SuppressedError) console.log(e.error, e.suppressed); }
 */
export class SuppressedError extends Error {
  override name = "SuppressedError";

  /**
   * @param error - the error thrown while cleaning up
   * @param suppressed - the error that was already propagating
   * @param message - optional summary; defaults to both messages
   */
  constructor(readonly error: unknown, readonly suppressed: unknown, message?: string) {
    super(message ?? `${describe(error)} (while handling ${describe(suppressed)})`, { cause: suppressed });
  }

  /** True for instances, and (on `SuppressedError` itself, not subclasses) for the `using` runtime's objects. */
  static [Symbol.hasInstance](value: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    return this === SuppressedError && isSuppressedErrorShape(value);
  }
}

/**
 * Tells whether `value` is a `SuppressedError` from any source: this class, TypeScript's `using` fallback, or a
 * native one: an `Error` named "SuppressedError" with own `error` and `suppressed` properties.
 * @param value - anything thrown
 */
export function isSuppressedErrorShape(value: unknown): value is { error: unknown; suppressed: unknown } & Error {
  return (
    value instanceof Error &&
    value.name === "SuppressedError" &&
    Object.prototype.hasOwnProperty.call(value, "error") &&
    Object.prototype.hasOwnProperty.call(value, "suppressed")
  );
}

function describe(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

/**
 * Folds errors in the order they happened the way `DisposableStack` does: each later error wraps the earlier.
 * @param errors - at least one error, oldest first
 * @returns the single error, or nested `SuppressedError`s whose outermost `error` is the newest
 */
export function foldErrors(errors: readonly unknown[]): unknown {
  return errors.slice(1).reduce((earlier, later) => new SuppressedError(later, earlier), errors[0]);
}
