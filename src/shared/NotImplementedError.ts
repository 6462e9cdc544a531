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

/**
 * The global record of class-level stubs still in the loaded code, by requirement ID: a stub that is a class's
 * shape (plain fields, a missing base class) has no method to throw from, so its `static {}` block calls
 * {@link notWritten} when the class is defined, and `npm test` and the notebooks' checks show ⏳ for a failure of
 * that requirement (or of one that builds on it) instead of ✘. Writing the solution replaces the stub and its
 * `static {}` block, so a written class is never shown as waiting.
 */
export const STUBS_UNWRITTEN = Symbol.for("lecture34.stubsUnwritten");

/** The live record of class-level stubs in the loaded code: requirement ID → what the stub says (see `STUBS_UNWRITTEN`). */
export function stubsUnwritten(): Map<string, string> {
  return ((globalThis as { [STUBS_UNWRITTEN]?: Map<string, string> })[STUBS_UNWRITTEN] ??= new Map());
}

/**
 * Marks a class as the stub of a requirement, from the class's `static {}` block.
 * @param requirement - the requirement ID, e.g. "R4.3"
 * @param what - the classes to write, e.g. "PipelineError"
 */
export function notWritten(requirement: string, what: string): void {
  stubsUnwritten().set(requirement, `${requirement} ${what}: not written yet (see the TODO(${requirement}) comment)`);
}
