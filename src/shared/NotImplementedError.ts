/**
 * The global list where stubs record that they were reached (newest last, at most 10), so that `npm test` can show
 * ⏳ for a test that caught the stub's error and then failed on something else.
 */
export const STUBS_REACHED = Symbol.for("lecture34.stubsReached");

/** Thrown by a student stub that has not been written yet; its message names the requirement. */
export class NotImplementedError extends Error {
  override name = "NotImplementedError";

  /**
   * @param requirement - the requirement ID, e.g. "R2.3"
   * @param what - the function or method to implement, e.g. "OneOf"
   */
  constructor(readonly requirement: string, what: string) {
    super(`${requirement} ${what}: not implemented yet (see the TODO(${requirement}) comment)`);
    const reached = ((globalThis as { [STUBS_REACHED]?: string[] })[STUBS_REACHED] ??= []);
    if (reached.length < 10) reached.push(this.message);
  }
}
