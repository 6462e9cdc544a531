import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** The project folder. */
export const ROOT = path.resolve(__dirname, "..", "..");

/**
 * The name the notebooks ask for, and what front ends show in their kernel picker: the project's own, so another
 * tslab course's `tslab` kernel on the same machine neither takes this one over nor is taken over by it.
 */
export const KERNEL_NAME = "lecture34";
export const KERNEL_DISPLAY_NAME = "TypeScript (tslab, lecture 34)";

/** Runs a command and returns its trimmed stdout, or `undefined` when it is missing or fails. */
export function run(cmd: string, args: string[]): string | undefined {
  try {
    return execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 60000 }).trim();
  } catch {
    return undefined;
  }
}

/**
 * The kernel.json that starts this checkout's pinned tslab with this Node. It carries nothing else of the
 * checkout: the notebooks import ../dist from their own folder, so one registration serves every copy.
 */
export function kernelSpec(root: string = ROOT): { argv: string[]; display_name: string; language: string } {
  return {
    argv: [
      process.execPath,
      path.join(root, "node_modules", "tslab", "bin", "tslab"),
      "kernel",
      "--config-path",
      "{connection_file}",
    ],
    display_name: KERNEL_DISPLAY_NAME,
    language: "typescript",
  };
}

/**
 * The user's Jupyter data folder, where every front end (JupyterLab, Notebook, VS Code) looks for kernels: what
 * `jupyter --data-dir` says when Jupyter is installed, otherwise the platform's default (VS Code needs no Jupyter).
 */
export function userDataDir(): string {
  const fromJupyter = run("jupyter", ["--data-dir"]);
  if (fromJupyter) return fromJupyter;
  if (process.env.JUPYTER_DATA_DIR) return process.env.JUPYTER_DATA_DIR;
  if (process.platform === "win32") return path.join(process.env.APPDATA ?? path.join(os.homedir(), "AppData", "Roaming"), "jupyter");
  if (process.platform === "darwin") return path.join(os.homedir(), "Library", "Jupyter");
  return path.join(process.env.XDG_DATA_HOME ?? path.join(os.homedir(), ".local", "share"), "jupyter");
}

/** A notebook front end: whether it is installed, how to open the notebooks with it, how to install it. */
export interface FrontEnd {
  name: string;
  version?: string;
  open: string;
  install: string;
}

/** Finds the front ends installed on this machine; the list always has all three, `version` set when found. */
export function frontEnds(): FrontEnd[] {
  const lab = run("jupyter", ["lab", "--version"]);
  const notebook = run("jupyter", ["notebook", "--version"]);
  const code = run("code", ["--version"])?.split("\n")[0];
  return [
    {
      name: "JupyterLab",
      version: lab,
      open: "jupyter lab notebooks/",
      install: "pipx install jupyterlab   (or: python3 -m pip install --user jupyterlab; Debian/Ubuntu do not package JupyterLab)",
    },
    {
      name: `Jupyter Notebook${notebook ? ` ${notebook}` : ""}`,
      version: notebook,
      open: "jupyter notebook notebooks/",
      install: "Debian/Ubuntu: sudo apt-get install jupyter-notebook   (elsewhere: pipx install notebook)",
    },
    {
      name: "VS Code",
      version: code,
      open: "code . notebooks/01-tiered-pipeline-context.ipynb   (trust the folder; Select Kernel ▸ Jupyter Kernel… ▸ \"TypeScript (tslab, lecture 34)\")",
      install: "install VS Code and its Jupyter extension (ms-toolsai.jupyter); it needs no Python",
    },
  ];
}

/** The kernel registered under {@link KERNEL_NAME} in the user's data folder, if any. */
export function registeredKernel(dataDir: string = userDataDir()): { file: string; spec: { argv: string[]; display_name: string } } | undefined {
  const file = path.join(dataDir, "kernels", KERNEL_NAME, "kernel.json");
  try {
    return { file, spec: JSON.parse(fs.readFileSync(file, "utf8")) as { argv: string[]; display_name: string } };
  } catch {
    return undefined;
  }
}
