// @ts-check
/**
 * Preloaded into watch mode's waiting test worker after ts-node (`-r ts-node/register/transpile-only -r
 * tools/student/warmTranspile.cjs`): while the student types, it transpiles the files the exercises' tests load
 * (every exercise's tests and sources in grading.json, src/shared/ and test/helpers/) and keeps the output, so
 * after a save only the saved file is transpiled again, by a TypeScript already warmed up. An output is reused only
 * for the very same source text, so a changed file is never served stale; stack traces keep their source maps
 * (ts-node records them). `npm install` also runs it once behind tools/student/transpileCache.cjs, to fill that
 * cache for the first `npm test` and `npm run watch`.
 */
const fs = require("node:fs");
const path = require("node:path");

/** @type {{ compile(code: string, fileName: string, lineOffset?: number): string } | undefined} */
const service = /** @type {any} */ (process)[Symbol.for("ts-node.register.instance")];

/** Every `.ts` file under a folder (none when it is missing). */
function tsFilesUnder(/** @type {string} */ dir) {
  /** @type {string[]} */
  const found = [];
  let entries;
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return found;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...tsFilesUnder(full));
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) found.push(full);
  }
  return found;
}

/** What the exercises' tests load: each one's test files and sources (grading.json), the shared code and the test helpers. */
function exerciseFiles(/** @type {string} */ root) {
  const shared = ["src/shared", "test/helpers"];
  try {
    /** @type {{ exercises: { tests: string[]; sources: string[] }[] }} */
    const config = JSON.parse(fs.readFileSync(path.join(root, "grading.json"), "utf8"));
    return [...config.exercises.flatMap((ex) => [...ex.tests, ...ex.sources]), ...shared];
  } catch {
    return ["src", ...shared];
  }
}

if (service) {
  const compile = service.compile;
  /** @type {Map<string, { code: string; output: string }>} */
  const outputs = new Map();
  service.compile = (code, fileName, lineOffset) => {
    const kept = outputs.get(fileName);
    if (kept && kept.code === code && !lineOffset) return kept.output;
    const output = compile(code, fileName, lineOffset);
    if (!lineOffset) outputs.set(fileName, { code, output });
    return output;
  };
  const root = process.cwd();
  const files = exerciseFiles(root).flatMap((p) =>
    p.endsWith(".ts") ? [path.resolve(root, p)] : tsFilesUnder(path.resolve(root, p)),
  );
  // One file per turn of the event loop, so a request that comes meanwhile is not kept waiting for all of them.
  const next = () => {
    const file = files.shift();
    if (file === undefined) return;
    try {
      if (!outputs.has(file)) service.compile(fs.readFileSync(file, "utf8"), file);
    } catch {
      // Unreadable or not valid TypeScript: the test run will say so when it loads the file.
    }
    setImmediate(next);
  };
  setImmediate(next);
}
