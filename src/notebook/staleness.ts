import { clockTime, LIBRARY_DIR, libraryState, newestBuild, notebookNames } from "./libraryState";

/** How to re-run the setup cell and everything below it, in each front end. */
export const RUN_ALL_BELOW =
  "select the setup cell, then Run All Below (Notebook: Cell ▸ Run All Below; JupyterLab: Run ▸ Run Selected Cell " +
  "and All Below; VS Code: the Execute Cell and Below button in the cell's toolbar)";

/** Marks the object put under tslab's exports to hold the watched names. */
const WATCHED = Symbol.for("lecture34.notebook.staleNames");

/**
 * The object under the notebook's names that holds the watched ones. tslab keeps the names on a Proxy whose
 * `defineProperty` trap turns accessors into plain values, so the accessors go one prototype below it.
 */
function watchedNames(): Record<string | symbol, unknown> {
  const names = notebookNames();
  const proto = Object.getPrototypeOf(names) as Record<string | symbol, unknown> | null;
  if (proto !== null && Object.prototype.hasOwnProperty.call(proto, WATCHED)) return proto;
  const holder = Object.create(proto) as Record<string | symbol, unknown>;
  Object.defineProperty(holder, WATCHED, { value: true });
  Object.setPrototypeOf(names, holder);
  return holder;
}

/**
 * Watches the notebook names declared before a reload: reading one records its name, until a cell
 * declares the name again. tslab compiles a cell's use of an earlier cell's name into a read of `exports.<name>`,
 * so this sees exactly which of them a check uses.
 * @param stale - the names and their old values
 */
export function watchStaleNames(stale: Map<string, unknown>): void {
  try {
    const names = notebookNames();
    const holder = watchedNames();
    const { staleReads } = libraryState();
    for (const [name, value] of stale) {
      Object.defineProperty(holder, name, {
        configurable: true,
        get: () => {
          staleReads.add(name);
          return value;
        },
        set(this: Record<string, unknown>, next: unknown) {
          delete holder[name]; // declared again: a plain name from now on
          this[name] = next;
        },
      });
      delete names[name];
    }
  } catch {
    // tslab keeps its names differently: no ↻ line names what a check used
  }
}

/**
 * Says why a notebook result may come from an old build: the library was rebuilt after the setup cell loaded it,
 * or the check read names declared before the last reload whose cells have not run again.
 * @param used - the stale names the check read (see `LibraryState.staleReads`)
 * @returns one line starting with ↻, or `undefined` when the result comes from the current build
 */
export function staleHint(used: readonly string[], libraryDir: string = LIBRARY_DIR): string | undefined {
  const loaded = libraryState().loadedBuild.get(libraryDir);
  if (loaded === undefined) return undefined;
  const built = newestBuild(libraryDir);
  if (built > loaded) {
    return `↻ the library was rebuilt at ${clockTime(built)}, after the setup cell loaded it: ${RUN_ALL_BELOW}.`;
  }
  if (used.length === 0) return undefined;
  return `↻ this check used ${used.join(", ")}, from cells not run again since the last reload: ${RUN_ALL_BELOW}.`;
}
