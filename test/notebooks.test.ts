import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { CHECK_FAILED } from "../src";
import { runNotebookInProcess, type CellRun } from "../tools/notebookRunner";

const NOTEBOOKS = path.join(__dirname, "..", "notebooks");
const notebooks = fs.readdirSync(NOTEBOOKS).filter((f) => f.endsWith(".ipynb")).sort();

/** Notebooks that must draw a chart (an inline SVG through tslab's display API). */
const CHARTS = new Set(["03-metrics-decorators.ipynb", "04-retry-circuit-breaker.ipynb"]);

/** The requirement a notebook belongs to: "01-…" is Exercise 1. */
function exerciseOf(file: string): string {
  return `R${Number(file.slice(0, 2))}`;
}

describe("Notebooks run in-process with tslab's compiler and executor", function () {
  this.timeout(60000);
  const results = new Map<string, CellRun[]>();

  before(async () => {
    for (const file of notebooks) results.set(file, await runNotebookInProcess(path.join(NOTEBOOKS, file)));
  });

  for (const file of notebooks) {
    it(`${exerciseOf(file)}.x ${file}: every code cell compiles and runs`, () => {
      expect(file).to.match(/^0[1-4]-[a-z0-9]+(-[a-z0-9]+)*\.ipynb$/);
      const runs = results.get(file)!;
      const failed = runs.find((r) => !r.ok);
      expect(failed, failed && `cell ${failed.index} failed:\n${failed.source}\n---\n${failed.output}`).to.equal(undefined);
    });

    it(`${exerciseOf(file)}.x ${file}: every check cell passes`, () => {
      const output = results.get(file)!.map((r) => r.output).join("\n");
      const failures = output.split("\n").filter((l) => l.startsWith(CHECK_FAILED));
      expect(failures, failures.join("\n")).to.deep.equal([]);
      expect(output).to.include("✔");
    });

    if (CHARTS.has(file)) {
      it(`${exerciseOf(file)}.x ${file}: draws its chart as inline SVG`, () => {
        expect(results.get(file)!.flatMap((r) => r.displays)).to.include("image/svg+xml");
      });
    }
  }
});
