import { Descriptor } from "./Descriptor";

/** Accepts positive safe integers only: no fractions, zero, negatives, numeric strings or bigints. */
export class PositiveInt extends Descriptor<number> {
  /** @throws ValueError for anything but an integer > 0 */
  validate(value: unknown): number {
    // TODO(R2.4): JavaScript has one number type: "strict, no floats" means a safe integer. Reject 0 and below.
    // BEGIN SOLUTION R2.4
    if (typeof value !== "number" || !Number.isSafeInteger(value)) {
      // Stryker disable next-line StringLiteral: the rule's wording is the student's choice; tests check the error class, attribute, value
      this.reject("a safe integer (no fractions)", value);
    }
    if (value <= 0) {
      // Stryker disable next-line StringLiteral: the rule's wording is the student's choice; tests check the error class, attribute, value
      this.reject("a positive integer (> 0)", value);
    }
    return value;
    // END SOLUTION
  }
}
