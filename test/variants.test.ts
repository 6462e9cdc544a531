import { expect } from "./helpers/expect";
import * as path from "node:path";
import { caught } from "./helpers/capture";
import { judge } from "../tools/instructor/variants/judge";
import { NaturalSolutionError, fillRegions, naturalSources, parseRegions } from "../tools/instructor/variants/natural";
import { VariantError, applyVariant, loadVariants, type Variant } from "../tools/instructor/variants/variant";
import type { MochaRun } from "../tools/instructor/teeth/perRequirement";

const ROOT = path.join(__dirname, "..");

const source = ["function f() {", "  // BEGIN SOLUTION R9.1", "  return 1;", "  // END SOLUTION", "}", "// BEGIN SOLUTION R9.2", "const x = 1;", "// END SOLUTION", "// BEGIN STUB", "// const x = 0;", "// END STUB", ""].join("\n");

const variant = (kind: Variant["kind"] = "logic"): Variant => ({ id: "v", requirement: "R9.1", kind, bug: "b", edits: [{ file: "src/a.ts", find: "return 1;", replace: "return 2;" }] });
const run = (...tests: [title: string, state: "passed" | "failed"][]): MochaRun => ({
  tests: tests.map(([title, state]) => ({ title, fullTitle: title, state, message: state === "failed" ? "expected 2 to equal 1" : "" })),
  durationMs: 1,
});

describe("#22 the wrong-variant campaign (tools/instructor/variants)", () => {
  it("#22 the natural solution fills each region in order, drops the markers and a STUB block, and refuses a mismatch", () => {
    const regions = parseRegions("//@@ R9.1\n  return 3;\n//@@ R9.2\nconst x = 3;\n", "a.ts.txt");
    expect(fillRegions(source, regions, "a.ts")).to.equal(["function f() {", "  return 3;", "}", "const x = 3;", ""].join("\n"));
    expect(caught(() => fillRegions(source, regions.slice(0, 1), "a.ts"))).to.be.instanceOf(NaturalSolutionError).with.property("message").that.match(/region 2 is R9.2 in the source, but the natural solution has no more regions/);
    expect(caught(() => parseRegions("  return 3;\n", "a.ts.txt"))).to.be.instanceOf(NaturalSolutionError);
  });

  it("#22 the repository's natural solution covers every solution region, and every variant's edits apply to it", () => {
    const natural = naturalSources(ROOT);
    for (const [file, text] of natural) expect(text, file).to.not.match(/\/\/ BEGIN SOLUTION/);
    const variants = loadVariants();
    expect(variants.length, "variants in the campaign").to.be.at.least(40);
    for (const kind of ["state", "formula", "binding", "hardcoded"] as const) expect(variants.some((v) => v.kind === kind), `a ${kind} variant`).to.equal(true);
    for (const v of variants) expect(() => applyVariant(natural, v), v.id).to.not.throw();
  });

  it("#22 an edit whose text is missing or repeated names the variant and the file", () => {
    const sources = new Map([["src/a.ts", "return 1; return 1;"]]);
    expect(caught(() => applyVariant(sources, variant()))).to.be.instanceOf(VariantError).with.property("message").that.match(/^v: src\/a.ts: expected the text to replace exactly once, found it 2 times/);
    expect(applyVariant(new Map([["src/a.ts", "return 1;"]]), variant()).get("src/a.ts")).to.equal("return 2;");
  });

  it("#22 judging: CAUGHT names the failing test, WRONG when only other requirements fail, MISSED when all pass, HARDCODED only when visible passes and hidden fails", () => {
    const ok = run(["R9.1 a", "passed"]);
    expect(judge(variant(), run(["R9.1 a", "failed"]), ok)).to.include({ status: "CAUGHT", ok: true });
    expect(judge(variant(), ok, run(["R9.1 other inputs", "failed"])).detail).to.match(/^by hidden "R9.1 other inputs"/);
    expect(judge(variant(), run(["R9.2 b", "failed"]), ok)).to.include({ status: "WRONG", ok: false });
    expect(judge(variant(), ok, ok)).to.include({ status: "MISSED", ok: false });
    expect(judge(variant(), { tests: [], error: "mocha exited with code 1", durationMs: 1 }, ok)).to.include({ status: "ERROR", ok: false });
    expect(judge(variant("hardcoded"), ok, run(["R9.1 other inputs", "failed"]))).to.include({ status: "HARDCODED", ok: true });
    expect(judge(variant("hardcoded"), run(["R9.1 a", "failed"]), run(["R9.1 other inputs", "failed"]))).to.include({ status: "MISSED", ok: false });
    expect(judge(variant("hardcoded"), ok, ok)).to.include({ status: "MISSED", ok: false });
  });
});
