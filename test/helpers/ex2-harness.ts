import { expect } from "./expect";
import { Descriptor, ValueError, describeValue } from "../../src/ex2-descriptors";

/** A class that only names an owner in error messages. */
export class Config {}

/**
 * Attaches a descriptor by hand, without `setName` (R2.1) or a decorated class (R2.5), so the tests of one
 * descriptor's `validate` run that descriptor's code alone.
 * @returns the descriptor, labelled `Config.<name>`
 */
export function attached<D extends Descriptor<unknown>>(d: D, name = "field"): D {
  d.owner = Config;
  d.name = name;
  return d;
}

/** Calls `validate(value)` and returns what it threw, failing with the input named when it returned instead. */
export function rejection(d: Descriptor<unknown>, value: unknown): ValueError {
  let returned: unknown;
  try {
    returned = d.validate(value);
  } catch (error) {
    expect(error, `what ${d.label} threw for ${describeValue(value)}`).to.be.instanceOf(ValueError);
    const message = (error as Error).message;
    expect(message, `the message for ${describeValue(value)} should start with the attribute`).to.match(new RegExp(`^${d.label.replace(".", "\\.")}: `));
    expect(message, `the message for ${describeValue(value)} should show the rejected value`).to.include(describeValue(value));
    return error as ValueError;
  }
  return expect.fail(`expected ${d.label} to reject ${describeValue(value)} with ValueError, but validate returned ${describeValue(returned)}`);
}

/** Calls `validate(value)` and checks it returns `expected`, failing with the input named when it throws. */
export function accepts(d: Descriptor<unknown>, value: unknown, expected: unknown = value): void {
  let returned: unknown;
  try {
    returned = d.validate(value);
  } catch (error) {
    expect.fail(`expected ${d.label} to accept ${describeValue(value)}, but it threw ${String(error)}`);
  }
  expect(returned, `what ${d.label}.validate returned for ${describeValue(value)}`).to.equal(expected);
}
