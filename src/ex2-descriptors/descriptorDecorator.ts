import { isStandardContext } from "../shared/methodDecorator";
import type { Descriptor } from "./Descriptor";

/** A decorator for an `accessor` field that works under both decorator protocols. */
export interface DescriptorDecorator<T> {
  /** Standard (TC39) decorators: TypeScript 5.0+ without `experimentalDecorators` (src/, tests). */
  <This>(
    value: ClassAccessorDecoratorTarget<This, T>,
    context: ClassAccessorDecoratorContext<This, T>,
  ): ClassAccessorDecoratorResult<This, T>;
  /** Legacy decorators: `experimentalDecorators: true` (tslab notebook cells). */
  (prototype: object, key: string | symbol, property?: PropertyDescriptor): any;
}

/**
 * Attaches a descriptor to an `accessor` field, so every assignment is validated and reads on the class side
 * return the descriptor (Python: `sensorId = NonEmptyString()` in the class body).
 *
 * The value is kept in the accessor's own private storage (`#sensorId`), so nothing public bypasses validation.
 * @param d - a fresh descriptor for this one attribute
 * @example
 * class Probe {
 *   @descriptor(new NonEmptyString()) accessor label!: string;
 * }
 */
export function descriptor<T>(d: Descriptor<T>): DescriptorDecorator<T> {
  function decorate(target: unknown, keyOrContext: unknown, property?: PropertyDescriptor): any {
    if (isStandardContext(keyOrContext)) {
      const storage = target as ClassAccessorDecoratorTarget<object, T>;
      d.setName(undefined, String((keyOrContext as ClassAccessorDecoratorContext).name));
      return {
        ...wrap(storage.get, storage.set),
        init(this: object, initial: T): T {
          learnOwner(this);
          return initial === undefined ? initial : d.validate(initial);
        },
      };
    }
    const prototype = target as object;
    d.setName(prototype.constructor, String(keyOrContext));
    if (!property?.get || !property.set) {
      throw new TypeError(`descriptor(): ${d.label} must be declared with the accessor keyword (accessor ${d.name}!: …)`);
    }
    return { ...wrap(property.get, property.set), enumerable: property.enumerable, configurable: true };
  }

  function wrap(read: (this: object) => T, write: (this: object, value: T) => void) {
    return {
      get(this: object): T {
        if (isClassSide(this)) return d.get(undefined, () => read.call(this)) as T;
        learnOwner(this);
        return d.get(this, () => read.call(this)) as T;
      },
      set(this: object, value: T): void {
        learnOwner(this);
        write.call(this, d.validate(value));
      },
    };
  }

  /** Standard decorators never see the class; the first instance tells which prototype declares the field. */
  function learnOwner(instance: object): void {
    if (d.owner) return;
    for (let p = Object.getPrototypeOf(instance); p; p = Object.getPrototypeOf(p)) {
      if (Object.prototype.hasOwnProperty.call(p, d.name)) return d.setName(p.constructor, d.name);
    }
  }

  return decorate as DescriptorDecorator<T>;
}

/** True when `self` is a class's prototype: the attribute was read on the class, not on an instance. */
function isClassSide(self: object): boolean {
  return Object.prototype.hasOwnProperty.call(self, "constructor") && (self.constructor as Function)?.prototype === self;
}
