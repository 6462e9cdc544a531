import { Descriptor } from "./Descriptor";

/** Accepts positive safe integers only: no fractions, zero, negatives, numeric strings or bigints. */
export class PositiveInt extends Descriptor<number> {
  /** @throws ValueError for anything but an integer > 0 */
  validate(value: unknown): number {
    // TODO(R2.4): JavaScript has one number type: "strict, no floats" means a safe integer. Reject 0 and below.
    // BEGIN SOLUTION R2.4
    if (typeof value !== "number" || !Number.isSafeInteger(value)) this.reject("a safe integer (no fractions)", value);
    if (value <= 0) this.reject("a positive integer (> 0)", value);
    return value;
    // END SOLUTION
  }
}
