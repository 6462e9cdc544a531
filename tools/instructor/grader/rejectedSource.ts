import * as fs from "node:fs";
import * as path from "node:path";

/**
 * A student file SES refuses to evaluate: its text contains something that looks like a direct `eval(`, a dynamic
 * `import(` or an HTML comment (`<!--`, `-->`), even inside a string or a comment.
 */
export class SourceRejectedError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly line: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "SourceRejectedError";
  }
}

const KINDS: { code: string; token: RegExp; what: string; rewrite: string }[] = [
  { code: "SES_HTML_COMMENT_REJECTED", token: /<!--|-->/, what: "an HTML comment marker (`<!--` or `-->`)", rewrite: "put a space inside it (`- ->`, `x-- > y`) or split the string (`'<!' + '--'`)" },
  { code: "SES_IMPORT_REJECTED", token: /\bimport\s*\(/, what: "a dynamic `import(`", rewrite: "use a static import, or reword the comment or string (`import (` → `import`+`(`)" },
  { code: "SES_EVAL_REJECTED", token: /\beval\s*\(/, what: "a direct `eval(`", rewrite: "do not use eval; reword a comment or string that contains `eval(`" },
];

/**
 * Turns SES's rejection of a student file into a load error that names the file, the line (of the file as the
 * student wrote it) and what to rewrite; other errors are returned unchanged.
 * @param error - what `Compartment.evaluate` threw
 * @param file - the student file (absolute)
 * @param root - the folder paths are shown relative to
 */
export function explainRejection(error: unknown, file: string, root: string): unknown {
  const message = error instanceof Error ? error.message : "";
  const kind = KINDS.find((k) => message.includes(k.code));
  if (!kind) return error;
  let line = Number(/:(\d+)\. \(SES_/.exec(message)?.[1] ?? 0);
  try {
    const found = fs.readFileSync(file, "utf8").split("\n").findIndex((text) => kind.token.test(text));
    if (found >= 0) line = found + 1;
  } catch {
    // keep the line of the transpiled JavaScript
  }
  const where = `${path.relative(root, file)}:${line}`;
  return new SourceRejectedError(
    `${where}: the grader runs your code under SES, which refuses any file containing ${kind.what}, even in a comment or a string. Rewrite line ${line}: ${kind.rewrite}. (SyntaxError: ${message})`,
    file,
    line,
    { cause: error },
  );
}
