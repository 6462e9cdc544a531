import * as fs from "node:fs";
import * as path from "node:path";

/** The compiled library a notebook imports: the `dist/` folder this file was built into. */
export const LIBRARY_DIR = path.resolve(__dirname, "..");

/** What the setup cell remembers between runs; kept on `globalThis`, so it outlives the modules it reloads. */
export interface LibraryState {
  /** The newest `.js` file's mtime per library folder when the setup cell last loaded it. */
  loadedBuild: Map<string, number>;
  /** Names declared before the last reload, and not since, that code read since the last check started. */
  staleReads: Set<string>;
}

const KEY = Symbol.for("lecture34.notebook.library");

/** Returns the state shared by every build of this module loaded into the kernel. */
export function libraryState(): LibraryState {
  const holder = globalThis as { [KEY]?: LibraryState };
  holder[KEY] ??= { loadedBuild: new Map(), staleReads: new Set() };
  holder[KEY].staleReads ??= new Set(); // a kernel that ran an older build of this module
  return holder[KEY];
}

/** Returns the newest mtime (ms) of a `.js` file under `dir`, or 0 when there is none. */
export function newestBuild(dir: string = LIBRARY_DIR): number {
  let newest = 0;
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestBuild(full));
    else if (entry.name.endsWith(".js")) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** The names a notebook has declared so far (tslab keeps them on `globalThis.__tslab__.exports`). */
export function notebookNames(): Record<string, unknown> {
  return (globalThis as { __tslab__?: { exports?: Record<string, unknown> } }).__tslab__?.exports ?? {};
}

/** Formats an mtime as the local time of day, `21:40:12`. */
export function clockTime(ms: number): string {
  return new Date(ms).toTimeString().slice(0, 8);
}
