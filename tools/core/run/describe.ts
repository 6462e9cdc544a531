/**
 * Turns what a test or a test file threw into text: any value (code under test may throw anything, even objects
 * whose getters throw), and a load failure as itself (`Error: boom`) followed by the student's file and line.
 * Everything used here is captured when this module loads, before any test or student code runs.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** Longest message an outcome carries. */
export const MAX_MESSAGE = 2000;

const ErrorClass = Error;
const StringOf = String;
const stringify = JSON.stringify;
const relative = path.relative;
const readFile = fs.readFileSync;

/** Turns anything thrown into a one-paragraph message, however odd the value. */
export function describeThrown(value: unknown, maxLength = MAX_MESSAGE): string {
  let text: string;
  try {
    if (value instanceof ErrorClass) {
      text = `${value.name}: ${value.message}`;
    } else if (value !== null && typeof value === "object" && typeof (value as { message?: unknown }).message === "string") {
      text = (value as { message: string }).message;
    } else if (typeof value === "string") {
      text = `a string was thrown: ${stringify(value)}`;
    } else {
      text = `a non-Error value was thrown: ${StringOf(value)}`;
    }
  } catch {
    text = "a value was thrown that cannot even be turned into a string";
  }
  if (typeof text !== "string") text = "a value was thrown whose message is not a string";
  return text.length > maxLength ? `${text.slice(0, maxLength)}… (${text.length - maxLength} more characters)` : text;
}

/** Reads a property of a value code under test made, or undefined when reading it throws. */
function read(value: unknown, key: string): unknown {
  try {
    return value !== null && (typeof value === "object" || typeof value === "function") ? (value as Record<string, unknown>)[key] : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a file is the project's own (under `root`, outside node_modules). */
function own(file: string, root: string): boolean {
  const rel = relative(root, file);
  return rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel) && !rel.split(path.sep).includes("node_modules");
}

/**
 * Where an error comes from in the project's own files, as `src/ex1/file.ts:12:7`: the first stack frame under
 * `root` outside node_modules. A syntax error V8 found in ts-node's output names the compiled line; the source
 * line it quotes is then looked up in the TypeScript file.
 */
export function locate(error: unknown, root: string): string | undefined {
  const stack = read(error, "stack");
  if (typeof stack !== "string") return undefined;
  const header = /^(\/[^\n]+?):(\d+)\n([^\n]*)\n/.exec(stack);
  if (header && own(header[1], root)) {
    let line = Number(header[2]);
    try {
      const wanted = header[3].trim();
      const found = readFile(header[1], "utf8").split("\n").findIndex((l) => l.trim() === wanted);
      if (wanted && found >= 0) line = found + 1;
    } catch {
      // keep the compiled line
    }
    return `${relative(root, header[1])}:${line}`;
  }
  for (const frame of stack.split("\n")) {
    const m = /^\s+at (?:.*\()?(\/[^()]+?):(\d+):(\d+)\)?$/.exec(frame);
    if (m && own(m[1], root)) return `${relative(root, m[1])}:${m[2]}:${m[3]}`;
  }
  return undefined;
}

/**
 * A test file's load failure as one line: the error as itself (`Error: boom`; ts-node's multi-line TSError joined
 * into one line; Node's require stack left out) and where it was thrown (`src/ex1/file.ts:1:7`).
 */
export function describeLoadError(error: unknown, root: string): string {
  let text = describeThrown(error);
  text = text.replace(/\nRequire stack:[\s\S]*$/, "");
  text = text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l)
    .join(" ");
  const at = locate(error, root);
  return at && !text.includes(at.replace(/:\d+(:\d+)?$/, "")) ? `${text} (at ${at})` : text;
}

/**
 * The error a load failure's placeholder test fails with: the original's name, the one-line description, and only
 * the project's own stack frames, so a reporter shows the student's error and not the loader's.
 */
export function loadFailureError(error: unknown, root: string): Error {
  const described = describeLoadError(error, root);
  const name = typeof read(error, "name") === "string" ? (read(error, "name") as string) : "Error";
  const failure = new ErrorClass(described.startsWith(`${name}: `) ? described.slice(name.length + 2) : described);
  failure.name = name;
  const stack = read(error, "stack");
  const frames = typeof stack === "string" ? stack.split("\n").filter((l) => /^\s+at /.test(l) && l.includes(root) && !l.includes("node_modules")) : [];
  failure.stack = [`${name}: ${failure.message}`, ...frames].join("\n");
  return failure;
}

/** Whether an error comes from a stub not written yet: a NotImplementedError, also inside an assertion or as a cause. */
export function isStubError(error: unknown): boolean {
  let e = error;
  for (let depth = 0; e && depth < 4; depth++) {
    const name = read(e, "name");
    const message = read(e, "message");
    if (name === "NotImplementedError" || (typeof message === "string" && /NotImplementedError|not implemented yet/.test(message))) return true;
    e = read(e, "cause");
  }
  return false;
}
