import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { ENV, EVENTS_FD, parseEventLine, type PlannedTest } from "./protocol";
import { CHILD, TS_NODE, tsconfigFor } from "./runChild";

/**
 * Lists an exercise's tests from trusted code (the instructor's own checkout): loads the test files with mocha and
 * reports their IDs without running them. This list, not a submission's child, decides what is expected.
 */
export async function listTests(options: { root: string; files: string[]; tsconfig?: string }): Promise<{ tests: PlannedTest[]; error?: string }> {
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
