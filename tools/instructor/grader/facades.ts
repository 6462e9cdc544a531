/**
 * The globals a confined student module sees besides the language's own: frozen facades that look up the real
 * global of the grading child at call time, so a test's fake timers, stubbed `console.log` or replaced
 * `Math.random` reach student code, while student code can replace nothing the tests or mocha use.
 */

const freeze = Object.freeze;

/** A function that calls `host()[name]` with the arguments it gets, whatever `host()[name]` is at that moment. */
function forward(host: () => unknown, name: string): (...args: unknown[]) => unknown {
  const call = (...args: unknown[]) => {
    const target = host() as Record<string, (...a: unknown[]) => unknown>;
    return Reflect.apply(target[name], target, args);
  };
  return freeze(call);
}

const CONSOLE_METHODS = ["log", "info", "warn", "error", "debug", "trace", "dir", "table", "time", "timeEnd", "timeLog", "group", "groupEnd", "count", "assert"];
const TIMERS = ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "setImmediate", "clearImmediate", "queueMicrotask"];

/**
 * A `Date` that constructs, calls and answers `now`/`parse`/`UTC` through whatever `globalThis.Date` is when called
 * (sinon's fake clock included); `instanceof` works because it shares `Date.prototype`.
 */
function dateFacade(real: () => DateConstructor): DateConstructor {
  function Date(this: unknown, ...args: unknown[]): unknown {
    const RealDate = real();
    return new.target ? Reflect.construct(RealDate, args, new.target === Date ? RealDate : new.target) : RealDate();
  }
  Object.defineProperty(Date, "prototype", { value: real().prototype, writable: false });
  for (const name of ["now", "parse", "UTC"]) Object.defineProperty(Date, name, { value: forward(real, name), enumerable: false });
  return freeze(Date) as unknown as DateConstructor;
}

/** A `Math` with every constant and function of the real one, `random` taken from `globalThis.Math` at call time. */
function mathFacade(realMath: () => Math): Math {
  const copy: Record<string | symbol, unknown> = {};
  for (const key of Reflect.ownKeys(Math)) copy[key] = (Math as unknown as Record<string | symbol, unknown>)[key];
  copy.random = forward(realMath, "random");
  return freeze(copy) as unknown as Math;
}

/**
 * The endowments of the students' compartment.
 * @param global - the grading child's own global object (read at every call, never handed out)
 */
export function studentGlobals(global: typeof globalThis): Record<string, unknown> {
  const realConsole = () => global.console;
  const consoleFacade: Record<string, unknown> = {};
  for (const name of CONSOLE_METHODS) consoleFacade[name] = forward(realConsole, name);
  const endowments: Record<string, unknown> = {
    console: freeze(consoleFacade),
    performance: freeze({ now: forward(() => global.performance, "now"), timeOrigin: global.performance.timeOrigin }),
    Date: dateFacade(() => global.Date),
    Math: mathFacade(() => global.Math),
  };
  for (const name of TIMERS) endowments[name] = forward(() => global, name);
  // Plain data classes with no reach into the grader; their prototypes are frozen by lockdown or below.
  for (const name of ["AbortController", "AbortSignal", "TextEncoder", "TextDecoder", "URL", "URLSearchParams", "structuredClone", "DOMException", "EventTarget", "Event"]) {
    if (name in global) endowments[name] = (global as unknown as Record<string, unknown>)[name];
  }
  return endowments;
}
