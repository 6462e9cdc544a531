/** The TypeScript counterpart of Python's `ValueError`: a value of the right kind of thing but not allowed. */
export class ValueError extends Error {
  override name = "ValueError";
}

/**
 * Describes a rejected value for an error message: strings quoted, numbers as written, others with their type.
 * @example describeValue("  ") // '"  " (string)'
 */
export function describeValue(value: unknown): string {
  if (typeof value === "string") return `${JSON.stringify(value)} (string)`;
  if (typeof value === "bigint") return `${value}n (bigint)`;
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return `${JSON.stringify(value)} (array)`;
  if (typeof value === "object") return `${Object.prototype.toString.call(value)} (object)`;
  return `${String(value)} (${typeof value})`;
}
