import * as path from "node:path";
import { defaultLog, type Logger } from "../shared/Logger";
import { stubsReached } from "../shared/NotImplementedError";
import { clockTime, LIBRARY_DIR, libraryState, newestBuild, notebookNames } from "./libraryState";
import { isLibraryValue, RUN_ALL_BELOW } from "./staleness";
import { buildProblems } from "./buildCheck";
import { installSourceMaps } from "./traceback";

/** What one run of the setup cell did. */
export type ReloadOutcome = "loaded" | "reloaded" | "unchanged";

/** The functions and classes a module exports. */
function exportedFunctions(exported: unknown): Function[] {
  const values = typeof exported === "object" && exported !== null ? Object.values(exported) : [exported];
  return values.filter((value): value is Function => typeof value === "function");
}

/**
 * Drops every module of `libraryDir` from Node's module cache and retires its exports, but not the notebook
 * helpers (`reloadLibrary`, `check`, `example`), even where `dist/index.js` re-exports them.
 */
function forget(libraryDir: string, retired: WeakSet<object>): void {
  const prefix = libraryDir + path.sep;
  const helpersDir = path.join(libraryDir, "notebook") + path.sep;
  const helpers = new Set<unknown>();
  for (const [file, module] of Object.entries(require.cache)) {
    if (file.startsWith(helpersDir) && module) for (const value of exportedFunctions(module.exports)) helpers.add(value);
  }
  for (const [file, module] of Object.entries(require.cache)) {
    if (!file.startsWith(prefix) || !module) continue;
    if (file.startsWith(helpersDir)) {
      delete require.cache[file];
      continue;
    }
    for (const value of exportedFunctions(module.exports)) {
      if (helpers.has(value)) continue;
      retired.add(value);
      if (typeof value.prototype === "object" && value.prototype !== null) retired.add(value.prototype as object);
    }
    delete require.cache[file];
  }
}

/**
 * The setup cell's first call: makes the next `import … from "../dist"` load the newest build. When `npm run build`
 * changed the library since the setup cell last ran, it drops the old modules from Node's module cache and says
 * to run the cells below again (their classes were declared with the old build); when nothing changed, it keeps
 * the loaded modules, so re-running the setup cell alone never mixes two builds. It also turns on source-mapped
 * stack traces, so errors name `src/*.ts` lines.
 * @param log - where the reload notice goes; default `console.log`
 * @param libraryDir - the compiled library folder; default the `dist/` this module was built into
 * @returns whether the library was loaded for the first time, reloaded, or left as it was
 */
export function reloadLibrary(log: Logger = defaultLog, libraryDir: string = LIBRARY_DIR): ReloadOutcome {
  installSourceMaps();
  const state = libraryState();
  const built = newestBuild(libraryDir);
  const loaded = state.loadedBuild.get(libraryDir);
  for (const problem of buildProblems(libraryDir)) log(`⚠ ${problem.text}: ${problem.advice}.`);
  if (loaded !== undefined && built <= loaded) return "unchanged";
  stubsReached().splice(0); // stubs of the old build are no reason for a check of the new one to wait
  forget(libraryDir, state.retired);
  state.loadedBuild.set(libraryDir, built);
  if (loaded === undefined) return "loaded";
  state.before = new Map(Object.entries(notebookNames()).filter(([, value]) => isLibraryValue(value, state.retired)));
  log(`↻ loaded the library built at ${clockTime(built)}. The cells below still hold the old build until they run again: ${RUN_ALL_BELOW}.`);
  return "reloaded";
}
