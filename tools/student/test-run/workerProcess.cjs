// @ts-check
/**
 * Starts one of watch mode's test workers (tools/student/test-run/worker.ts). Plain CommonJS, so `npm run watch`
 * (tools/student/watch.cjs) can start the first run's workers before it loads TypeScript itself.
 */
const { fork } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

/**
 * Forks a worker that loads ts-node, the mocha driver and the test libraries, says it is ready and waits for one run.
 * @param {string} root - the project folder (the worker's working directory)
 * @param {boolean} [waiting] - whether the worker waits for a save: it then loads the exercises' files meanwhile
 *   (warmTranspile.cjs), transpiling them itself so that TypeScript is warmed up for the one file a save changes.
 *   A worker for a run that starts at once reuses what earlier runs transpiled (transpileCache.cjs) instead.
 * @returns {{ child: import("node:child_process").ChildProcess; ready: Promise<void> }} the process, and a promise
 *   that settles once it is ready or gone
 */
function startWorker(root, waiting = false) {
  const tsconfig = path.join(root, "tsconfig.json");
  const preload = [require.resolve("ts-node/register/transpile-only"), path.join(__dirname, "..", waiting ? "warmTranspile.cjs" : "transpileCache.cjs")];
  const child = fork(path.join(__dirname, "worker.ts"), [], {
    cwd: root,
    execArgv: preload.flatMap((file) => ["-r", file]),
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "true", ...(fs.existsSync(tsconfig) ? { TS_NODE_PROJECT: tsconfig } : {}), FORCE_COLOR: "0" },
    stdio: ["ignore", "ignore", "ignore", "ipc"],
  });
  child.on("error", () => {});
  /** @type {Promise<void>} */
  const ready = new Promise((resolve) => {
    child.once("message", () => resolve());
    child.once("exit", () => resolve());
  });
  return { child, ready };
}

module.exports = { startWorker };
