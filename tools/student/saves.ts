/**
 * The saves watch mode reacts to: every file added, changed or deleted under the watched folders, however the
 * editor wrote it. chokidar watches each folder (not each file's inode), so a file replaced by a rename (`mv`,
 * `git checkout -- f`, `sed -i`, an editor's atomic save) keeps being seen, where Node 20 and 22's
 * `fs.watch(dir, { recursive: true })` on Linux stops reporting it.
 */
import * as path from "node:path";
import { watch, type FSWatcher } from "chokidar";

/** A burst of saves: the files (relative to the root, `/`-separated) and when the first one was seen. */
export interface SaveBatch {
  files: string[];
  firstSeenAt: number;
}

/** Options of {@link watchSaves}. */
export interface WatchSavesOptions {
  /** The project folder; `dirs` and the reported files are relative to it. */
  root: string;
  /** The folders to watch, e.g. `["src", "test"]`. */
  dirs: string[];
  /** How long the watcher waits after a save for more (an editor writing several files); 50 ms by default. */
  quietMs?: number;
  /** Called once per burst of saves. */
  onSaves: (batch: SaveBatch) => void;
  /** The clock `firstSeenAt` is read from; `performance.now` by default. */
  now?: () => number;
}

/** A running watcher: `ready` resolves once every folder is watched, `close()` stops it. */
export interface SaveWatcher {
  ready: Promise<void>;
  close(): Promise<void>;
}

/** Watches the folders and calls `onSaves` with each burst of added, changed or deleted files. */
export function watchSaves(options: WatchSavesOptions): SaveWatcher {
  const { root, dirs, onSaves } = options;
  const quietMs = options.quietMs ?? 50;
  const now = options.now ?? (() => performance.now());
  let pending = new Set<string>();
  let firstSeenAt = 0;
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    timer = undefined;
    const files = [...pending].sort();
    const batch = { files, firstSeenAt };
    pending = new Set();
    firstSeenAt = 0;
    if (files.length > 0) onSaves(batch);
  };
  const watcher: FSWatcher = watch(
    dirs.map((d) => path.join(root, d)),
    { ignoreInitial: true, ignored: (file) => /(^|[\\/])(node_modules|\.git)([\\/]|$)/.test(file) },
  );
  // A folder that cannot be read (permissions, removed meanwhile) must not end watch mode.
  watcher.on("error", () => {});
  watcher.on("all", (event, file) => {
    if (event !== "add" && event !== "change" && event !== "unlink") return;
    pending.add(path.relative(root, file).split(path.sep).join("/"));
    firstSeenAt ||= now();
    clearTimeout(timer);
    timer = setTimeout(flush, quietMs);
  });
  const ready = new Promise<void>((resolve) => watcher.once("ready", () => resolve()));
  return {
    ready,
    async close() {
      clearTimeout(timer);
      await watcher.close();
    },
  };
}
