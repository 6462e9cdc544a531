import * as path from "node:path";
import { defaultLog, type Logger } from "../shared/Logger";
import { stubsReached, stubsUnwritten } from "../shared/NotImplementedError";
import { clockTime, LIBRARY_DIR, libraryState, newestBuild, notebookNames } from "./libraryState";
import { buildProblems } from "./buildCheck";
import { watchStaleNames } from "./staleness";
import { installSourceMaps } from "./traceback";

/** What one run of the setup cell did. */
export type ReloadOutcome = "loaded" | "reloaded" | "unchanged";

/** Drops every module of `libraryDir` from Node's module cache, so the next import loads the new build. */
function forget(libraryDir: string): void {
  const prefix = libraryDir + path.sep;
  for (const file of Object.keys(require.cache)) if (file.startsWith(prefix)) delete require.cache[file];
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
  stubsUnwritten().clear(); // the new build's class-level stubs record themselves again as it loads
  forget(libraryDir);
  state.loadedBuild.set(libraryDir, built);
  if (loaded === undefined) return "loaded";
  // Every name the cells declared so far holds a value of the old build or made with it, until its cell runs again.
  watchStaleNames(new Map(Object.entries(notebookNames())));
  log(`↻ loaded the library built at ${clockTime(built)}; the cells below use it as they run again (Run All Below, or Execute Cell and Below in VS Code, from here does that).`);
  return "reloaded";
}
