// @ts-check
/**
 * Preloaded after ts-node by `npm test` and `npm run watch` (`-r ts-node/register/transpile-only -r
 * ./tools/student/transpileCache.cjs`): keeps the JavaScript ts-node makes of each `.ts` file in
 * node_modules/.cache/lecture34/transpile/, so the next run transpiles only the files that changed since. Like
 * jest's and babel-loader's caches, an entry is used only for the very same source text, file name, compiler options
 * and TypeScript and ts-node versions, so a changed file is never served stale; each file has one entry, so the cache
 * stays the size of the project. Stack traces keep pointing into the `.ts` files: the cached JavaScript carries its
 * source map, handed to source-map-support (which ts-node installs) on request. Plain CommonJS, so a run whose files
 * are all cached never starts TypeScript's compiler.
 *
 * Only the student's own commands use it; the grader transpiles for itself and never reads this folder.
 */
const { createHash } = require("node:crypto");
const path = require("node:path");
const { readEntry, writeEntry } = require("../core/fileCache.cjs");

/** Bump when an entry's shape or meaning changes. */
const FORMAT = 1;

/** Where the entries live: the usual place for tools' caches (node_modules/.cache), so `npm ci` clears it. */
const TRANSPILE_CACHE_DIR = path.join(__dirname, "..", "..", "node_modules", ".cache", "lecture34", "transpile");

/**
 * @typedef {{ compile(code: string, fileName: string, lineOffset?: number): string; config: { options: object }; ts: { version: string } }} TsNodeService
 *   the part of ts-node's registered service this cache uses (its documented `Service` API)
 * @typedef {{ key: string; output: string }} Entry one cached file: the key it was made for and ts-node's output
 */

/**
 * Wraps a ts-node service's `compile` with the on-disk cache and an in-memory one, and makes source-map-support find
 * the source maps of the files it serves.
 * @param {TsNodeService} service - the service `ts-node/register` made
 * @param {string} dir - the cache folder
 * @returns {Map<string, Entry>} the files served so far, by name (what source-map-support reads)
 */
function cacheTranspiles(service, dir = TRANSPILE_CACHE_DIR) {
  const compile = service.compile.bind(service);
  const settings = JSON.stringify([FORMAT, service.ts.version, require("ts-node").VERSION, service.config.options]);
  /** @type {Map<string, Entry>} */
  const served = new Map();
  service.compile = (code, fileName, lineOffset) => {
    if (lineOffset) return compile(code, fileName, lineOffset);
    const key = createHash("sha256").update(settings).update("\0").update(fileName).update("\0").update(code).digest("hex");
    const memory = served.get(fileName);
    if (memory?.key === key) return memory.output;
    const slot = path.join(dir, `${createHash("sha256").update(fileName).digest("hex").slice(0, 32)}.json`);
    const stored = /** @type {Partial<Entry> | undefined} */ (readEntry(slot));
    /** @type {Entry} */
    let entry;
    if (stored?.key === key && typeof stored.output === "string") {
      entry = { key, output: stored.output };
    } else {
      entry = { key, output: compile(code, fileName) };
      writeEntry(slot, entry);
    }
    served.set(fileName, entry);
    return entry.output;
  };
  // ts-node answers source-map-support from its own memory, which a cached file never entered. (ts-node hands its own
  // copy, @cspotcode/source-map-support, to whoever requires "source-map-support", so this is the one it installed.)
  require("source-map-support").install({ environment: "node", retrieveFile: (/** @type {string} */ file) => served.get(file)?.output ?? null });
  return served;
}

const registered = /** @type {TsNodeService | undefined} */ (/** @type {any} */ (process)[Symbol.for("ts-node.register.instance")]);
if (registered) cacheTranspiles(registered);

module.exports = { cacheTranspiles, TRANSPILE_CACHE_DIR };
