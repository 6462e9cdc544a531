import { clockTime, LIBRARY_DIR, libraryState, newestBuild, notebookNames } from "./libraryState";

/** How to re-run the setup cell and everything below it, in each front end. */
export const RUN_ALL_BELOW =
  "select the setup cell, then Run All Below (Notebook: Cell ▸ Run All Below; JupyterLab: Run ▸ Run Selected Cell " +
  "and All Below; VS Code: the Execute Cell and Below button in the cell's toolbar)";

/** Whether a value was made by the library: a class, a function or an instance of a library class. */
export function isLibraryValue(value: unknown, retired: WeakSet<object>): boolean {
  if (typeof value === "function") return retired.has(value) || /^class\b/.test(Function.prototype.toString.call(value));
  if (typeof value !== "object" || value === null) return false;
  for (let proto = Object.getPrototypeOf(value); proto; proto = Object.getPrototypeOf(proto)) {
    if (retired.has(proto)) return true;
  }
  return false;
}

/** The notebook names that still hold values made before the library was last reloaded. */
export function staleNames(): string[] {
  const names = notebookNames();
  return [...libraryState().before].filter(([name, value]) => names[name] === value).map(([name]) => name);
}

/**
 * Says why a notebook result may come from an old build: the library was rebuilt after the setup cell loaded it,
 * or cells declared before the last reload were not run again.
 * @param failed - whether the check failed; names from before the reload are only suspects then, since during Run
 *   All Below the cells further down have not run again yet
 * @returns one line starting with ↻, or `undefined` when the notebook uses the current build throughout
 */
export function staleHint(failed: boolean, libraryDir: string = LIBRARY_DIR): string | undefined {
  const loaded = libraryState().loadedBuild.get(libraryDir);
  if (loaded === undefined) return undefined;
  const built = newestBuild(libraryDir);
  if (built > loaded) {
    return `↻ the library was rebuilt at ${clockTime(built)}, after the setup cell loaded it: ${RUN_ALL_BELOW}.`;
  }
  const stale = failed ? staleNames() : [];
  if (stale.length === 0) return undefined;
  return `↻ not run again since the last reload (cells further down, or cells you skipped): ${stale.join(", ")}. If this check uses them: ${RUN_ALL_BELOW}.`;
}
