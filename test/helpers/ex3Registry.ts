import * as sinon from "sinon";
import { MetricsRegistry, type CountFigures, type StageMetrics, type TimingFigures } from "../../src/ex3-metrics";
import * as lib from "../../src/ex3-metrics";

/** The registry keys that hold a stage's figures: its name (one merged entry) or `name.count` and `name.time`. */
export function keysOf(stage: string): string[] {
  return [stage, `${stage}.count`, `${stage}.time`];
}

/** What the registry holds for one stage, whichever way it is stored. */
export interface StageView {
  /** The keys the stage's entries are under, in registration order. */
  keys: string[];
  counts?: CountFigures;
  timing?: TimingFigures;
  /** The entry with the counts (the same object as `timed` when merged). */
  counted?: StageMetrics;
  /** The entry with the timing. */
  timed?: StageMetrics;
}

/** Reads a stage's figures from `[key, metrics]` pairs, accepting one merged entry or two entries. */
export function viewOf(stage: string, entries: Iterable<[string, StageMetrics]>): StageView {
  const view: StageView = { keys: [] };
  const keys = keysOf(stage);
  for (const [key, m] of entries) {
    if (!keys.includes(key)) continue;
    view.keys.push(key);
    if (m.counts) [view.counts, view.counted] = [m.counts, m];
    if (m.timing) [view.timing, view.timed] = [m.timing, m];
  }
  return view;
}

/**
 * A test-local registry standing in for `MetricsRegistry.register` (so R3.2–R3.4 do not depend on R3.1): it keeps
 * every call, and stores entries by name, merging a second registration under one name (`existing.merge`), as
 * the given part of `register` does.
 */
export class FakeRegistry {
  readonly calls: [string, StageMetrics][] = [];
  /** What each registration carried when it was made (a later `merge` may change the objects themselves). */
  private readonly snapshots: string[] = [];
  readonly entries = new Map<string, StageMetrics>();

  constructor() {
    sinon.stub(MetricsRegistry, "register").callsFake((name: string, metrics: StageMetrics) => {
      this.calls.push([name, metrics]);
      this.snapshots.push(JSON.stringify({ key: name, counts: metrics.counts, timing: metrics.timing }));
      const existing = this.entries.get(name);
      if (existing) existing.merge(metrics);
      else this.entries.set(name, metrics);
    });
  }

  /** The registrations of one stage (under its name, `name.count` or `name.time`). */
  callsFor(stage: string): [string, StageMetrics][] {
    return this.calls.filter(([key]) => keysOf(stage).includes(key));
  }

  /** What the registry holds for one stage. */
  view(stage: string): StageView {
    return viewOf(stage, this.entries);
  }

  /** The keys registered so far, for failure messages. */
  /** Each registration as it was made, then what the registry holds now. */
  describe(): string {
    const now = JSON.stringify([...this.entries].map(([key, m]) => ({ key, counts: m.counts, timing: m.timing })));
    return `[${this.snapshots.join(",")}], and the registry holds now: ${now}`;
  }
}

/**
 * Compiles a notebook cell as tslab does (TypeScript 5.0.4, `experimentalDecorators`) and runs it with
 * `import … from "lib"` bound to Exercise 3's exports.
 * @returns the value the cell assigns to `result`
 */
export function runLegacyCell(cell: string): { result: unknown; diagnostics: readonly unknown[]; decorated: boolean } {
  // Loaded on first use: tslab's TypeScript takes a while to load, and most runs filter these tests out.
  const ts = require("@tslab/typescript-for-tslab") as typeof import("@tslab/typescript-for-tslab");
  const out = ts.transpileModule(`declare let result: any;\n${cell}`, {
    reportDiagnostics: true,
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, experimentalDecorators: true },
  });
  const scope: { result?: unknown } = {};
  new Function("require", "exports", "scope", `let result; ${out.outputText}; scope.result = result;`)(() => lib, {}, scope);
  return { result: scope.result, diagnostics: out.diagnostics ?? [], decorated: out.outputText.includes("__decorate(") };
}
