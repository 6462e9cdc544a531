import * as fs from "node:fs";
import * as path from "node:path";
import { inspect } from "node:util";
import { createConverter } from "tslab/dist/converter";
import { createExecutor } from "tslab/dist/executor";
import * as jupyter from "tslab/dist/jupyter";

/** What one code cell did when executed in-process. */
export interface CellRun {
  index: number;
  source: string;
  ok: boolean;
  output: string;
  displays: string[];
}

interface NotebookJson {
  cells: { cell_type: string; source: string | string[] }[];
}

/** Reads the code cells of a notebook, in order. */
export function codeCells(notebookPath: string): string[] {
  const nb = JSON.parse(fs.readFileSync(notebookPath, "utf8")) as NotebookJson;
  return nb.cells
    .filter((c) => c.cell_type === "code")
    .map((c) => (Array.isArray(c.source) ? c.source.join("") : c.source));
}

/**
 * Executes a notebook's code cells with tslab's own compiler and executor (TypeScript 5.0.4, as the kernel does),
 * without Jupyter; stops at the first cell that fails to compile or throws.
 * @param notebookPath - the .ipynb file; its folder becomes tslab's root, as when Jupyter starts the kernel there
 */
export async function runNotebookInProcess(notebookPath: string): Promise<CellRun[]> {
  const dir = path.dirname(path.resolve(notebookPath));
  const previousDir = process.cwd();
  let output: string[] = [];
  let displays: string[] = [];
  const write = (...parts: unknown[]) => output.push(parts.map((p) => (typeof p === "string" ? p : inspect(p))).join(" "));
  const console = {
    log: write,
    error: (format?: unknown, ...rest: unknown[]) => write(formatError(format, rest)),
  };
  process.chdir(dir);
  const node = createConverter({ isJS: false, isBrowser: false });
  process.chdir(previousDir);
  const executor = createExecutor(dir, { node, browser: node, close: () => node.close() }, console);
  const previousDisplay = jupyter.lastWriteDisplayData;
  (jupyter as { lastWriteDisplayData: unknown }).lastWriteDisplayData = (data: { data: Record<string, unknown> }) => {
    displays.push(...Object.keys(data.data));
  };
  const runs: CellRun[] = [];
  // Library code prints with the global console (as in the kernel, where stdout is the cell's output).
  const globalLog = globalThis.console.log;
  const globalError = globalThis.console.error;
  globalThis.console.log = console.log;
  globalThis.console.error = console.error;
  try {
    for (const [index, source] of codeCells(notebookPath).entries()) {
      output = [];
      displays = [];
      const ok = await executor.execute(source);
      runs.push({ index, source, ok, output: output.join("\n"), displays });
      if (!ok) break;
    }
  } finally {
    globalThis.console.log = globalLog;
    globalThis.console.error = globalError;
    (jupyter as { lastWriteDisplayData: unknown }).lastWriteDisplayData = previousDisplay;
    executor.close();
  }
  return runs;
}

function formatError(format: unknown, rest: unknown[]): string {
  if (typeof format === "string" && rest.length > 0 && format.includes("%")) {
    let i = 0;
    return format.replace(/%[sd]/g, () => String(rest[i++]));
  }
  return [format, ...rest].map((p) => (p instanceof Error ? (p.stack ?? p.message) : String(p))).join(" ");
}
