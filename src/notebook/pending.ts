/** The mark an example or check prints when it reaches a stub that is not written yet. */
export const PENDING = "⏳";

/**
 * Tells whether an error comes from a stub that is not written yet (a `NotImplementedError`, matched by name so
 * that one from an older build counts too).
 * @param error - what an example or check threw
 * @returns true for a `NotImplementedError`
 */
export function isNotImplemented(error: unknown): error is Error {
  return error instanceof Error && error.name === "NotImplementedError";
}
