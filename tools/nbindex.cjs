#!/usr/bin/env node
// @ts-check
/**
 * Keeps `git status` clean after a notebook is run and saved. git stores notebooks through the nbstrip clean filter
 * (tools/nbstrip.cjs), but `git status` trusts a changed file size before it runs any filter, so a saved notebook
 * with outputs is listed as modified although `git diff` is empty. Re-recording a notebook's index entry with its
 * own blob (`git update-index --cacheinfo`) leaves what git would commit unchanged and forgets the recorded size,
 * so the next `git status` compares contents through the filter: an unchanged notebook is clean, an edited one is
 * still listed. The kernel (`npm run kernel` registers it with tools/kernelPreload.cjs) does this when it starts and
 * after every save, in every front end, for the notebooks of the folder it was started in (whichever checkout
 * registered it); the command is the fallback.
 *
 *   node tools/nbindex.cjs [FILE...]   refreshes the index entries of these notebooks (default: notebooks/*.ipynb)
 */
const fs = require("node:fs");
const path = require("node:path");
const { execFile } = require("node:child_process");

const ROOT = path.resolve(__dirname, "..");
const NOTEBOOKS = path.join(ROOT, "notebooks");
/** How long to wait after a save before touching the index: front ends write a notebook in several steps. */
const SETTLE_MS = 400;
/** How often the kernel tries while other git commands hold the index lock (waiting longer each time). */
const BUSY_ATTEMPTS = 5;

/**
 * @param {string} dir @param {string[]} args @param {NodeJS.ProcessEnv} [env]
 * @returns {Promise<string>} git's stdout; rejects when git fails or is missing
 */
function git(dir, args, env = process.env) {
  return new Promise((resolve, reject) => {
    execFile("git", ["-C", dir, ...args], { encoding: "utf8", timeout: 20_000, env }, (error, stdout) => (error ? reject(error) : resolve(stdout)));
  });
}

/** The blob of an empty file: what `git add -N` (intent to add) records, never a notebook's content. */
const EMPTY_BLOB = /^(e69de29bb2d1d6434b8b29ae775ad8c2e48c5391|473a0f4c3be8a93681a267e3b1e9a7dcda1185436fe141f7749120a303721813)$/;

/**
 * Forgets the recorded stat data of these tracked notebooks, keeping their staged content. It holds git's own
 * index lock from reading the entries to writing them back, so no other git command can change them in between;
 * when another git command holds the lock, it gives up (the next save tries again). Untracked files, conflicted
 * entries, intent-to-add, assume-unchanged and skip-worktree entries, and a missing git or repository are skipped.
 * Only notebooks that git stores through the nbstrip filter are touched.
 * @param {string} dir - the folder of the notebooks
 * @param {string[]} names - their file names in it
 * @returns {Promise<string[] | "busy">} the refreshed paths (from the repository's top), or "busy"
 */
async function refreshIn(dir, names) {
  let index;
  /** @type {string[]} */
  let filtered;
  try {
    index = path.resolve(dir, (await git(dir, ["rev-parse", "--git-path", "index"])).trim());
    const attributes = (await git(dir, ["check-attr", "-z", "filter", "--", ...names])).split("\0");
    filtered = names.filter((_, i) => attributes[i * 3 + 2] === "nbstrip");
  } catch {
    return [];
  }
  if (filtered.length === 0) return [];
  const lock = `${index}.lock`;
  const scratch = `${index}.nbindex`;
  let held;
  try {
    held = fs.openSync(lock, "wx");
  } catch {
    return "busy";
  }
  try {
    if (!fs.existsSync(index)) return [];
    fs.copyFileSync(index, scratch);
    const env = { ...process.env, GIT_INDEX_FILE: scratch };
    const listing = await git(dir, ["ls-files", "--stage", "-v", "--full-name", "-z", "--", ...filtered], env);
    const entries = listing
      .split("\0")
      .map((line) => /^(\S) (\d+) ([0-9a-f]+) (\d)\t(.*)$/s.exec(line))
      .filter((m) => m !== null && m[1] === "H" && m[4] === "0" && !EMPTY_BLOB.test(m[3]))
      .map((m) => ({ mode: String(m?.[2]), blob: String(m?.[3]), file: String(m?.[5]) }));
    if (entries.length === 0) return [];
    await git(dir, ["update-index", ...entries.flatMap((e) => ["--cacheinfo", `${e.mode},${e.blob},${e.file}`])], env);
    fs.renameSync(scratch, index); // still under the lock, as git itself commits an index
    return entries.map((e) => e.file);
  } catch {
    return [];
  } finally {
    fs.closeSync(held);
    fs.rmSync(scratch, { force: true });
    fs.rmSync(lock, { force: true });
  }
}

/**
 * Refreshes the index entries of these notebooks (see `refreshIn`), folder by folder.
 * @param {string[]} files - notebook paths, absolute or relative to the current folder
 * @returns {Promise<string[] | "busy">} the refreshed paths (from the repository's top), or "busy" when a folder's
 *   repository was busy
 */
async function refresh(files) {
  /** @type {Map<string, string[]>} */
  const byDir = new Map();
  for (const file of files.map((f) => path.resolve(f))) byDir.set(path.dirname(file), [...(byDir.get(path.dirname(file)) ?? []), path.basename(file)]);
  /** @type {string[]} */
  const done = [];
  let busy = false;
  for (const [dir, names] of byDir) {
    const result = await refreshIn(dir, names);
    if (result === "busy") busy = true;
    else done.push(...result);
  }
  return busy && done.length === 0 ? "busy" : done;
}

/**
 * The notebooks' folder a kernel serves: its working folder when that holds notebooks (Jupyter and VS Code start a
 * kernel in the notebook's folder, whichever checkout registered it), otherwise this project's notebooks/.
 */
function kernelNotebooks() {
  try {
    if (fs.readdirSync(process.cwd()).some((f) => f.endsWith(".ipynb"))) return process.cwd();
  } catch {
    // no working folder to read
  }
  return NOTEBOOKS;
}

/**
 * Refreshes each notebook of a folder once shortly after the process starts, then shortly after each change, for
 * as long as the process lives, without keeping it alive.
 * @param {string} [dir] - the notebooks' folder; default the one the kernel serves
 * @returns {() => void} stops watching
 */
function watch(dir = kernelNotebooks()) {
  /** @type {Map<string, NodeJS.Timeout>} */
  const pending = new Map();
  let watcher;
  try {
    /** @param {string} file @param {number} attempt */
    const schedule = (file, attempt) => {
      clearTimeout(pending.get(file));
      const timer = setTimeout(async () => {
        pending.delete(file);
        // An editor's `git status` often holds the index lock right after a save: each try reads afresh.
        if ((await refreshIn(dir, [file])) === "busy" && attempt < BUSY_ATTEMPTS) schedule(file, attempt + 1);
      }, SETTLE_MS * attempt);
      timer.unref();
      pending.set(file, timer);
    };
    watcher = fs.watch(dir, { persistent: false }, (_event, name) => {
      const file = String(name ?? "");
      if (file.endsWith(".ipynb") && !file.startsWith(".")) schedule(file, 1);
    });
    watcher.on("error", () => watcher?.close());
    // Notebooks saved while no kernel ran (an autosave after Close and Halt, say) are refreshed when one starts.
    for (const file of fs.readdirSync(dir)) if (file.endsWith(".ipynb") && !file.startsWith(".")) schedule(file, 1);
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
  const files = named.length > 0 ? named : fs.existsSync(NOTEBOOKS) ? fs.readdirSync(NOTEBOOKS).filter((f) => f.endsWith(".ipynb")).map((f) => path.join(NOTEBOOKS, f)) : [];
  void refresh(files).then((done) => {
    if (done === "busy") {
      console.error("another git command is using the index (.git/index.lock exists): try again in a moment");
      process.exitCode = 1;
    } else {
      console.log(done.length > 0 ? `git index refreshed: ${done.join(", ")}` : "no tracked notebook to refresh");
    }
  });
}

module.exports = { refresh, refreshIn, watch };
