import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { filesUnder } from "./files";
import type * as TS from "typescript";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { readEntry, writeEntry } = require("../../core/fileCache.cjs") as { readEntry(file: string): unknown; writeEntry(file: string, value: unknown): void };

/** One file's JavaScript, or why TypeScript could not produce it (ts-node's `TSError` text). */
export type TranspiledFile = { js: string } | { error: string };

/** The table a grading child loads `.ts` files from: absolute path to its transpiled JavaScript. */
export type TranspiledTable = Record<string, TranspiledFile>;

let typescript: typeof TS | undefined;
const optionsCache = new Map<string, TS.CompilerOptions>();

/**
 * The compiler options ts-node's transpile-only mode uses for a tsconfig, except that the source map is inline (the
 * child runs with `--enable-source-maps`, so stack traces still point into the `.ts` files).
 */
function compilerOptions(ts: typeof TS, tsconfig: string): TS.CompilerOptions {
  const cached = optionsCache.get(tsconfig);
  if (cached) return cached;
  const read = ts.readConfigFile(tsconfig, ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(read.config ?? {}, ts.sys, path.dirname(tsconfig), undefined, tsconfig);
  const options: TS.CompilerOptions = { ...parsed.options };
  for (const key of ["out", "outFile", "composite", "declarationDir", "declarationMap", "emitDeclarationOnly", "tsBuildInfoFile", "incremental"]) delete options[key];
  Object.assign(options, { sourceMap: false, inlineSourceMap: true, inlineSources: true, declaration: false, noEmit: false, outDir: "$$ts-node$$" });
  optionsCache.set(tsconfig, options);
  return options;
}

/** Transpiles one file as ts-node's transpile-only mode would; a syntax error gives ts-node's message. */
export function transpileFile(file: string, source: string, tsconfig: string, cwd: string): TranspiledFile {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = (typescript ??= require("typescript") as typeof TS);
  const result = ts.transpileModule(source, { fileName: file, compilerOptions: compilerOptions(ts, tsconfig), reportDiagnostics: true });
  const diagnostics = (result.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (diagnostics.length > 0) {
    const host = { getCurrentDirectory: () => cwd, getCanonicalFileName: (f: string) => f, getNewLine: () => "\n" };
    return { error: `⨯ Unable to compile TypeScript:\n${ts.formatDiagnostics(diagnostics, host)}` };
  }
  return { js: result.outputText };
}

/** Every TypeScript file under a folder (no symlinks followed, no `.d.ts`), sorted. */
export function typeScriptFilesUnder(dir: string): string[] {
  return filesUnder(dir).filter((file) => /\.(ts|cts|mts|tsx)$/.test(file) && !file.endsWith(".d.ts"));
}

/**
 * Transpiles files once in the grading process (TypeScript is loaded once, not in every test child). Files of the
 * trusted checkout (the instructor's tests, the grader's own child) are cached on disk under `cacheDir`, keyed by a
 * hash of their content, name, tsconfig and TypeScript's version; only this process writes there.
 * @param files - the files to transpile, each with whether its JavaScript may be cached
 * @returns the table for the child
 */
export function transpileAll(files: { file: string; cache: boolean }[], tsconfig: string, cwd: string, cacheDir?: string): TranspiledTable {
  const table: TranspiledTable = {};
  let version: string | undefined;
  for (const { file, cache } of files) {
    let source: string;
    try {
      source = fs.readFileSync(file, "utf8");
    } catch {
      continue;
    }
    let cacheFile: string | undefined;
    if (cache && cacheDir) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      version ??= (typescript ??= require("typescript") as typeof TS).version;
      const key = createHash("sha256").update(JSON.stringify([path.basename(file), fs.readFileSync(tsconfig, "utf8"), version, 1])).update(source).digest("hex");
      cacheFile = path.join(cacheDir, `${key}.json`);
      const cached = readEntry(cacheFile) as TranspiledFile | undefined;
      if (cached) {
        table[file] = cached;
        continue;
      }
    }
    const result = transpileFile(file, source, tsconfig, cwd);
    table[file] = result;
    if (cacheFile && "js" in result) writeEntry(cacheFile, result);
  }
  return table;
}
