import { Descriptor } from "./Descriptor";

/** Accepts strings that are non-empty after trimming, and stores them trimmed. */
export class NonEmptyString extends Descriptor<string> {
  /** @throws ValueError for non-strings and for strings that are empty after trimming */
  validate(value: unknown): string {
    // TODO(R2.1): reject non-strings; strip surrounding whitespace; reject what is empty after stripping; return the
    // stripped string. Reject through this.reject(rule, value), which builds the ValueError message.
    // BEGIN SOLUTION R2.1
    if (typeof value !== "string") {
      // Stryker disable next-line StringLiteral: the rule's wording is the student's choice; tests check the error class, attribute, value
      this.reject("a string", value);
    }
    const trimmed = value.trim();
    if (trimmed === "") {
      // Stryker disable next-line StringLiteral: the rule's wording is the student's choice; tests check the error class, attribute, value
      this.reject("a non-empty string (after trimming whitespace)", value);
    }
    return trimmed;
    // END SOLUTION
  }
}
