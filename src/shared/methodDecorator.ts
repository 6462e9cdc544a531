/** Any method. */
export type AnyMethod = (this: any, ...args: any[]) => any;

/** A method decorator that works under both decorator protocols. */
export interface DualMethodDecorator {
  /** Standard (TC39) decorators: TypeScript 5.0+ without `experimentalDecorators` (src/, tests). */
  <This, M extends AnyMethod>(method: M, context: ClassMethodDecoratorContext<This, M>): M;
  /** Legacy decorators: `experimentalDecorators: true` (tslab notebook cells). */
  (prototype: object, key: string | symbol, property: PropertyDescriptor): any;
}

/**
 * Builds a method decorator for both protocols from one `wrap` function.
 *
 * Standard decorators pass `(method, context)` where `context.kind` is a string; legacy decorators pass
 * `(prototype, key, propertyDescriptor)`. Either way `wrap` receives the method and its name and returns the
 * replacement.
 * @param wrap - builds the replacement method
 */
export function dualMethodDecorator(wrap: (method: AnyMethod, name: string) => AnyMethod): DualMethodDecorator {
  function decorate(target: unknown, keyOrContext: unknown, property?: PropertyDescriptor): any {
    if (isStandardContext(keyOrContext)) return wrap(target as AnyMethod, String(keyOrContext.name));
    if (typeof property?.value !== "function") {
      throw new TypeError(`${String(keyOrContext)}: this decorator applies to methods only`);
    }
    return { ...property, value: wrap(property.value as AnyMethod, String(keyOrContext)) };
  }
  return decorate as DualMethodDecorator;
}

/** True when a decorator's second argument is a TC39 context object (`{ kind: "method", … }`). */
export function isStandardContext(value: unknown): value is DecoratorContext {
  return typeof value === "object" && value !== null && typeof (value as { kind?: unknown }).kind === "string";
}
