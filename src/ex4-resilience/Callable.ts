/**
 * A base class whose instances are functions: the constructor returns `call`, re-prototyped to the subclass.
 *
 * Python's `__call__` without code generation: `class X extends Function` + `super()` runs the `Function`
 * constructor, which evaluates a string and throws `EvalError` under `--disallow-code-generation-from-strings` or
 * a content-security policy. Returning a closure from the base constructor instead makes it the subclass's `this`,
 * so subclass fields (including `#private` ones) are installed on the function itself.
 * @example
 * class Adder extends Callable {
 *   #n: number;
 *   constructor(n: number) {
 *     let self!: Adder;
 *     super((x: number) => x + self.#n);
 *     self = this;
 *     this.#n = n;
 *   }
 * }
 */
export class Callable {
  /** @param call - becomes the instance; its prototype is set to the subclass's prototype */
  constructor(call: (...args: any[]) => unknown) {
    return Object.setPrototypeOf(call, new.target.prototype);
  }
}

// Instances keep Function.prototype's `call`, `apply` and `bind`, as with `extends Function`.
Object.setPrototypeOf(Callable.prototype, Function.prototype);
