/** Thrown by a student stub that has not been written yet; its message names the requirement. */
export class NotImplementedError extends Error {
  override name = "NotImplementedError";

  /**
   * @param requirement - the requirement ID, e.g. "R2.3"
   * @param what - the function or method to implement, e.g. "OneOf"
   */
  constructor(readonly requirement: string, what: string) {
    super(`${requirement} ${what}: not implemented yet (see the TODO(${requirement}) comment)`);
  }
}
