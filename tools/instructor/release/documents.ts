import { MarkerError, stubRegions } from "./regions";

const BLOCK = /^\s*<!-- (BEGIN|END) (SOLUTION|INSTRUCTOR) -->\s*$/;
const STUDENT_BEGIN = /^\s*<!-- BEGIN STUDENT\s*$/;
const STUDENT_END = /^\s*END STUDENT -->\s*$/;
const LINE_MARK = "<!-- instructor-only -->";

/**
 * Turns an instructor's Markdown page into the student's: drops `<!-- BEGIN SOLUTION -->`/`<!-- BEGIN INSTRUCTOR -->`
 * blocks and lines tagged `<!-- instructor-only -->`, and reveals `<!-- BEGIN STUDENT … END STUDENT -->` blocks.
 * @throws MarkerError for an unclosed block
 */
export function releaseMarkdown(text: string, fileName: string): string {
  const out: string[] = [];
  let hiding: { line: number } | undefined;
  let student: { line: number } | undefined;
  for (const [i, line] of text.split("\n").entries()) {
    const block = BLOCK.exec(line);
    if (block) {
      if (block[1] === "BEGIN") {
        if (hiding) throw new MarkerError(`${fileName}:${i + 1}: a ${block[2]} block cannot start inside another (opened at line ${hiding.line})`);
        hiding = { line: i + 1 };
      } else {
        if (!hiding) throw new MarkerError(`${fileName}:${i + 1}: END ${block[2]} without a BEGIN`);
        hiding = undefined;
      }
      continue;
    }
    if (STUDENT_BEGIN.test(line)) {
      student = { line: i + 1 };
      continue;
    }
    if (student && STUDENT_END.test(line)) {
      student = undefined;
      continue;
    }
    if (hiding || line.includes(LINE_MARK)) continue;
    out.push(line);
  }
  if (hiding) throw new MarkerError(`${fileName}:${hiding.line}: the block has no END marker`);
  if (student) throw new MarkerError(`${fileName}:${student.line}: the STUDENT block has no "END STUDENT -->"`);
  return out.join("\n").replace(/\n{3,}/g, "\n\n");
}

interface Cell {
  cell_type: string;
  source: string | string[];
  metadata?: Record<string, unknown> & { tags?: string[]; exercise_source?: string | string[] };
  outputs?: unknown[];
  execution_count?: number | null;
}

const joined = (source: string | string[]) => (Array.isArray(source) ? source.join("") : source);
const toLines = (text: string) => text.split(/(?<=\n)/);

/**
 * Turns an instructor's notebook into the student's: clears outputs and execution counts, replaces each cell tagged
 * `solution` by its `metadata.exercise_source`, and stubs `BEGIN SOLUTION` regions inside code cells.
 * @throws MarkerError for a solution cell without exercise source, or a malformed region
 */
export function releaseNotebook(text: string, fileName: string): string {
  const notebook = JSON.parse(text) as { cells: Cell[]; metadata?: Record<string, unknown> };
  for (const [i, cell] of notebook.cells.entries()) {
    const tags = cell.metadata?.tags ?? [];
    if (tags.includes("solution")) {
      const exercise = cell.metadata?.exercise_source;
      if (exercise === undefined) throw new MarkerError(`${fileName}: cell ${i} is tagged "solution" but has no metadata.exercise_source`);
      cell.source = toLines(joined(exercise));
      cell.metadata = { ...cell.metadata, tags: tags.filter((t) => t !== "solution") };
      delete cell.metadata.exercise_source;
    } else if (cell.cell_type === "code" && /\/\/ BEGIN SOLUTION/.test(joined(cell.source))) {
      cell.source = toLines(stubRegions(joined(cell.source), `${fileName}#cell${i}`).text);
    } else if (cell.cell_type === "markdown") {
      cell.source = toLines(releaseMarkdown(joined(cell.source), `${fileName}#cell${i}`));
    }
    if (cell.cell_type === "code") {
      cell.outputs = [];
      cell.execution_count = null;
    }
  }
  return `${JSON.stringify(notebook, null, 1)}\n`;
}
