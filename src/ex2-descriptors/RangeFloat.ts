import { Descriptor } from "./Descriptor";

/** Accepts finite numbers within `[minVal, maxVal]`, inclusive. */
export class RangeFloat extends Descriptor<number> {
  /**
   * @param minVal - the smallest allowed value
   * @param maxVal - the largest allowed value
   * @throws RangeError when a bound is not finite or `minVal > maxVal`
   */
  constructor(readonly minVal: number, readonly maxVal: number) {
    super();
    if (!Number.isFinite(minVal) || !Number.isFinite(maxVal)) {
      throw new RangeError(`RangeFloat: expected finite bounds, got minVal=${minVal}, maxVal=${maxVal}`);
    }
    if (minVal > maxVal) throw new RangeError(`RangeFloat: expected minVal <= maxVal, got ${minVal} > ${maxVal}`);
  }

  /** @throws ValueError for non-numbers, NaN, ±Infinity and values outside the bounds */
  validate(value: unknown): number {
    // TODO(R2.2): accept only finite numbers (no numeric strings, booleans, NaN, Infinity) within the bounds.
    // BEGIN SOLUTION R2.2
    if (typeof value !== "number" || !Number.isFinite(value)) {
      // Stryker disable next-line StringLiteral: the rule's wording is the student's choice; tests check the error class, attribute, value
      this.reject("a finite number", value);
    }
    if (value < this.minVal || value > this.maxVal) {
      this.reject(`a number in [${this.minVal}, ${this.maxVal}] (inclusive)`, value);
    }
    return value;
    // END SOLUTION
  }
}
