import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { graderCacheDir } from "./cacheDir";
import { filesUnder } from "./files";
import { ENV, EVENTS_FD, parseEventLine, type PlannedTest } from "./protocol";
import { CHILD, TS_NODE, tsconfigFor } from "./runChild";

/**
 * Lists an exercise's tests from trusted code (the instructor's own checkout): loads the test files with mocha and
 * reports their IDs without running them. This list, not a submission's child, decides what is expected.
 */
export async function listTests(options: { root: string; files: string[]; tsconfig?: string }): Promise<{ tests: PlannedTest[]; error?: string }> {
  const cacheFile = path.join(graderCacheDir(options.root, "test-lists"), `${listingKey(options)}.json`);
  try {
    return { tests: JSON.parse(fs.readFileSync(cacheFile, "utf8")) as PlannedTest[] };
  } catch {
    // not listed yet for these test and source files
  }
  const listed = await listTestsNow(options);
  if (listed.error === undefined && listed.tests.length > 0) {
    fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
    const partial = `${cacheFile}.${process.pid}.tmp`;
    fs.writeFileSync(partial, JSON.stringify(listed.tests));
    fs.renameSync(partial, cacheFile);
  }
  return listed;
}

/**
 * The cache key of a listing: the files asked for, the tsconfig, Node's version and the content of every file under
 * the trusted checkout's test/ and src/ (titles may be built from source constants). Only the grading process, never
 * student code (the sandbox can neither read nor write it), writes the cache, in .cache/grader/test-lists/.
 */
function listingKey(options: { root: string; files: string[]; tsconfig?: string }): string {
  const hash = createHash("sha256").update(JSON.stringify([options.files, tsconfigFor(options), process.version]));
  for (const folder of ["test", "src"]) {
    for (const file of filesUnder(path.join(options.root, folder))) hash.update(file).update(fs.readFileSync(file));
  }
  return hash.digest("hex");
}

async function listTestsNow(options: { root: string; files: string[]; tsconfig?: string }): Promise<{ tests: PlannedTest[]; error?: string }> {
  const nonce = randomBytes(18).toString("base64url");
  const tsconfig = tsconfigFor(options);
  const child = spawn(process.execPath, ["-r", TS_NODE, CHILD], {
    cwd: options.root,
    stdio: ["ignore", "ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      NODE_OPTIONS: "",
      TS_NODE_TRANSPILE_ONLY: "true",
      TS_NODE_PROJECT: tsconfig,
      [ENV.nonce]: nonce,
      [ENV.files]: JSON.stringify(options.files),
      [ENV.mode]: "list",
    },
  });
  let text = "";
  let stderr = "";
  (child.stdio[EVENTS_FD] as NodeJS.ReadableStream).on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
  child.stderr!.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString("utf8")).slice(-4000)));
  await new Promise((resolve) => child.on("close", resolve));
  for (const line of text.split("\n")) {
    const event = parseEventLine(line, nonce);
    if (event?.type === "plan") return { tests: event.tests };
    if (event?.type === "load-error") return { tests: [], error: event.message };
  }
  return { tests: [], error: `listing the tests failed: ${stderr.slice(-2000)}` };
}
