#!/usr/bin/env node
// @ts-check
/**
 * `npm run doctor`: checks what the notebooks and tests need — Node, the installed dependencies, the build, a
 * notebook front end, the registered kernel, nbconvert (for `npm run notebooks`) and git's notebook filter — and
 * prints one line per finding; each problem names the command that fixes it, and the exit code is 1 when there is
 * one. Plain JavaScript with no dependency, so it also runs on a fresh clone before `npm ci`.
 */
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..", "..");
/** The kernel the notebooks ask for (tools/student/frontEnds.ts registers it; a test keeps the two in step). */
const KERNEL_NAME = "lecture34";
const KERNEL_DISPLAY_NAME = "TypeScript (tslab, lecture 34)";
const TSLAB_VERSION = "1.0.22";

/**
 * One finding: what was found and, for a problem, the command that fixes it.
 * @typedef {{ ok: boolean; what: string; fix?: string }} Finding
 */

/** Runs a command; its trimmed stdout, or `undefined` when it is missing or fails. */
function run(/** @type {string} */ cmd, /** @type {string[]} */ args) {
  try {
    return execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 60000 }).trim();
  } catch {
    return undefined;
  }
}

/** The version of an installed package (in this checkout unless `modules` says where), or `undefined`. */
function version(/** @type {string} */ pkg, modules = path.join(ROOT, "node_modules")) {
  try {
    return JSON.parse(fs.readFileSync(path.join(modules, pkg, "package.json"), "utf8")).version;
  } catch {
    return undefined;
  }
}

/** The user's Jupyter data folder, where every front end looks for kernels (as tools/student/frontEnds.ts finds it). */
function userDataDir() {
  const fromJupyter = run("jupyter", ["--data-dir"]);
  if (fromJupyter) return fromJupyter;
  if (process.env.JUPYTER_DATA_DIR) return process.env.JUPYTER_DATA_DIR;
  if (process.platform === "win32") return path.join(process.env.APPDATA ?? path.join(os.homedir(), "AppData", "Roaming"), "jupyter");
  if (process.platform === "darwin") return path.join(os.homedir(), "Library", "Jupyter");
  return path.join(process.env.XDG_DATA_HOME ?? path.join(os.homedir(), ".local", "share"), "jupyter");
}

/** @returns {Finding} */
function checkNode() {
  const major = Number(process.versions.node.split(".")[0]);
  return { ok: major >= 20, what: `Node.js ${process.version} (needs >= 20)`, fix: "install Node.js 22 or 24 from https://nodejs.org" };
}

/** @returns {Finding} */
function checkDependencies() {
  if (!fs.existsSync(path.join(ROOT, "node_modules"))) return { ok: false, what: "dependencies: node_modules/ is missing", fix: "npm ci" };
  const ts = version("typescript");
  const tslab = version("tslab");
  return {
    ok: ts?.startsWith("5.9.") === true && tslab === TSLAB_VERSION && version("ts-node") !== undefined,
    what: `dependencies: typescript ${ts ?? "missing"} (needs 5.9.x), tslab ${tslab ?? "missing"} (needs ${TSLAB_VERSION}), ts-node ${version("ts-node") ?? "missing"}`,
    fix: "npm ci",
  };
}

/** @returns {Finding} */
function checkTscCommand() {
  let target = "";
  try {
    target = fs.realpathSync(path.join(ROOT, "node_modules", ".bin", "tsc"));
  } catch {
    // not installed, or Windows .cmd shims (npm install's prepare step rewrites them)
  }
  const tslabs = target.includes("typescript-for-tslab");
  const what = tslabs ? "npx tsc runs tslab's TypeScript 5.0, which cannot compile `using`" : target ? "npx tsc runs the pinned TypeScript" : "npx tsc: not installed yet";
  return { ok: !tslabs, what, fix: "npm install   (its prepare step points npx tsc at the pinned TypeScript)" };
}

/** @returns {Finding} */
function checkBuild() {
  const dist = path.join(ROOT, "dist");
  if (!fs.existsSync(path.join(dist, "index.js"))) return { ok: false, what: "build: dist/ is missing", fix: "npm run build   (npm ci runs it too)" };
  /** @type {string[]} */
  let problems;
  try {
    // The same check as the notebooks' setup cell: src/ content against what the last build compiled.
    problems = require(path.join(dist, "notebook", "buildCheck.js")).buildProblems(dist).map((/** @type {{ text: string }} */ p) => p.text);
  } catch (error) {
    problems = [`dist/ cannot be checked (${error instanceof Error ? error.message.split("\n")[0] : String(error)})`];
  }
  return {
    ok: problems.length === 0,
    what: problems.length > 0 ? `build: ${problems.join("; ")}` : "build: dist/ is current",
    fix: "npm run build   (or keep npm run build:watch running), then in the notebook select the setup cell and Run All Below",
  };
}

/** The front ends found on this machine, by name. */
function frontEnds() {
  return [
    ["JupyterLab", run("jupyter", ["lab", "--version"])],
    ["Jupyter Notebook", run("jupyter", ["notebook", "--version"])],
    ["VS Code", run("code", ["--version"])?.split("\n")[0]],
  ].filter(([, found]) => found !== undefined).map(([name]) => name);
}

/** @returns {Finding} */
function checkFrontEnd() {
  const found = frontEnds();
  if (found.length > 0) return { ok: true, what: `notebook front end: ${found.join(", ")}` };
  return {
    ok: false,
    what: "notebook front end: none found (JupyterLab, Jupyter Notebook or VS Code)",
    fix: "sudo apt-get install jupyter-notebook   (elsewhere: pipx install jupyterlab; or VS Code with its Jupyter extension)",
  };
}

/** @returns {Finding} */
function checkKernel() {
  const dir = path.join(userDataDir(), "kernels", KERNEL_NAME);
  /** @type {{ argv: string[]; display_name: string }} */
  let spec;
  try {
    spec = JSON.parse(fs.readFileSync(path.join(dir, "kernel.json"), "utf8"));
  } catch {
    return { ok: false, what: `kernel: no "${KERNEL_NAME}" kernel in ${path.dirname(dir)}`, fix: "npm run kernel" };
  }
  // Any copy's registration serves this one, as long as what it starts is still there and is the pinned tslab.
  const missing = spec.argv.filter((a) => path.isAbsolute(a) && !fs.existsSync(a));
  const tslabBin = spec.argv.find((a) => /[\\/]tslab[\\/]bin[\\/]tslab$/.test(a));
  const tslab = tslabBin && version("tslab", path.resolve(tslabBin, "..", "..", ".."));
  const what =
    missing.length > 0
      ? `kernel: "${KERNEL_NAME}" starts ${missing.join(", ")}, which no longer exists`
      : tslab !== TSLAB_VERSION
        ? `kernel: "${KERNEL_NAME}" runs tslab ${tslab ?? "(not found)"}, not ${TSLAB_VERSION}`
        : `kernel: "${KERNEL_NAME}" (${spec.display_name}) runs tslab ${tslab} from ${path.resolve(tslabBin, "..", "..", "..", "..")}`;
  return { ok: missing.length === 0 && tslab === TSLAB_VERSION, what, fix: "npm run kernel" };
}

/** @returns {Finding} */
function checkNbconvert() {
  const nbconvert = run("jupyter", ["nbconvert", "--version"]);
  return {
    ok: nbconvert !== undefined,
    what: nbconvert ? `nbconvert ${nbconvert} (npm run notebooks)` : "nbconvert: missing (npm run notebooks runs every notebook through it)",
    fix: "sudo apt-get install jupyter-nbconvert python3-nbclient jupyter-client python3-ipykernel   (elsewhere: pipx install nbconvert)",
  };
}

/** @returns {Finding} */
function checkGitFilter() {
  if (run("git", ["-C", ROOT, "rev-parse", "--is-inside-work-tree"]) !== "true") {
    return { ok: true, what: "git: not a git checkout (after git init, run npm install to set up the notebook filter)" };
  }
  const clean = run("git", ["-C", ROOT, "config", "--get", "filter.nbstrip.clean"]);
  // A checkout set up before the filter moved to tools/student/ still names the old path: git then fails on notebooks.
  const script = clean && /^node (\S+)$/.exec(clean.trim())?.[1];
  const stale = script !== undefined && script !== null && script !== "" && !fs.existsSync(path.join(ROOT, script));
  return {
    ok: clean !== undefined && !stale,
    what: !clean ? "git: the notebook filter is not set up, so outputs would be committed" : stale ? `git: the notebook filter runs ${script}, which does not exist` : "git: notebooks are stored without outputs (filter nbstrip)",
    fix: "node tools/student/nbstrip.cjs --install   (npm install does this)",
  };
}

/** Every check, in the order a fresh clone meets them. */
function findings() {
  return [checkNode, checkDependencies, checkTscCommand, checkBuild, checkFrontEnd, checkKernel, checkNbconvert, checkGitFilter].map((check) => {
    try {
      return check();
    } catch (error) {
      return { ok: false, what: `${check.name}: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`, fix: "npm ci" };
    }
  });
}

/** One line per finding: `✔ what`, or `✘ what — fix: command`. */
function formatFinding(/** @type {Finding} */ f) {
  return `${f.ok ? "✔" : "✘"} ${f.what}${f.ok || !f.fix ? "" : ` — fix: ${f.fix}`}`;
}

module.exports = { KERNEL_NAME, KERNEL_DISPLAY_NAME, findings, formatFinding };

if (require.main === module) {
  const all = findings();
  for (const f of all) console.log(formatFinding(f));
  process.exitCode = all.every((f) => f.ok) ? 0 : 1;
}
