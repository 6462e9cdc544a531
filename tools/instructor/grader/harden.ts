/**
 * Hardens a grading child before any test or student code loads: the test framework's and assertion libraries'
 * objects become read-only, mocha's globals (`it`, `describe`, …) can be set by mocha only, and `process.kill` may
 * signal only the child itself. Attempts to replace what is locked are ignored and reported through `onTamper`.
 *
 * SES `lockdown()` is not used: it freezes every intrinsic, which breaks sinon's fake timers (they replace
 * `Date` and the timer globals) and several honest solutions' monkey-patching in tests. What is frozen here is
 * what decides a result; canary tests (see child.ts) catch the rest.
 */

/** mocha's `bdd` globals, set by mocha before each test file loads. */
export const MOCHA_GLOBALS = ["describe", "context", "xdescribe", "xcontext", "it", "specify", "xit", "xspecify", "before", "after", "beforeEach", "afterEach", "run"] as const;

interface SuiteEvents {
  prependListener(event: string, listener: () => void): unknown;
  on(event: string, listener: () => void): unknown;
}

const freeze = Object.freeze;
const defineProperty = Object.defineProperty;

/** Freezes an object and the prototypes of the classes it names, ignoring missing ones. */
function freezeAll(values: unknown[]): void {
  for (const value of values) {
    if ((typeof value === "object" && value !== null) || typeof value === "function") freeze(value);
  }
}

/**
 * Makes mocha's globals accessor properties that only mocha's own `pre-require` handler may set.
 * @param suite - the root suite, whose `pre-require` event mocha emits before each file
 * @param onTamper - called with a description when anything else tries to set one
 */
export function lockMochaGlobals(suite: SuiteEvents, onTamper: (what: string) => void): void {
  let mochaSetting = false;
  const values = new Map<string, unknown>();
  const global = globalThis as Record<string, unknown>;
  for (const name of MOCHA_GLOBALS) {
    values.set(name, global[name]);
    defineProperty(globalThis, name, {
      configurable: false,
      enumerable: true,
      get: () => values.get(name),
      set: (value: unknown) => {
        if (mochaSetting) values.set(name, value);
        else onTamper(`replaced the test framework's global ${name}`);
      },
    });
  }
  suite.prependListener("pre-require", () => {
    mochaSetting = true;
  });
  suite.on("pre-require", () => {
    mochaSetting = false;
    for (const value of values.values()) if (typeof value === "function") freeze(value);
  });
}

/** The parts of mocha whose prototypes decide what a result is. */
export interface MochaClasses {
  prototype: object;
  Runner: { prototype: object };
  Runnable: { prototype: object };
  Test: { prototype: object };
  Suite: { prototype: object };
  Hook: { prototype: object };
  Context: { prototype: object };
}

/**
 * Freezes mocha's classes, chai's assertion machinery and `node:assert`, and limits `process.kill` to this process.
 * @param mocha - the Mocha constructor (its prototype and classes are frozen, not the constructor itself)
 * @param chai - the chai module the tests will load, if any
 * @param assert - `node:assert`
 */
export function hardenLibraries(mocha: MochaClasses, chai: Record<string, unknown> | undefined, assert: object): void {
  freezeAll([mocha.prototype, mocha.Runner.prototype, mocha.Runnable.prototype, mocha.Test.prototype, mocha.Suite.prototype, mocha.Hook.prototype, mocha.Context.prototype]);
  if (chai) {
    const Assertion = chai.Assertion as { prototype: object } | undefined;
    freezeAll([Assertion?.prototype, Assertion, chai.util, chai.assert, chai.should, chai.AssertionError, (chai.AssertionError as { prototype?: object })?.prototype]);
    // The exports object itself: `chai.expect = …` must not reach the tests. chai.config stays writable (tests set
    // truncateThreshold), it only shapes messages.
    freeze(chai);
  }
  freezeAll([assert, (assert as { strict?: object }).strict, (assert as { AssertionError?: { prototype: object } }).AssertionError?.prototype]);
  const kill = process.kill.bind(process);
  const pid = process.pid;
  const own = (target: number) => target === pid || target === 0;
  defineProperty(process, "kill", {
    configurable: false,
    writable: false,
    value: (target: number, signal?: string | number) => {
      if (!own(Number(target))) throw new Error(`grading: process.kill(${String(target)}) is not allowed; only this process may be signalled`);
      return kill(target, signal);
    },
  });
  const internal = (process as unknown as { _kill?: (pid: number, sig: number) => number })._kill;
  if (typeof internal === "function") {
    defineProperty(process, "_kill", {
      configurable: false,
      writable: false,
      value: (target: number, signal: number) => {
        if (!own(Number(target))) throw new Error(`grading: signalling process ${String(target)} is not allowed`);
        return internal.call(process, target, signal);
      },
    });
  }
}
