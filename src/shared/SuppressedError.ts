/**
 * Carries an error raised during cleanup together with the earlier error it would otherwise hide.
 *
 * Node 20 has no global `SuppressedError` (TC39 explicit resource management), so this class has the
 * same shape: `error` is the newer failure (from cleanup), `suppressed` the earlier one (from the work).
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
