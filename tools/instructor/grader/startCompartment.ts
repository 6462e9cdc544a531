/**
 * What the grading child's own realm (SES's start compartment, where mocha and the tests run) needs after
 * `lockdown()`: a `Date` sinon can fake, frozen classes whose instances reach student code, and source-mapped
 * stack traces.
 */
/**
 * Replaces `globalThis.Date` (frozen by lockdown) by a plain function sharing its prototype, with its own writable
 * `now`, `parse` and `UTC`: sinon's fake timers subclass `Date` and assign `now` on the subclass, which the frozen
 * original's non-writable `now` would refuse.
 */
export function writableDate(): void {
  const NativeDate = globalThis.Date;
  const Date = function (this: unknown, ...args: unknown[]): unknown {
    return new.target ? Reflect.construct(NativeDate, args, new.target) : NativeDate();
  };
  Object.defineProperty(Date, "prototype", { value: NativeDate.prototype, writable: false });
  Object.assign(Date, { now: NativeDate.now, parse: NativeDate.parse, UTC: NativeDate.UTC });
  (globalThis as { Date: unknown }).Date = Date;
}

/** Freezes the host classes whose instances student code can get hold of (timer handles, abort signals…). */
export function hardenHostClasses(harden: <T>(value: T) => T): void {
  const timeout = setTimeout(() => undefined, 0);
  clearTimeout(timeout);
  const immediate = setImmediate(() => undefined);
  clearImmediate(immediate);
  for (const value of [Object.getPrototypeOf(timeout), Object.getPrototypeOf(immediate), AbortController, AbortSignal, TextEncoder, TextDecoder, URL, URLSearchParams, EventTarget, Event]) {
    try {
      harden(value);
    } catch {
      // a class this Node lacks
    }
  }
}

/**
 * Freezes the prototypes of the classes a test helper module exports: tests hand their instances to student code,
 * which must not change how later tests' instances behave.
 */
export function freezeClasses(exports: unknown): void {
  if (exports === null || typeof exports !== "object") return;
  for (const value of Object.values(exports as Record<string, unknown>)) {
    if (typeof value === "function" && typeof value.prototype === "object" && value.prototype !== null) Object.freeze(value.prototype);
  }
}

/** Freezes sinon's prototypes that every spy call and stub behaviour shares (student code gets spies and stubs). */
export function freezeSinonPrototypes(sinon: unknown): void {
  const api = sinon as { spy?: () => (() => void) & { getCall(i: number): object }; stub?: () => { returns(v: unknown): unknown; defaultBehavior?: object } } | undefined;
  try {
    const spy = api?.spy?.();
    if (spy) {
      spy();
      Object.freeze(Object.getPrototypeOf(spy.getCall(0)));
    }
    const stub = api?.stub?.();
    stub?.returns(1);
    if (stub?.defaultBehavior) Object.freeze(Object.getPrototypeOf(stub.defaultBehavior));
  } catch {
    // another sinon: its prototypes stay as they are
  }
}

interface SourceMapSupport {
  install(options: { environment: "node"; handleUncaughtExceptions: boolean; hookRequire: boolean; retrieveSourceMap(file: string): { url: string; map: string } | null }): void;
}

/**
 * Maps stack traces through the inline source maps of the JavaScript every module was compiled from (lockdown
 * replaces ts-node's and Node's own mapping with SES's): student frames and test frames point into the `.ts` files.
 * @returns the table the module loader fills: file name to the JavaScript it ran
 */
export function mapStackTraces(preload: (name: string) => unknown): Map<string, string> {
  const compiled = new Map<string, string>();
  const support = preload("source-map-support") as SourceMapSupport | undefined;
  const { findSourceMap } = require("node:module") as { findSourceMap(file: string): { payload: object } | undefined };
  const retrieveSourceMap = (file: string) => {
    const js = compiled.get(file);
    const inline = js === undefined ? undefined : /\/\/# sourceMappingURL=data:application\/json;(?:charset=utf-8;)?base64,([A-Za-z0-9+/=]+)\s*$/.exec(js)?.[1];
    let map: Record<string, unknown> | undefined;
    try {
      map = inline ? (JSON.parse(Buffer.from(inline, "base64").toString("utf8")) as Record<string, unknown>) : (findSourceMap(file)?.payload as Record<string, unknown> | undefined);
    } catch {
      return null;
    }
    if (!map) return null;
    // The maps name their one source relative to an output folder that does not exist; it is the file itself.
    return { url: file, map: JSON.stringify({ ...map, sources: [file], sourceRoot: "" }) };
  };
  support?.install({ environment: "node", handleUncaughtExceptions: false, hookRequire: false, retrieveSourceMap });
  return compiled;
}
