/**
 * Confines a grading child's student modules: after the test framework and the libraries the tests use have
 * loaded, SES `lockdown()` freezes every shared intrinsic, and each module under the workspace's `src/` is then
 * evaluated in one SES `Compartment` whose globals are frozen facades (facades.ts) and whose `require` reaches only
 * `src/` and a few built-ins (studentRequire.ts). The tests, mocha and the grader's own code stay in the start
 * compartment; both sides share the module objects, so the tests can still stub and subclass student exports.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { studentGlobals } from "./facades";
import { explainRejection } from "./rejectedSource";
import { studentRequire, type RealModule } from "./studentRequire";

/** This folder: the grading child loads it, so the sandbox lets the child read it and the grader transpiles it. */
export const CONFINE_DIR = __dirname;

/** The libraries loaded before `lockdown()` (some of them write to objects lockdown freezes while they load). */
export const PRELOADED = ["chai", "sinon", "fast-check", "typescript", "@tslab/typescript-for-tslab", "source-map-support"];

/** The lockdown options the tests need (issue 20): consoleTaming so tests can stub console.log, domainTaming for ts-node, errorTaming unsafe for stack traces. */
export const LOCKDOWN_OPTIONS = { consoleTaming: "unsafe", domainTaming: "unsafe", errorTaming: "unsafe", overrideTaming: "moderate", stackFiltering: "verbose" } as const;

interface NodeModule extends RealModule {
  exports: unknown;
  _compile(content: string, filename: string): unknown;
}
interface ModuleClass {
  prototype: NodeModule;
  _resolveFilename(request: string, parent: NodeModule): string;
}
interface Ses {
  lockdown(options: object): void;
  harden<T>(value: T): T;
  Compartment: new (options: { globals: object; __options__: true }) => { evaluate(source: string): unknown };
}

/**
 * Replaces `globalThis.Date` (frozen by lockdown) by a plain function sharing its prototype, with its own writable
 * `now`, `parse` and `UTC`: sinon's fake timers subclass `Date` and assign `now` on the subclass, which the frozen
 * original's non-writable `now` would refuse.
 */
function writableDate(): void {
  const NativeDate = globalThis.Date;
  const Date = function (this: unknown, ...args: unknown[]): unknown {
    return new.target ? Reflect.construct(NativeDate, args, new.target) : NativeDate();
  };
  Object.defineProperty(Date, "prototype", { value: NativeDate.prototype, writable: false });
  Object.assign(Date, { now: NativeDate.now, parse: NativeDate.parse, UTC: NativeDate.UTC });
  (globalThis as { Date: unknown }).Date = Date;
}

/** Freezes the host classes whose instances student code can get hold of (timer handles, abort signals…). */
function hardenHostClasses(harden: Ses["harden"]): void {
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
function freezeClasses(exports: unknown): void {
  if (exports === null || typeof exports !== "object") return;
  for (const value of Object.values(exports as Record<string, unknown>)) {
    if (typeof value === "function" && typeof value.prototype === "object" && value.prototype !== null) Object.freeze(value.prototype);
  }
}

/** Freezes sinon's prototypes that every spy call and stub behaviour shares (student code gets spies and stubs). */
function freezeSinonPrototypes(sinon: unknown): void {
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
function mapStackTraces(preload: (name: string) => unknown): Map<string, string> {
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

/**
 * Locks the realm down and routes every later load of a file under `<root>/src/` into a compartment.
 * @param root - the workspace (the child's working directory)
 * @param preload - loads a library the way the test files will resolve it (undefined when it is not installed)
 */
export function confineStudentCode(root: string, preload: (name: string) => unknown): void {
  for (const name of PRELOADED) preload(name);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ses = (require("ses"), globalThis) as unknown as Ses;
  const Module = require("node:module") as unknown as ModuleClass;
  ses.lockdown(LOCKDOWN_OPTIONS);
  writableDate();
  hardenHostClasses(ses.harden);
  let src = path.join(root, "src");
  try {
    src = fs.realpathSync(src);
  } catch {
    // no src/: nothing will be confined
  }
  const compiled = mapStackTraces(preload);
  freezeSinonPrototypes(preload("sinon"));
  const helpers = path.join(root, "test", "helpers") + path.sep;
  const compartment = new ses.Compartment({ globals: studentGlobals(globalThis), __options__: true });
  const compile = Module.prototype._compile;
  // Writable: ts-node assigns its own `_compile` on each module it loads. Student code never reaches Module.
  Object.defineProperty(Module.prototype, "_compile", {
    configurable: true,
    writable: true,
    value: function (this: NodeModule, content: string, filename: string): unknown {
      compiled.set(filename, content);
      if (filename.startsWith(helpers)) {
        const result = compile.call(this, content, filename);
        freezeClasses(this.exports);
        return result;
      }
      if (!filename.startsWith(src + path.sep)) return compile.call(this, content, filename);
      const body = content.startsWith("#!") ? `//${content}` : content;
      let wrapper: (...args: unknown[]) => unknown;
      try {
        wrapper = compartment.evaluate(`(function (exports, require, module, __filename, __dirname) {${body}\n})\n//# sourceURL=${filename}\n`) as typeof wrapper;
      } catch (error) {
        throw explainRejection(error, filename, root);
      }
      const real = this;
      const module = Object.freeze({
        get exports() {
          return real.exports;
        },
        set exports(value: unknown) {
          real.exports = value;
        },
        id: filename,
        filename,
        path: path.dirname(filename),
      });
      const require = studentRequire(real, (request) => Module._resolveFilename(request, real), filename, src, root);
      return Reflect.apply(wrapper, real.exports, [real.exports, require, module, filename, path.dirname(filename)]);
    },
  });
}
