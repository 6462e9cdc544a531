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
 * One notebook's kernel, in-process: tslab's own compiler and executor (TypeScript 5.0.4, as the kernel uses),
 * rooted at the notebook's folder as when Jupyter starts the kernel there. Cells run in the order you ask, like a
 * student clicking through a front end. Library code prints with the global console, so `console.log` and
 * `console.error` are captured while a cell runs.
 */
export class NotebookSession {
  readonly cells: string[];
  private output: string[] = [];
  private displays: string[] = [];
  private readonly executor: ReturnType<typeof createExecutor>;

  constructor(readonly notebookPath: string) {
    this.cells = codeCells(notebookPath);
    const dir = path.dirname(path.resolve(notebookPath));
    const previousDir = process.cwd();
    process.chdir(dir);
    try {
      const node = createConverter({ isJS: false, isBrowser: false });
      this.executor = createExecutor(dir, { node, browser: node, close: () => node.close() }, this.console);
    } finally {
      process.chdir(previousDir);
    }
  }

  private readonly console = {
    log: (...parts: unknown[]) => this.write(parts),
    error: (format?: unknown, ...rest: unknown[]) => this.output.push(formatError(format, rest)),
  };

  private write(parts: unknown[]): void {
    this.output.push(parts.map((p) => (typeof p === "string" ? p : inspect(p))).join(" "));
  }

  /** Runs code cell `index` (0-based among code cells). */
  async run(index: number): Promise<CellRun> {
    this.output = [];
    this.displays = [];
    const previousDisplay = jupyter.lastWriteDisplayData;
    (jupyter as { lastWriteDisplayData: unknown }).lastWriteDisplayData = (data: { data: Record<string, unknown> }) => {
      this.displays.push(...Object.keys(data.data));
    };
    const globalLog = globalThis.console.log;
    const globalError = globalThis.console.error;
    globalThis.console.log = this.console.log;
    globalThis.console.error = this.console.error;
    try {
      const ok = await this.executor.execute(this.cells[index]);
      return { index, source: this.cells[index], ok, output: this.output.join("\n"), displays: this.displays };
    } finally {
      globalThis.console.log = globalLog;
      globalThis.console.error = globalError;
      (jupyter as { lastWriteDisplayData: unknown }).lastWriteDisplayData = previousDisplay;
    }
  }

  /** Runs cells `from` … the last one, stopping after the first that fails (as Run All does). */
  async runFrom(from = 0): Promise<CellRun[]> {
    const runs: CellRun[] = [];
    for (let index = from; index < this.cells.length; index++) {
      const run = await this.run(index);
      runs.push(run);
      if (!run.ok) break;
    }
    return runs;
  }

  close(): void {
    this.executor.close();
  }
}

/**
 * Executes a notebook's code cells in-process, without Jupyter; stops at the first cell that fails to compile or
 * throws.
 * @param notebookPath - the .ipynb file; its folder becomes tslab's root, as when Jupyter starts the kernel there
 */
export async function runNotebookInProcess(notebookPath: string): Promise<CellRun[]> {
  const session = new NotebookSession(notebookPath);
  try {
    return await session.runFrom(0);
  } finally {
    session.close();
  }
}

function formatError(format: unknown, rest: unknown[]): string {
  if (typeof format === "string" && rest.length > 0 && format.includes("%")) {
    let i = 0;
    return format.replace(/%[sd]/g, () => String(rest[i++]));
  }
  return [format, ...rest].map((p) => (p instanceof Error ? (p.stack ?? p.message) : String(p))).join(" ");
}
