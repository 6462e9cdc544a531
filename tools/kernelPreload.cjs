// @ts-check
/**
 * Preloaded into the tslab kernel that `npm run kernel` registers (`node --require tools/kernelPreload.cjs tslab
 * kernel …`): while the kernel runs, a notebook saved with outputs is not listed by `git status` (tools/nbindex.cjs).
 * It watches without keeping the kernel alive and never writes to its output.
 */
require("./nbindex.cjs").watch();
