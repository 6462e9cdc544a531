import * as fs from "node:fs";
import * as path from "node:path";
import { buildProblems } from "../src/notebook/buildCheck";
import { frontEnds, KERNEL_DISPLAY_NAME, registeredKernel, ROOT, run, userDataDir } from "./frontEnds";

/** One environment check: what was found, and the command that fixes it. */
interface Finding {
  ok: boolean;
  what: string;
  fix?: string;
}

function version(pkg: string): string | undefined {
  try {
    return (JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules", pkg, "package.json"), "utf8")) as { version: string }).version;
  } catch {
    return undefined;
  }
}

function checkNode(): Finding {
  const major = Number(process.versions.node.split(".")[0]);
  return { ok: major >= 20, what: `Node.js ${process.version} (needs >= 20)`, fix: "install Node.js 20 or newer" };
}

function checkDependencies(): Finding {
  const ts = version("typescript");
  const tslab = version("tslab");
  return {
    ok: ts?.startsWith("5.9.") === true && tslab === "1.0.22",
    what: `dependencies: typescript ${ts ?? "missing"} (needs 5.9.x), tslab ${tslab ?? "missing"} (needs 1.0.22)`,
    fix: "npm install",
  };
}

function checkTscCommand(): Finding {
  let target = "";
  try {
    target = fs.realpathSync(path.join(ROOT, "node_modules", ".bin", "tsc"));
  } catch {
    // not linked (Windows uses .cmd shims, which npm install's prepare step rewrites)
  }
  const tslabs = target.includes("typescript-for-tslab");
  return {
    ok: !tslabs,
    what: tslabs ? "npx tsc runs tslab's TypeScript 5.0, which cannot compile `using`" : "npx tsc runs the pinned TypeScript",
    fix: "npm install (its prepare step points npx tsc at the pinned TypeScript), or use npm run typecheck",
  };
}

function checkBuild(): Finding {
  const built = path.join(ROOT, "dist", "index.js");
  if (!fs.existsSync(built)) return { ok: false, what: "build: dist/ is missing", fix: "npm run build" };
  // The same check the notebooks' setup cell makes: src/ content against what the last build compiled.
  const problems = buildProblems(path.join(ROOT, "dist")).map((p) => p.text);
  return {
    ok: problems.length === 0,
    what: problems.length > 0 ? `build: ${problems.join("; ")}` : "build: dist/ is current",
    fix: "npm run build (or keep npm run build:watch running), then in the notebook select the setup cell and Run All Below",
  };
}

function checkFrontEnd(): Finding {
  const found = frontEnds().filter((f) => f.version);
  if (found.length > 0) return { ok: true, what: `notebook front end: ${found.map((f) => f.name).join(", ")}` };
  return {
    ok: false,
    what: "notebook front end: none found (JupyterLab, Jupyter Notebook or VS Code); install one",
    fix: frontEnds().map((f) => `\n      ${f.name}: ${f.install}`).join(""),
  };
}

function checkKernel(): Finding {
  const dataDir = userDataDir();
  const kernel = registeredKernel(dataDir);
  if (!kernel) return { ok: false, what: `kernel: no "tslab" kernel in ${path.join(dataDir, "kernels")}`, fix: "npm run kernel" };
  const here = kernel.spec.argv.some((a) => a.startsWith(path.join(ROOT, "node_modules")));
  const named = kernel.spec.display_name === KERNEL_DISPLAY_NAME;
  const preloaded = kernel.spec.argv.includes(path.join(ROOT, "tools", "kernelPreload.cjs"));
  return {
    ok: here && named && preloaded,
    what: !here
      ? `kernel: "tslab" runs ${kernel.spec.argv.find((a) => /tslab/.test(a)) ?? kernel.spec.argv.join(" ")}, not this checkout's tslab`
      : preloaded
        ? `kernel: "tslab" (${kernel.spec.display_name}) runs this checkout's tslab`
        : `kernel: "tslab" was registered by an older version of this project (saved notebooks would stay in git status)`,
    fix: "npm run kernel",
  };
}

function checkGitFilter(): Finding {
  if (run("git", ["-C", ROOT, "rev-parse", "--is-inside-work-tree"]) !== "true") {
    return { ok: true, what: "git: not a git checkout yet (after git init, run npm install to set up the notebook filter)" };
  }
  const clean = run("git", ["-C", ROOT, "config", "--get", "filter.nbstrip.clean"]);
  return {
    ok: clean !== undefined,
    what: clean ? "git: notebooks are stored without outputs (filter nbstrip)" : "git: the notebook filter is not set up, so outputs would be committed",
    fix: "node tools/nbstrip.cjs --install   (npm install does this)",
  };
}

const findings = [checkNode(), checkDependencies(), checkTscCommand(), checkBuild(), checkFrontEnd(), checkKernel(), checkGitFilter()];
for (const f of findings) console.log(`${f.ok ? "✔" : "✘"} ${f.what}${f.ok || !f.fix ? "" : `\n    fix: ${f.fix}`}`);
const installed = frontEnds().filter((f) => f.version);
if (installed.length > 0) {
  console.log("\nOpen the notebooks:");
  for (const f of installed) console.log(`  ${f.name}: ${f.open}`);
}
process.exitCode = findings.every((f) => f.ok) ? 0 : 1;
