/**
 * Which repository files and npm packages the student's commands reach, read statically from their entry points:
 * the npm scripts, `.mocharc.json`, `grading.json`'s test files, every `src/` file (the build compiles them all)
 * and the notebooks. From a TypeScript or JavaScript file it follows imports, `require`, `import()`,
 * `require.resolve` and `path.join`/`path.resolve` of string segments (how a tool names the file it spawns); from a
 * shell script, the file names it mentions; from JSON, the string values that name files.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";

/** What the student's commands reach: each repository file with the file that first named it, and the packages. */
export interface Reach {
  files: Map<string, string>;
  packages: Set<string>;
}

const EXTENSIONS = ["", ".ts", ".js", ".cjs", ".json", "/index.ts", "/index.js"];

/** The package a bare specifier or a path through node_modules names, if any. */
function packageOf(specifier: string): string | undefined {
  const inModules = specifier.split("node_modules/")[1] ?? (specifier.startsWith(".") || specifier.startsWith("/") ? undefined : specifier);
  if (inModules === undefined || inModules.startsWith("node:") || !/^[@a-z]/i.test(inModules)) return undefined;
  const parts = inModules.split("/");
  return parts[0].startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0];
}

/** Walks the student's files from their entry points. */
export class StudentTrace {
  readonly reach: Reach = { files: new Map(), packages: new Set() };
  private readonly queue: string[] = [];

  /**
   * `tracked`: the repository's tracked files (a generated file, in dist/ or a build cache, is not one);
   * `stopAt`: files recorded when reached but not followed.
   */
  constructor(
    private readonly root: string,
    private readonly tracked: ReadonlySet<string>,
    private readonly stopAt: ReadonlySet<string> = new Set(),
  ) {}

  /** Records `file` (absolute or root-relative) as reached from `from`, resolving a missing extension. */
  addFile(file: string, from: string): boolean {
    const absolute = path.resolve(this.root, file);
    const relative = path.relative(this.root, absolute).split(path.sep).join("/");
    // The notebooks and the built start command load dist/, which the build compiles from src/.
    const source = EXTENSIONS.map((ext) => (relative + ext).replace(/^dist\/(.*)\.js$/, "src/$1.ts")).find((f) => this.tracked.has(f));
    if (source === undefined) return false;
    if (!this.reach.files.has(source)) {
      this.reach.files.set(source, from);
      if (!this.stopAt.has(source)) this.queue.push(source);
    }
    return true;
  }

  /** Records a module specifier met in `from`: a package, or a repository file relative to `from`. */
  addSpecifier(specifier: string, from: string): void {
    const pkg = packageOf(specifier);
    if (pkg) this.reach.packages.add(pkg);
    else if (specifier.startsWith(".")) this.addFile(path.join(this.root, path.dirname(from), specifier), from);
  }

  /** Records what one npm script runs: its files, its packages and the scripts it runs. */
  addScript(name: string, scripts: Record<string, string>, seen = new Set<string>()): void {
    if (seen.has(name) || scripts[name] === undefined) return;
    seen.add(name);
    const words = scripts[name].split(/\s+|&&|;/).filter(Boolean);
    for (const [i, word] of words.entries()) {
      if (word === "run" && words[i - 1] === "npm") this.addScript(words[i + 1], scripts, seen);
      else if (words[i - 1] === "-r" || words[i - 1] === "--require") this.addSpecifier(word, "package.json");
      else if (word === "mocha" && i === 0) this.reach.packages.add("mocha");
      else if (word.includes("node_modules/")) this.addSpecifier(word, "package.json");
      else if (/^[\w.][\w./-]*\.(ts|js|cjs|sh|json)$/.test(word)) this.addFile(word, `npm run ${name}`);
    }
  }

  /** Follows every queued file until nothing new is reached. */
  run(): Reach {
    for (let file = this.queue.shift(); file !== undefined; file = this.queue.shift()) {
      const text = fs.readFileSync(path.join(this.root, file), "utf8");
      if (/\.(ts|js|cjs|mjs)$/.test(file)) this.scanCode(text, file);
      else if (file.endsWith(".ipynb")) this.scanCode(notebookCode(text), file);
      else if (/\.(sh|ya?ml)$/.test(file)) this.scanShell(text, file);
      else if (file.endsWith(".json")) this.scanJson(text, file);
    }
    return this.reach;
  }

  private scanCode(text: string, file: string): void {
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith(".ts") ? ts.ScriptKind.TS : ts.ScriptKind.JS);
    const visit = (node: ts.Node): void => {
      if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
        this.addSpecifier(node.moduleSpecifier.text, file);
      } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
        this.addSpecifier(node.moduleReference.expression.text, file);
      } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
        this.addSpecifier(node.argument.literal.text, file);
      } else if (ts.isCallExpression(node)) {
        this.scanCall(node, file);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }

  private scanCall(call: ts.CallExpression, file: string): void {
    const callee = call.expression.getText(call.getSourceFile());
    const [first] = call.arguments;
    if (["require", "import", "require.resolve"].includes(callee) || call.expression.kind === ts.SyntaxKind.ImportKeyword) {
      if (first && ts.isStringLiteralLike(first)) this.addSpecifier(first.text, file);
    } else if (/^path\.(join|resolve)$/.test(callee) && first) {
      const rest = call.arguments.slice(1);
      if (!rest.every(ts.isStringLiteralLike)) return;
      const segments = rest.map((arg) => arg.text);
      const joined = segments.join("/");
      if (joined.includes("node_modules/")) return void this.addSpecifier(joined, file);
      // Relative to the file with __dirname; relative to the repository root with anything else (ROOT, root…).
      const base = ts.isIdentifier(first) && first.text === "__dirname" ? path.dirname(file) : ".";
      this.addFile(path.join(base, ...segments), file);
    }
  }

  private scanShell(text: string, file: string): void {
    for (const line of text.split("\n")) {
      if (line.trimStart().startsWith("#")) continue;
      for (const [word] of line.matchAll(/[\w.][\w./-]*\.(?:ts|js|cjs|sh)\b|\.\/tools\/[\w./-]+/g)) {
        if (!this.addFile(word, file)) this.addFile(path.join(path.dirname(file), word), file);
      }
      for (const [, pkg] of line.matchAll(/node_modules\/((?:@[\w.-]+\/)?[\w.-]+)/g)) this.reach.packages.add(pkg);
      for (const [, pkg] of line.matchAll(/(?:-r|--require) ([@\w./-]+)/g)) this.addSpecifier(pkg, file);
    }
  }

  private scanJson(text: string, file: string): void {
    const data = JSON.parse(text) as unknown;
    const strings = (value: unknown, key = ""): void => {
      if (typeof value === "string") {
        if (key === "types" && file.startsWith("tsconfig")) this.reach.packages.add(`@types/${value}`);
        else if (key === "require") this.addSpecifier(value, file);
        else if (/^\.{0,2}\/?[\w.-]+\/[\w./-]*\.\w+$|^[\w.-]+\.(ts|json)$/.test(value)) this.addFile(path.join(path.dirname(file), value), file) || this.addFile(value, file);
      } else if (Array.isArray(value)) {
        for (const item of value) strings(item, key);
      } else if (value && typeof value === "object") {
        // grading.json's hidden tests (issue 22) never ship: the student's commands run without them.
        for (const [k, v] of Object.entries(value)) if (k !== "hiddenTests") strings(v, k);
      }
    };
    strings(data);
  }
}

/** The code cells of a notebook, one after the other. */
function notebookCode(text: string): string {
  const notebook = JSON.parse(text) as { cells: { cell_type: string; source: string | string[] }[] };
  return notebook.cells
    .filter((cell) => cell.cell_type === "code")
    .map((cell) => (Array.isArray(cell.source) ? cell.source.join("") : cell.source))
    .join("\n;\n");
}

/**
 * What the student's commands reach in `root`: from the given npm scripts, `.mocharc.json`, `grading.json`, the
 * tsconfig files, every file under `src/` and `notebooks/` among `files` (the repository's tracked files) and the
 * `workflows` the student's repository runs (their commands are read like a shell script's); files in `stopAt` are
 * reached but not followed.
 */
export function traceStudentCommands(root: string, scripts: Record<string, string>, files: readonly string[], stopAt: readonly string[] = [], workflows: readonly string[] = []): Reach {
  const trace = new StudentTrace(root, new Set(files), new Set(stopAt));
  for (const file of workflows) trace.addFile(file, "the student's repository's workflows");
  for (const name of Object.keys(scripts)) trace.addScript(name, scripts);
  for (const file of [".mocharc.json", "grading.json", "tsconfig.json", "tsconfig.build.json"]) trace.addFile(file, "the student's configuration");
  for (const file of files.filter((f) => /^(src\/.*\.ts|notebooks\/.*\.ipynb)$/.test(f))) trace.addFile(file, "the student's code");
  return trace.run();
}
