// @ts-check
/**
 * Small JSON entries on disk for caches that only save time: an entry that is missing, unreadable or cannot be
 * written is simply not there. Each entry is written to a temporary file and renamed, so processes that share the
 * folder never read half an entry. Plain CommonJS, so the student's transpile cache (tools/student/transpileCache.cjs)
 * loads it without TypeScript.
 */
const fs = require("node:fs");
const path = require("node:path");

/**
 * Reads one entry.
 * @param {string} file - the entry's file
 * @returns {unknown} the parsed entry, or `undefined` when there is none or it cannot be read
 */
function readEntry(file) {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
}

/**
 * Writes one entry, creating its folder; a failure is ignored (the cache only costs time).
 * @param {string} file - the entry's file
 * @param {unknown} value - anything `JSON.stringify` takes
 */
function writeEntry(file, value) {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const partial = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(partial, JSON.stringify(value));
    fs.renameSync(partial, file);
  } catch {
    // read-only or full disk: the next run does the work again
  }
}

module.exports = { readEntry, writeEntry };
