import { isStandardContext } from "../shared/methodDecorator";
import type { AccessorStorage, Descriptor } from "./Descriptor";

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
 * Attaches a descriptor to an `accessor` field (Python: `sensorId = NonEmptyString()` in the class body): reads
 * call `d.get`, writes call `d.set`, and `d.setName` runs once, before the first read or write through an instance.
 *
 * This is the given glue that hides the two decorator protocols; the descriptor's own methods do the work. The
 * value stays in the accessor's private slot (`#sensorId`), which `d.get` and `d.set` receive as `storage`.
 * Under standard decorators a field initializer (`accessor gain = 5`) is checked with `d.validate`.
 * @param d - a fresh descriptor for this one attribute
 * @example
 * class Probe {
 *   @descriptor(new NonEmptyString()) accessor label!: string;
 * }
 */
export function descriptor<T>(d: Descriptor<T>): DescriptorDecorator<T> {
  function decorate(target: unknown, keyOrContext: unknown, property?: PropertyDescriptor): any {
    if (isStandardContext(keyOrContext)) {
      return hooks(target as AccessorStorage<T>, String((keyOrContext as ClassAccessorDecoratorContext).name), undefined);
    }
    const prototype = target as object;
    const name = String(keyOrContext);
    if (!property?.get || !property.set) {
      throw new TypeError(`descriptor(): ${prototype.constructor.name}.${name} must be declared with the accessor keyword (accessor ${name}!: …)`);
    }
    const { get, set } = hooks(property as AccessorStorage<T>, name, prototype.constructor);
    return { get, set, enumerable: property.enumerable, configurable: true };
  }

  /** The accessor's replacement get/set/init; `owner` is known at once only under legacy decorators. */
  function hooks(storage: AccessorStorage<T>, name: string, owner: Function | undefined) {
    let named = false;
    const attach = (instance: object): void => {
      if (named) return;
      d.setName(owner ?? declaringClass(instance, name), name);
      named = true;
    };
    return {
      get(this: object): T {
        if (isClassSide(this)) return d.get(undefined, storage) as T;
        attach(this);
        return d.get(this, storage) as T;
      },
      set(this: object, value: T): void {
        attach(this);
        d.set(this, value, storage);
      },
      init(this: object, initial: T): T {
        attach(this);
        return initial === undefined ? initial : d.validate(initial);
      },
    };
  }

  return decorate as DescriptorDecorator<T>;
}

/** Standard decorators never see the class: the prototype that declares the field tells which class it is. */
function declaringClass(instance: object, name: string): Function {
  for (let p = Object.getPrototypeOf(instance); p; p = Object.getPrototypeOf(p)) {
    if (Object.prototype.hasOwnProperty.call(p, name)) return p.constructor as Function;
  }
  return instance.constructor;
}

/** True when `self` is a class's prototype: the attribute was read on the class, not on an instance. */
export function isClassSide(self: object): boolean {
  return Object.prototype.hasOwnProperty.call(self, "constructor") && (self.constructor as Function)?.prototype === self;
}
