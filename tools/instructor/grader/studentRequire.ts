import * as path from "node:path";

/** Built-in modules student code may require (as frozen copies of their exports); everything else is refused. */
export const ALLOWED_BUILTINS: readonly string[] = ["crypto", "util", "path", "assert", "timers", "timers/promises"];

/** A `require` call student code made that the grader refuses. */
export class RequireRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RequireRefusedError";
  }
}

/** What a confined `require` needs from the real module system. */
export interface RealModule {
  require(id: string): unknown;
}

const builtinCopies = new Map<string, unknown>();

/** A frozen copy of a built-in module's exports (so student code cannot replace what the tests' copy holds). */
function builtin(name: string, load: (id: string) => unknown): unknown {
  let copy = builtinCopies.get(name);
  if (copy === undefined) {
    const real = load(`node:${name}`) as Record<string, unknown>;
    copy = typeof real === "function" ? real : Object.freeze({ ...real });
    builtinCopies.set(name, copy);
  }
  return copy;
}

/**
 * The `require` a confined student module gets: `./` and `../` paths that resolve to files under `src/` (through
 * the normal module cache, so the tests and student code share module objects) and the allowed built-ins.
 * @param module - the real module being loaded (never handed to student code)
 * @param resolve - resolves a request from that module as Node would
 * @param src - the student's `src/` folder (real path)
 * @param root - the folder messages show paths relative to
 */
export function studentRequire(module: RealModule, resolve: (request: string) => string, filename: string, src: string, root: string): (request: string) => unknown {
  const from = path.relative(root, filename);
  const confined = (request: string): unknown => {
    const id = String(request);
    if (id.startsWith("./") || id.startsWith("../")) {
      let resolved: string;
      // A module that does not exist is the student's own error: it is reported as itself, as without confinement.
      resolved = resolve(id);
      if (!resolved.startsWith(src + path.sep)) throw new RequireRefusedError(`${from}: require("${id}") leaves src/; code under src/ may load only files under src/`);
      return module.require(resolved);
    }
    const name = id.startsWith("node:") ? id.slice(5) : id;
    if (ALLOWED_BUILTINS.includes(name)) return builtin(name, (n) => module.require(n));
    throw new RequireRefusedError(`${from}: require("${id}") is not allowed while grading; code under src/ may load ./ or ../ files under src/ and the built-in modules ${ALLOWED_BUILTINS.join(", ")}`);
  };
  return Object.freeze(confined);
}
