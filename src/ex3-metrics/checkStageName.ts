/**
 * Checks a decorator's stage name.
 * @param decorator - the decorator's name, for the message
 * @param name - what the caller passed
 * @throws TypeError unless `name` is a non-empty string
 */
export function checkStageName(decorator: string, name: unknown): void {
  if (typeof name !== "string" || name.trim() === "") {
    throw new TypeError(`${decorator}(stageName): expected a non-empty string, got ${JSON.stringify(name) ?? String(name)}`);
  }
}
