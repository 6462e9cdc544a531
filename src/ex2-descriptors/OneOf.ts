import { Descriptor } from "./Descriptor";

/** Accepts only the listed values (strict equality); the attribute's type is the union of them. */
export class OneOf<const V extends readonly unknown[]> extends Descriptor<V[number]> {
  readonly allowedValues: V;

  /**
   * @param allowedValues - the allowed values; write them `as const` (or inline) to get a literal union type
   * @throws RangeError when the list is empty
   * @example new OneOf(["json", "csv", "binary"]) // Descriptor<"json" | "csv" | "binary">
   */
  constructor(allowedValues: V) {
    super();
    if (!Array.isArray(allowedValues) || allowedValues.length === 0) {
      throw new RangeError("OneOf: expected a non-empty list of allowed values");
    }
    this.allowedValues = Object.freeze([...allowedValues]) as unknown as V;
  }

  /** @throws ValueError listing every allowed value when `value` is not one of them */
  validate(value: unknown): V[number] {
    // TODO(R2.3): accept a value only if it is in allowedValues; the error message must list all of them.
    // BEGIN SOLUTION R2.3
    if (!this.allowedValues.includes(value)) {
      // Stryker disable next-line StringLiteral: the separator is wording; tests check that every allowed value is listed
      const listed = this.allowedValues.map((v) => JSON.stringify(v)).join(", ");
      this.reject(`one of ${listed}`, value);
    }
    return value as V[number];
    // END SOLUTION
  }
}
