import * as ts from "typescript";

/** Thrown when solution markers are malformed; the message names the file and line. */
export class MarkerError extends Error {
  override name = "MarkerError";
}

/** One solution region found in a source file. */
export interface Region {
  requirement: string;
  /** 1-based line of the BEGIN marker. */
  line: number;
  /** What the stub says is not implemented, e.g. "OneOf.validate". */
  what: string;
  /** Whether an explicit `BEGIN STUB` block replaces it (otherwise a `throw new NotImplementedError(...)`). */
  explicitStub: boolean;
}

const BEGIN = /^(\s*)\/\/ BEGIN SOLUTION (R\d+\.\d+)\s*$/;
const END = /^\s*\/\/ END SOLUTION\s*$/;
const BEGIN_STUB = /^\s*\/\/ BEGIN STUB\s*$/;
const END_STUB = /^\s*\/\/ END STUB\s*$/;
const ANY_MARKER = /\/\/ (BEGIN|END) (SOLUTION|STUB)\b/;

/** The name of the function or method whose body contains `position`, with its class: "OneOf.validate". */
function enclosingFunction(source: ts.SourceFile, position: number): string | undefined {
  let found: string | undefined;
  const visit = (node: ts.Node, owner: string | undefined): void => {
    if (position < node.getStart(source) || position >= node.getEnd()) return;
    let name = owner;
    if (ts.isClassLike(node)) name = node.name?.text ?? "class";
    if (ts.isFunctionLike(node) && "body" in node && node.body && position > node.body.getStart(source) && position < node.body.getEnd()) {
      const own = node.name && (ts.isIdentifier(node.name) || ts.isPrivateIdentifier(node.name)) ? node.name.text : ts.isConstructorDeclaration(node) ? "constructor" : undefined;
      const parentName = ts.isVariableDeclaration(node.parent) && ts.isIdentifier(node.parent.name) ? node.parent.name.text : undefined;
      const label = own ?? parentName ?? "function";
      // The outermost named function wins: "exponentialBackoff", not its inner helper.
      found ??= owner && ts.isClassElement(node) ? `${owner}.${label}` : label;
    }
    ts.forEachChild(node, (child) => visit(child, name));
  };
  visit(source, undefined);
  return found;
}

/** Which regions `stubRegions` leaves solved (the teeth check builds copies with some requirements solved). */
export interface StubOptions {
  /** Returns true for a requirement whose regions keep their solution (markers and STUB block dropped). */
  keep?: (requirement: string) => boolean;
}

/**
 * Replaces every solution region of a TypeScript source with its stub. A region sits inside a function body and
 * becomes `throw new NotImplementedError("R2.3", "OneOf.validate");`, or it is followed by a `BEGIN STUB` block of
 * commented-out lines, which are uncommented in its place (for code outside functions, such as class headers).
 * @param text - the instructor's source
 * @param fileName - for messages and parsing
 * @param options - `keep` selects requirements whose regions stay solved (default: none)
 * @returns the student's source and the regions replaced (kept regions are not listed)
 * @throws MarkerError for an unclosed, nested or misplaced marker
 */
export function stubRegions(text: string, fileName: string, options: StubOptions = {}): { text: string; regions: Region[] } {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const lines = text.split("\n");
  const out: string[] = [];
  const regions: Region[] = [];
  const at = (i: number) => `${fileName}:${i + 1}`;
  let offset = 0;
  const offsets = lines.map((l) => {
    const o = offset;
    offset += l.length + 1;
    return o;
  });
  for (let i = 0; i < lines.length; i++) {
    const begin = BEGIN.exec(lines[i]);
    if (!begin) {
      if (ANY_MARKER.test(lines[i])) throw new MarkerError(`${at(i)}: expected "// BEGIN SOLUTION Rx.y" before this marker: ${lines[i].trim()}`);
      out.push(lines[i]);
      continue;
    }
    const [, indent, requirement] = begin;
    let end = i + 1;
    while (end < lines.length && !END.test(lines[end])) {
      if (ANY_MARKER.test(lines[end])) throw new MarkerError(`${at(end)}: expected "// END SOLUTION" for the region opened at line ${i + 1}, got ${lines[end].trim()}`);
      end++;
    }
    if (end >= lines.length) throw new MarkerError(`${at(i)}: the region ${requirement} has no "// END SOLUTION"`);
    let next = end + 1;
    if (options.keep?.(requirement)) {
      out.push(...lines.slice(i + 1, end));
      if (next < lines.length && BEGIN_STUB.test(lines[next])) {
        while (next < lines.length && !END_STUB.test(lines[next])) next++;
        if (next >= lines.length) throw new MarkerError(`${at(end + 1)}: the STUB block has no "// END STUB"`);
        next++;
      }
      i = next - 1;
      continue;
    }
    if (next < lines.length && BEGIN_STUB.test(lines[next])) {
      let stubEnd = next + 1;
      const stub: string[] = [];
      while (stubEnd < lines.length && !END_STUB.test(lines[stubEnd])) {
        const m = /^(\s*)\/\/ ?(.*)$/.exec(lines[stubEnd]);
        if (!m) throw new MarkerError(`${at(stubEnd)}: expected every line of a STUB block to be commented out with "// "`);
        stub.push(m[1] + m[2]);
        stubEnd++;
      }
      if (stubEnd >= lines.length) throw new MarkerError(`${at(next)}: the STUB block has no "// END STUB"`);
      out.push(...stub);
      regions.push({ requirement, line: i + 1, what: requirement, explicitStub: true });
      next = stubEnd + 1;
    } else {
      const what = enclosingFunction(source, offsets[i] + indent.length);
      if (!what) throw new MarkerError(`${at(i)}: the region ${requirement} is not inside a function body; add a "// BEGIN STUB" block after it`);
      out.push(`${indent}throw new NotImplementedError(${JSON.stringify(requirement)}, ${JSON.stringify(what)});`);
      regions.push({ requirement, line: i + 1, what, explicitStub: false });
    }
    i = next - 1;
  }
  let result = out.join("\n");
  // Named in code (not in a comment, nor only in a module path such as "../shared/NotImplementedError").
  if (regions.some((r) => !r.explicitStub) && !/\bNotImplementedError\b/.test(text.replace(/\/\/.*$/gm, "").replace(/(["'])[^"'\n]*\1/g, ""))) {
    result = addImport(result, fileName);
  }
  return { text: result, regions };
}

/** Adds the NotImplementedError import after the last import of a file under src/. */
function addImport(text: string, fileName: string): string {
  const depth = fileName.replace(/\\/g, "/").split("/src/")[1]?.split("/").length ?? 2;
  const from = depth <= 1 ? "./shared/NotImplementedError" : `${"../".repeat(depth - 1)}shared/NotImplementedError`;
  const line = `import { NotImplementedError } from "${from}";`;
  const lines = text.split("\n");
  let last = -1;
  for (let i = 0; i < lines.length; i++) if (/^import\b/.test(lines[i])) last = i;
  // Multi-line imports end at the line with `from "…";`.
  while (last >= 0 && last < lines.length - 1 && !/from\s+["'][^"']+["'];?\s*$/.test(lines[last]) && !/^import\s+["']/.test(lines[last])) last++;
  lines.splice(last + 1, 0, line);
  return lines.join("\n");
}
