import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

/** The parts of tsc's incremental build record (`dist/.tsbuildinfo`) this module reads. */
interface BuildInfo {
  fileNames: string[];
  fileInfos: (string | { version: string })[];
  semanticDiagnosticsPerFile?: (number | [number, { start?: number; messageText: unknown; category: number }[]])[];
}

/** One thing wrong with the build, and what to do about it. */
export interface BuildProblem {
  text: string;
  advice: string;
}

function readBuildInfo(libraryDir: string): BuildInfo | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(libraryDir, ".tsbuildinfo"), "utf8")) as BuildInfo;
  } catch {
    return undefined;
  }
}

function sourcesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourcesUnder(full);
    return entry.name.endsWith(".ts") ? [full] : [];
  });
}

/** The first line of a diagnostic's message (tsc nests chained messages). */
function messageOf(text: unknown): string {
  if (typeof text === "string") return text;
  const chained = text as { messageText?: unknown } | undefined;
  return typeof chained?.messageText === "string" ? chained.messageText : "a type error";
}

/**
 * Says what is wrong with the compiled library the notebook is about to load: `src/*.ts` files whose content differs
 * from what the last `npm run build` compiled (tsc records each file's SHA-256 in `dist/.tsbuildinfo`, so saving a
 * file without changing it is no change), and type errors that build reported while emitting JavaScript anyway.
 * @param libraryDir - the compiled library folder; its parent holds `src/`
 * @returns the problems, each with what to do; none when `dist/` is the error-free build of the current `src/`
 */
export function buildProblems(libraryDir: string): BuildProblem[] {
  const info = readBuildInfo(libraryDir);
  if (info === undefined) return [];
  const root = path.dirname(libraryDir);
  const shown = (file: string) => path.relative(root, file).split(path.sep).join("/");
  const compiled = new Map(info.fileNames.map((name, i) => [path.resolve(libraryDir, name), info.fileInfos[i]]));
  const changed = sourcesUnder(path.join(root, "src")).filter((file) => {
    const entry = compiled.get(file);
    const version = typeof entry === "string" ? entry : entry?.version;
    return version !== createHash("sha256").update(fs.readFileSync(file)).digest("hex");
  });
  const problems: BuildProblem[] = [];
  if (changed.length > 0) {
    const files = changed.map(shown);
    const list = files.length > 3 ? `${files.slice(0, 3).join(", ")} and ${files.length - 3} more` : files.join(", ");
    problems.push({ text: `${list} changed after the last build`, advice: "run npm run build (or keep npm run build:watch running), then run this cell again" });
  }
  const errors = (info.semanticDiagnosticsPerFile ?? []).flatMap((entry) =>
    typeof entry === "number" ? [] : entry[1].filter((d) => d.category === 1).map((d) => ({ file: path.resolve(libraryDir, info.fileNames[entry[0] - 1] ?? ""), ...d })),
  );
  if (errors.length > 0) {
    const [first] = errors;
    let where = shown(first.file);
    try {
      if (first.start !== undefined) where += `:${fs.readFileSync(first.file, "utf8").slice(0, first.start).split("\n").length}`;
    } catch {
      // the file is gone: its name is enough
    }
    problems.push({
      text: `the last build reported ${errors.length} type error${errors.length === 1 ? "" : "s"} (first: ${where} ${messageOf(first.messageText)})`,
      advice: "tsc emitted JavaScript anyway, so this notebook runs it; npm run build lists them all",
    });
  }
  return problems;
}
