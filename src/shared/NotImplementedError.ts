/**
 * The global list where stubs record that they were reached (each stub once, newest last, the last 10), so that
 * `npm test` and the notebooks' checks can show ⏳ for a test that caught the stub's error and then failed.
 */
export const STUBS_REACHED = Symbol.for("lecture34.stubsReached");

/** The live list of stubs reached (see `STUBS_REACHED`). */
export function stubsReached(): string[] {
  return ((globalThis as { [STUBS_REACHED]?: string[] })[STUBS_REACHED] ??= []);
}

/** Thrown by a student stub that has not been written yet; its message names the requirement. */
export class NotImplementedError extends Error {
  override name = "NotImplementedError";

  /**
   * @param requirement - the requirement ID, e.g. "R2.3"
   * @param what - the function or method to implement, e.g. "OneOf"
   */
  constructor(readonly requirement: string, what: string) {
    super(`${requirement} ${what}: not implemented yet (see the TODO(${requirement}) comment)`);
    const reached = stubsReached();
    if (!reached.includes(this.message)) reached.push(this.message);
    if (reached.length > 10) reached.shift();
  }
}
