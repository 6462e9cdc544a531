import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { buildProblems } from "../../../src/notebook/buildCheck";

/**
 * Whether dist/ is the error-free build of the current src/ (by content, as the notebooks check) and newer than the
 * build config, so a build would change nothing. After type errors it builds again, so they are shown again.
 */
export function distUpToDate(root: string): boolean {
  const info = path.join(root, "dist", ".tsbuildinfo");
  if (!fs.existsSync(info)) return false;
  const built = fs.statSync(info).mtimeMs;
  if (buildProblems(path.join(root, "dist")).length > 0) return false;
  return ["tsconfig.json", "tsconfig.build.json"].every((f) => !fs.existsSync(path.join(root, f)) || fs.statSync(path.join(root, f)).mtimeMs < built);
}

/**
 * Builds dist/ with the pinned TypeScript in a child process (so the tests run meanwhile) and describes the result
 * in one line; skips the build when dist/ is up to date.
 */
export function buildLibrary(root: string, options: { force?: boolean } = {}): Promise<string> {
  if (!fs.existsSync(path.join(root, "tsconfig.build.json"))) return Promise.resolve("");
  if (!options.force && distUpToDate(root)) return Promise.resolve("Build: dist/ is up to date.");
  const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc");
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [tsc, "-p", "tsconfig.build.json", "--pretty", "false"], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString("utf8")));
    child.stderr.on("data", (c: Buffer) => (output += c.toString("utf8")));
    child.on("close", (code) => {
      if (code === 0) {
        resolve("Build: dist/ rebuilt (re-run a notebook's setup cell to use it).");
        return;
      }
      const errors = output.split("\n").filter((l) => /error TS\d+/.test(l));
      resolve(`Build: ${errors.length} type error(s), the tests ran anyway; first: ${errors[0] ?? output.trim().split("\n")[0] ?? "see npm run build"}`);
    });
  });
}
