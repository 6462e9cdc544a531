#!/usr/bin/env node
// @ts-check
/**
 * Keeps `git status` clean after a notebook is run and saved. git stores notebooks through the nbstrip clean filter
 * (tools/nbstrip.cjs), but `git status` trusts a changed file size before it runs any filter, so a saved notebook
 * with outputs is listed as modified although `git diff` is empty. Re-recording a notebook's index entry with its
 * own blob (`git update-index --cacheinfo`) leaves what git would commit unchanged and forgets the recorded size,
 * so the next `git status` compares contents through the filter: an unchanged notebook is clean, an edited one is
 * still listed. The kernel (`npm run kernel` registers it with tools/kernelPreload.cjs) does this after every save, in
 * every front end; the command is the fallback.
 *
 *   node tools/nbindex.cjs [FILE...]   refreshes the index entries of these notebooks (default: notebooks/*.ipynb)
 *   tools/kernelPreload.cjs (the kernel)  refreshes each notebook of notebooks/ shortly after it is saved
 */
const fs = require("node:fs");
const path = require("node:path");
const { execFile } = require("node:child_process");

const ROOT = path.resolve(__dirname, "..");
const NOTEBOOKS = path.join(ROOT, "notebooks");
/** How long to wait after a save before touching the index: front ends write a notebook in several steps. */
const SETTLE_MS = 400;
/** How often to try when another git command holds the index lock. */
const LOCK_ATTEMPTS = 6;

/** @param {string[]} args @returns {Promise<string>} git's stdout; rejects when git fails or is missing */
function git(args) {
  return new Promise((resolve, reject) => {
    execFile("git", ["-C", ROOT, ...args], { encoding: "utf8", timeout: 20_000 }, (error, stdout) => (error ? reject(error) : resolve(stdout)));
  });
}

/**
 * Forgets the recorded stat data of these tracked notebooks, keeping their staged content; untracked files,
 * conflicted entries and a missing git or repository are skipped without a word.
 * @param {string[]} files - notebook paths, absolute or relative to the project folder
 * @returns {Promise<string[]>} the project-relative paths whose entries were refreshed
 */
async function refresh(files) {
  const relative = files.map((f) => path.relative(ROOT, path.resolve(ROOT, f)).split(path.sep).join("/"));
  let listing;
  try {
    listing = await git(["ls-files", "--stage", "-z", "--", ...relative]);
  } catch {
    return [];
  }
  const entries = listing
    .split("\0")
    .filter(Boolean)
    .map((line) => /^(\d+) ([0-9a-f]+) (\d)\t(.*)$/s.exec(line))
    .filter((m) => m !== null && m[3] === "0");
  if (entries.length === 0) return [];
  const args = entries.flatMap((m) => ["--cacheinfo", `${m?.[1]},${m?.[2]},${m?.[4]}`]);
  for (let attempt = 1; ; attempt++) {
    try {
      await git(["update-index", ...args]);
      return entries.map((m) => String(m?.[4]));
    } catch {
      // Another git command (an editor's `git status`, say) holds the index lock: try again a little later.
      if (attempt === LOCK_ATTEMPTS) return [];
      await new Promise((resolve) => setTimeout(resolve, 150 * attempt).unref());
    }
  }
}

/**
 * Refreshes each notebook of notebooks/ shortly after it changes, for as long as the process lives, without
 * keeping it alive.
 * @returns {() => void} stops watching
 */
function watch() {
  /** @type {Map<string, NodeJS.Timeout>} */
  const pending = new Map();
  let watcher;
  try {
    watcher = fs.watch(NOTEBOOKS, { persistent: false }, (_event, name) => {
      const file = String(name ?? "");
      if (!file.endsWith(".ipynb") || file.startsWith(".")) return;
      clearTimeout(pending.get(file));
      const timer = setTimeout(() => {
        pending.delete(file);
        void refresh([path.join(NOTEBOOKS, file)]);
      }, SETTLE_MS);
      timer.unref();
      pending.set(file, timer);
    });
    watcher.on("error", () => watcher?.close());
  } catch {
    return () => {};
  }
  return () => {
    watcher?.close();
    for (const timer of pending.values()) clearTimeout(timer);
  };
}

if (require.main === module) {
  const named = process.argv.slice(2);
  const files = named.length > 0 ? named : fs.readdirSync(NOTEBOOKS).filter((f) => f.endsWith(".ipynb")).map((f) => path.join(NOTEBOOKS, f));
  void refresh(files).then((done) => console.log(done.length > 0 ? `git index refreshed: ${done.join(", ")}` : "no tracked notebook to refresh"));
}

module.exports = { refresh, watch };
