import { ValueError, describeValue } from "./ValueError";

/**
 * Where an `accessor` field keeps its value: the private slot the `accessor` keyword creates (`#sensorId`).
 * Call it with the instance as `this`: `storage.get.call(instance)`, `storage.set.call(instance, value)`.
 */
export interface AccessorStorage<T> {
  get(this: object): T;
  set(this: object, value: T): void;
}

/**
 * Validates and stores one class attribute, like a Python data descriptor; attach it with `@descriptor(...)`.
 *
 * | Python | here |
 * | --- | --- |
 * | `__set_name__(self, owner, name)` | `setName(owner, name)` |
 * | `__get__(self, instance, owner)` | `get(instance, storage)`; `instance` is `undefined` on the class side |
 * | `__set__(self, instance, value)` | `set(instance, value, storage)` |
 * | `instance.__dict__[self.private_name]` | `storage`: the accessor's own private slot |
 */
export abstract class Descriptor<T> {
  /** The class the descriptor is attached to (Python's `owner`), once known. */
  owner?: Function;
  /** The attribute name (Python's `name` in `__set_name__`). */
  name = "<unattached>";

  /**
   * Records the owner class and the attribute name (Python's `__set_name__`); every error message uses them.
   *
   * `@descriptor` calls it once, before the first read or write through an instance.
   * @param owner - the class that declares the attribute
   * @param name - the attribute's name
   */
  setName(owner: Function, name: string): void {
    // TODO(R2.1): remember owner and name in this.owner and this.name (this.label reads them).
    // BEGIN SOLUTION R2.1
    this.owner = owner;
    this.name = name;
    // END SOLUTION
  }

  /** `Owner.attribute`, as used in error messages. */
  get label(): string {
    return `${this.owner?.name ?? "?"}.${this.name}`;
  }

  /**
   * Reads the attribute (Python's `__get__`): the descriptor itself on the class side, else the stored value.
   * @param instance - the object read through, or `undefined` when the attribute is read on the class
   * @param storage - the accessor's private slot
   */
  get(instance: object | undefined, storage: AccessorStorage<T>): T | this {
    // TODO(R2.1): like `if instance is None: return self`; otherwise read the slot: storage.get.call(instance).
    // BEGIN SOLUTION R2.1
    return instance === undefined ? this : storage.get.call(instance);
    // END SOLUTION
  }

  /**
   * Writes the attribute (Python's `__set__`): validates `value`, then stores what `validate` returned.
   * @param instance - the object written through
   * @param value - what the caller assigned
   * @param storage - the accessor's private slot
   * @throws ValueError from `validate`; nothing is stored then, so the previous value stays
   */
  set(instance: object, value: unknown, storage: AccessorStorage<T>): void {
    // TODO(R2.1): store this.validate(value) in the slot: storage.set.call(instance, …).
    // BEGIN SOLUTION R2.1
    storage.set.call(instance, this.validate(value));
    // END SOLUTION
  }

  /**
   * Checks a value about to be stored and returns what to store.
   * @throws ValueError naming the attribute, the rule and the rejected value (use `this.reject`)
   */
  abstract validate(value: unknown): T;

  /** Throws the `ValueError` every descriptor uses: `Owner.attribute: expected <rule>, got <value>`. */
  protected reject(rule: string, value: unknown): never {
    throw new ValueError(`${this.label}: expected ${rule}, got ${describeValue(value)}`);
  }
}
