import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

/** The newest modification time of any file under `dir` (0 when it does not exist). */
function newestMtime(dir: string): number {
  if (!fs.existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath ?? (entry as { path?: string }).path ?? dir, entry.name);
    newest = Math.max(newest, fs.statSync(file).mtimeMs);
  }
  return newest;
}

/** Whether dist/ is newer than every file under src/ and the build config and had no errors, so a build would change nothing. */
export function distUpToDate(root: string): boolean {
  const info = path.join(root, "dist", ".tsbuildinfo");
  if (!fs.existsSync(info)) return false;
  const built = fs.statSync(info).mtimeMs;
  // The last build reported errors ("category":1 diagnostics): build again so they are shown again.
  if (fs.readFileSync(info, "utf8").includes('"category":1')) return false;
  return newestMtime(path.join(root, "src")) < built && ["tsconfig.json", "tsconfig.build.json"].every((f) => !fs.existsSync(path.join(root, f)) || fs.statSync(path.join(root, f)).mtimeMs < built);
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
