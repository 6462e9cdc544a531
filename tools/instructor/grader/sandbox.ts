import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** What one run of untrusted code may touch and use. */
export interface Sandbox {
  /** Files and folders it may read (everything else, including /proc, is refused). */
  read: string[];
  /** Folders it may write (its private temporary folder). */
  write: string[];
  /** V8 heap limit (`--max-old-space-size`). */
  heapMb: number;
  /** Address-space limit for the whole process (`ulimit -v`), which also bounds Buffers and ArrayBuffers. */
  virtualMb: number;
  /** Turn Node's permission model on (fs read/write lists, no child processes, workers, addons or WASI). */
  permission: boolean;
}

/** Default memory limits; grading.json may override them under `limits`. */
export const DEFAULT_LIMITS = { heapMb: 1024, virtualMb: 4096 } as const;

const major = Number(process.versions.node.split(".")[0]);

/** The permission-model flag of this Node: `--permission` from Node 22, `--experimental-permission` before. */
export const PERMISSION_FLAG = major >= 22 ? "--permission" : "--experimental-permission";

/** Whether this Node has a permission model at all (Node 20 and newer). */
export const HAS_PERMISSION_MODEL = major >= 20;

/** How this Node takes several allowed paths: one flag per path (newer), one comma-separated flag (early 20.x), or no model. */
export type PermissionSyntax = "repeat" | "comma" | "none";

let syntaxCache: PermissionSyntax | undefined;

/**
 * Finds out, once per process, how this Node's permission model takes several paths, by starting node with two
 * allowed folders and reading both.
 */
export function permissionSyntax(): PermissionSyntax {
  if (syntaxCache) return syntaxCache;
  if (!HAS_PERMISSION_MODEL) return (syntaxCache = "none");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "grade-probe-"));
  const [a, b] = ["a", "b"].map((name) => path.join(dir, name));
  try {
    for (const d of [a, b]) fs.mkdirSync(d);
    const script = `const fs = require("fs"); fs.readdirSync(${JSON.stringify(a)}); fs.readdirSync(${JSON.stringify(b)});`;
    const works = (flags: string[]) => spawnSync(process.execPath, [PERMISSION_FLAG, ...flags, "-e", script], { stdio: "ignore", timeout: 20_000 }).status === 0;
    syntaxCache = works([`--allow-fs-read=${a}`, `--allow-fs-read=${b}`]) ? "repeat" : works([`--allow-fs-read=${a},${b}`]) ? "comma" : "none";
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return syntaxCache;
}

/**
 * The command that starts `node <nodeArgs>` inside the sandbox: the permission model's flags, a heap limit and,
 * where `/bin/sh` exists, an address-space limit set with `ulimit -v` by a shell that then `exec`s node (so the
 * process spawned is node itself and signals reach it directly).
 */
export function sandboxCommand(nodeArgs: string[], sandbox: Sandbox, syntax: PermissionSyntax = permissionSyntax()): { command: string; args: string[] } {
  const flags = [`--max-old-space-size=${sandbox.heapMb}`];
  if (sandbox.permission && syntax !== "none") {
    const allow = (name: string, paths: string[]) => (syntax === "repeat" ? paths.map((p) => `--allow-fs-${name}=${p}`) : [`--allow-fs-${name}=${paths.join(",")}`]);
    flags.push(PERMISSION_FLAG, ...allow("read", unique(sandbox.read)), ...allow("write", unique(sandbox.write)));
  }
  const node = [...flags, ...nodeArgs];
  if (process.platform !== "win32" && fs.existsSync("/bin/sh")) {
    const kb = Math.floor(sandbox.virtualMb * 1024);
    return { command: "/bin/sh", args: ["-c", `ulimit -v ${kb} 2>/dev/null; exec "$0" "$@"`, process.execPath, ...node] };
  }
  return { command: process.execPath, args: node };
}

function unique(paths: string[]): string[] {
  return [...new Set(paths.map((p) => path.resolve(p)))];
}

/** The `node_modules` folder this grader's own dependencies (mocha, ts-node) come from. */
export function graderNodeModules(): string {
  return path.resolve(path.dirname(require.resolve("mocha/package.json")), "..");
}
