// @ts-check
/**
 * `npm run watch` starts here. The first run's test workers, one per core (at most one per exercise), start loading
 * at once; watch mode itself (tools/student/watch.ts) loads with ts-node meanwhile and hands them their exercises.
 * Starting them before TypeScript loads here brings the first screen about half a second sooner.
 */
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { startWorker } = require("./test-run/workerProcess.cjs");

const root = process.cwd();
let exercises = os.availableParallelism();
try {
  exercises = JSON.parse(fs.readFileSync(path.join(root, "grading.json"), "utf8")).exercises.length || exercises;
} catch {
  // watch.ts reports an unreadable grading.json
}
const firstWorkers = Array.from({ length: Math.max(1, Math.min(os.availableParallelism(), exercises)) }, () => startWorker(root));
require("ts-node/register/transpile-only");
require("./transpileCache.cjs");
require("./watch.ts").start(firstWorkers);
