import * as path from "node:path";
import { LIBRARY_DIR } from "./libraryState";

interface SourceMapSupport {
  install(options: { environment: "node"; handleUncaughtExceptions: boolean; emptyCacheBetweenOperations: boolean }): void;
}

/**
 * Maps stack traces of the compiled library back to `src/*.ts` with `source-map-support` (the build writes source
 * maps). Leaves stacks alone where they are mapped already: under ts-node (mocha), or with node --enable-source-maps.
 * @returns whether stacks are mapped now
 */
export function installSourceMaps(): boolean {
  if (require.extensions[".ts"] !== undefined || process.sourceMapsEnabled) return true;
  try {
    // A dev dependency; required lazily, so the library itself has no runtime dependency.
    const support = require("source-map-support") as SourceMapSupport;
    // Re-read the maps for every trace: `npm run build` rewrites them while the kernel runs.
    support.install({ environment: "node", handleUncaughtExceptions: false, emptyCacheBetweenOperations: true });
    return true;
  } catch {
    return false;
  }
}

/** Frames a student never needs: Node internals, packages, the notebook helpers, tslab's cell wrapper. */
const HIDDEN = [/\(node:/, /at node:/, /[\\/]node_modules[\\/]/, /[\\/](dist|src)[\\/]notebook[\\/]/];

/**
 * Formats an error for a notebook: `Name: message`, then the stack frames that point at your code, with paths
 * relative to the project (`src/ex1-tiered-pipeline/TieredPipelineContext.ts:62:13`), and the `cause` chain.
 * @param error - anything thrown
 * @param root - paths under it are shown relative; default the project folder
 * @returns the lines to print, the first one without indentation
 */
export function formatError(error: unknown, root: string = path.dirname(LIBRARY_DIR)): string[] {
  if (!(error instanceof Error)) return [`${typeof error === "string" ? JSON.stringify(error) : String(error)} (thrown, not an Error)`];
  installSourceMaps(); // V8 formats `stack` on first access, so this still maps an error thrown before the setup cell ran
  const stack = (error.stack ?? `${error.name}: ${error.message}`).split("\n");
  const firstFrame = stack.findIndex((line) => /^\s+at /.test(line));
  const header = firstFrame < 0 ? stack : stack.slice(0, firstFrame);
  const frames: string[] = [];
  for (const line of firstFrame < 0 ? [] : stack.slice(firstFrame)) {
    if (HIDDEN.some((pattern) => pattern.test(line))) continue;
    const shown = /evalmachine\.<anonymous>/.test(line)
      ? "  at (a notebook cell)"
      : `  ${line.trim().replace(/^at Proxy\./, "at ").split(root + path.sep).join("")}`;
    if (frames.at(-1) !== shown) frames.push(shown);
  }
  const lines = [...header, ...frames];
  if (error.cause !== undefined) {
    const [first, ...rest] = formatError(error.cause, root);
    lines.push(`caused by ${first}`, ...rest);
  }
  return lines;
}
