import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

/** One environment check: what was found, and the command that fixes it. */
interface Finding {
  ok: boolean;
  what: string;
  fix?: string;
}

const ROOT = path.resolve(__dirname, "..");

function run(cmd: string, args: string[]): string | undefined {
  try {
    return execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return undefined;
  }
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

function checkNode(): Finding {
  const major = Number(process.versions.node.split(".")[0]);
  return { ok: major >= 20, what: `Node.js ${process.version} (needs >= 20)`, fix: "install Node.js 20 or newer" };
}

function checkDependencies(): Finding {
  const version = (pkg: string) => {
    try {
      return JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules", pkg, "package.json"), "utf8")).version as string;
    } catch {
      return undefined;
    }
  };
  const ts = version("typescript");
  const tslab = version("tslab");
  return {
    ok: ts?.startsWith("5.9.") === true && tslab === "1.0.22",
    what: `dependencies: typescript ${ts ?? "missing"} (needs 5.9.x), tslab ${tslab ?? "missing"} (needs 1.0.22)`,
    fix: "npm install",
  };
}

function checkBuild(): Finding {
  const built = path.join(ROOT, "dist", "index.js");
  if (!fs.existsSync(built)) return { ok: false, what: "build: dist/ is missing", fix: "npm run build" };
  // An incremental build rewrites only the outputs of changed files, so compare against the newest output.
  const stale = newestMtime(path.join(ROOT, "src")) > newestMtime(path.join(ROOT, "dist"));
  return {
    ok: !stale,
    what: stale ? "build: src/ changed after the last build; notebooks still see the old code" : "build: dist/ is current",
    fix: "npm run build (or keep npm run build:watch running), then re-run the notebook's setup cell",
  };
}

function checkJupyter(): Finding {
  const version = run("jupyter", ["nbconvert", "--version"]);
  return {
    ok: version !== undefined,
    what: version ? `Jupyter: nbconvert ${version}` : "Jupyter: not found (VS Code's Jupyter extension works without it)",
    fix: "sudo apt-get install jupyter-nbconvert python3-nbclient jupyter-client python3-ipykernel (or pip install jupyterlab)",
  };
}

function checkKernel(): Finding {
  const listing = run("jupyter", ["kernelspec", "list", "--json"]);
  if (listing === undefined) return { ok: false, what: "kernel: cannot ask Jupyter for its kernels", fix: "install Jupyter, then npm run kernel" };
  const spec = (JSON.parse(listing) as { kernelspecs: Record<string, { spec: { argv: string[] } }> }).kernelspecs.tslab;
  if (!spec) return { ok: false, what: 'kernel: no "tslab" kernel registered', fix: "npm run kernel" };
  const here = spec.spec.argv.some((a) => a.startsWith(path.join(ROOT, "node_modules")));
  return {
    ok: here,
    what: here
      ? 'kernel: "tslab" runs this checkout\'s tslab'
      : `kernel: "tslab" runs ${spec.spec.argv[0]} (a global tslab still loads this checkout's node_modules/tslab when started here)`,
    fix: "npm run kernel",
  };
}

const findings = [checkNode(), checkDependencies(), checkBuild(), checkJupyter(), checkKernel()];
for (const f of findings) console.log(`${f.ok ? "✔" : "✘"} ${f.what}${f.ok || !f.fix ? "" : `\n    fix: ${f.fix}`}`);
process.exitCode = findings.every((f) => f.ok) ? 0 : 1;
