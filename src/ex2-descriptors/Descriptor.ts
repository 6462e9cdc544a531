import { ValueError, describeValue } from "./ValueError";

/**
 * Validates and stores one class attribute, like a Python data descriptor; attach it with `@descriptor(...)`.
 *
 * | Python | here |
 * | --- | --- |
 * | `__set_name__(owner, name)` | `setName(owner, name)` |
 * | `__get__(instance, owner)` | `get(instance, read)` |
 * | `__set__(instance, value)` | `validate(value)`, then the accessor stores the result |
 */
export abstract class Descriptor<T> {
  /** The class the descriptor is attached to (Python's `owner`), once known. */
  owner?: Function;
  /** The attribute name (Python's `name` in `__set_name__`). */
  name = "<unattached>";

  /**
   * Records the owner class and attribute name (Python's `__set_name__`), used in every error message.
   * @param owner - the class; `undefined` until known (standard decorators learn it with the first instance)
   * @param name - the attribute's name
   */
  setName(owner: Function | undefined, name: string): void {
    this.owner = owner ?? this.owner;
    this.name = name;
  }

  /** `Owner.attribute`, as used in error messages. */
  get label(): string {
    return `${this.owner?.name ?? "?"}.${this.name}`;
  }

  /**
   * Returns the stored value for an instance, or the descriptor itself on the class side (Python's `__get__`).
   * @param instance - the object read through, or `undefined` when the attribute is read on the class
   * @param read - reads the value stored for `instance`
   */
  get(instance: object | undefined, read: () => T): T | this {
    // TODO(R2.1): like `if instance is None: return self`, return the descriptor itself on the class side.
    // BEGIN SOLUTION R2.1
    return instance === undefined ? this : read();
    // END SOLUTION
  }

  /**
   * Checks a value about to be stored and returns what to store (Python's `__set__` without the storing).
   * @throws ValueError naming the attribute, the rule and the rejected value
   */
  abstract validate(value: unknown): T;

  /** Throws the `ValueError` every descriptor uses: attribute, expected rule, rejected value. */
  protected reject(rule: string, value: unknown): never {
    throw new ValueError(`${this.label}: expected ${rule}, got ${describeValue(value)}`);
  }
}
