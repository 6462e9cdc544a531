import { expect } from "./helpers/expect";
import * as fs from "node:fs";
import * as path from "node:path";
import { CHECK_FAILED, CHECK_PASSED, EXAMPLE_PENDING, example } from "../src/notebook";
import { NotImplementedError } from "../src/shared/NotImplementedError";
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

    it(`${exerciseOf(file)}.x ${file}: every example runs and every check cell passes`, () => {
      const output = results.get(file)!.map((r) => r.output).join("\n");
      const failures = output.split("\n").filter((l) => l.startsWith(CHECK_FAILED) || l.startsWith(EXAMPLE_PENDING));
      if (failures.length > 0) expect.fail(`${failures.length} example(s) or check(s) did not pass:\n${failures.join("\n")}`);
      expect(output).to.include(CHECK_PASSED);
    });

    if (CHARTS.has(file)) {
      it(`${exerciseOf(file)}.x ${file}: draws its chart as inline SVG`, () => {
        expect(results.get(file)!.flatMap((r) => r.displays)).to.include("image/svg+xml");
      });
    }
  }
});

describe("#6 example(): notebooks run to the end with unwritten stubs", () => {
  const stub = () => {
    throw new NotImplementedError("R2.3", "OneOf.validate");
  };

  it("#6 returns what the example returns, and prints nothing of its own", () => {
    const lines: string[] = [];
    expect(example(() => 42, (l) => lines.push(l))).to.equal(42);
    expect(lines).to.deep.equal([]);
  });

  it("#6 an unwritten stub prints one ⏳ line naming the requirement and gives undefined", async () => {
    const lines: string[] = [];
    expect(example(stub, (l) => lines.push(l))).to.equal(undefined);
    expect(await example(async () => stub(), (l) => lines.push(l))).to.equal(undefined);
    expect(lines).to.deep.equal(Array(2).fill(`${EXAMPLE_PENDING} R2.3 OneOf.validate: not implemented yet (see the TODO(R2.3) comment)`));
  });

  it("#6 every other error, thrown or rejected, goes through unchanged", async () => {
    const boom = new TypeError("a real bug");
    expect(() => example(() => { throw boom; }, () => {})).to.throw(boom);
    let rejectedWith: unknown;
    await example(async () => { throw "not an Error"; }, () => {}).catch((e: unknown) => (rejectedWith = e));
    expect(rejectedWith).to.equal("not an Error");
  });
});
