/**
 * The no-import-cycles check of the grading code (issue 19), with TypeScript's own parser instead of madge (which
 * would add some 100 packages): every relative `import`/`export … from` that exists at run time (not `import type`)
 * is an edge; `require()` inside a function is a deliberate lazy load and is not. Same answer as
 * `npx madge --circular --extensions ts tools` with type imports skipped.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { filesUnder } from "./grader/files";

/** The run-time imports of one file: the project files it imports, resolved to paths. */
export function runtimeImports(file: string, text = fs.readFileSync(file, "utf8")): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const found: string[] = [];
  for (const statement of source.statements) {
    let specifier: ts.Expression | undefined;
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      const typeOnly = clause !== undefined && (clause.isTypeOnly || (!clause.name && clause.namedBindings !== undefined && ts.isNamedImports(clause.namedBindings) && clause.namedBindings.elements.length > 0 && clause.namedBindings.elements.every((e) => e.isTypeOnly)));
      if (!typeOnly) specifier = statement.moduleSpecifier;
    } else if (ts.isExportDeclaration(statement) && !statement.isTypeOnly) {
      specifier = statement.moduleSpecifier;
    } else if (ts.isImportEqualsDeclaration(statement) && !statement.isTypeOnly && ts.isExternalModuleReference(statement.moduleReference)) {
      specifier = statement.moduleReference.expression;
    }
    if (specifier && ts.isStringLiteral(specifier) && specifier.text.startsWith(".")) {
      const base = path.resolve(path.dirname(file), specifier.text);
      const target = [`${base}.ts`, path.join(base, "index.ts")].find((f) => fs.existsSync(f));
      if (target) found.push(target);
    }
  }
  return found;
}

/** Every import cycle among the `.ts` files under `dir`, each as the list of files around it (relative to `dir`). */
export function importCycles(dir: string): string[][] {
  const files = filesUnder(dir).filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"));
  const edges = new Map(files.map((f) => [f, runtimeImports(f)]));
  const cycles: string[][] = [];
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (file: string) => {
    state.set(file, "open");
    stack.push(file);
    for (const next of edges.get(file) ?? []) {
      if (state.get(next) === "open") cycles.push(stack.slice(stack.indexOf(next)).map((f) => path.relative(dir, f)));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, "done");
  };
  for (const file of files) if (!state.has(file)) visit(file);
  return cycles;
}
