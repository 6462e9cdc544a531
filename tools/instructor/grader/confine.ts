/**
 * Confines a grading child's student modules: after the test framework and the libraries the tests use have
 * loaded, SES `lockdown()` freezes every shared intrinsic, and each module under the workspace's `src/` is then
 * evaluated in one SES `Compartment` whose globals are frozen facades (facades.ts) and whose `require` reaches only
 * `src/` and a few built-ins (studentRequire.ts). The tests, mocha and the grader's own code stay in the start
 * compartment; both sides share the module objects, so the tests can still stub and subclass student exports.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as vm from "node:vm";
import { studentGlobals } from "./facades";
import { explainRejection } from "./rejectedSource";
import { freezeClasses, freezeSinonPrototypes, hardenHostClasses, mapStackTraces, writableDate } from "./startCompartment";
import { studentRequire, type RealModule } from "./studentRequire";

/** This folder: the grading child loads it, so the sandbox lets the child read it and the grader transpiles it. */
export const CONFINE_DIR = __dirname;

/**
 * A syntax error the compartment found carries no file or line; compiling the same text with `vm.Script` (compiled,
 * never run) gives Node's own error, whose stack names the file, the line and the source line, as without SES.
 */
function syntaxErrorWithPlace(error: unknown, source: string, filename: string): unknown {
  if (!(error instanceof SyntaxError) || /\(SES_/.test(error.message)) return error;
  try {
    new vm.Script(source, { filename });
  } catch (placed) {
    if (placed instanceof SyntaxError) return placed;
  }
  return error;
}

/**
 * The libraries loaded before `lockdown()` (some of them write to objects lockdown freezes while they load). Both
 * TypeScripts load fine after it (ts-node, when used, has loaded its own before), so they are not paid for by
 * exercises whose tests never load them.
 */
export const PRELOADED = ["chai", "sinon", "fast-check", "source-map-support"];

/** The lockdown options the tests need (issue 20): consoleTaming so tests can stub console.log, domainTaming for ts-node, errorTaming unsafe for stack traces. */
export const LOCKDOWN_OPTIONS = {
  consoleTaming: "unsafe",
  domainTaming: "unsafe",
  errorTaming: "unsafe",
  overrideTaming: "moderate",
  stackFiltering: "verbose",
  // mocha handles uncaught exceptions and unhandled rejections (charging them to a test); SES must not exit first.
  errorTrapping: "none",
  unhandledRejectionTrapping: "none",
} as const;

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
      const source = `(function (exports, require, module, __filename, __dirname) {${body}\n})\n//# sourceURL=${filename}\n`;
      try {
        wrapper = compartment.evaluate(source) as typeof wrapper;
      } catch (error) {
        throw explainRejection(syntaxErrorWithPlace(error, source, filename), filename, root);
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
