import { expect } from "./helpers/expect";
import assert from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { check, CHECK_FAILED } from "../src/notebook";
import { notWritten, stubsUnwritten } from "../src/shared/NotImplementedError";
import { stubRegions } from "../tools/instructor/release/regions";

const ROOT = path.join(__dirname, "..");

describe("#21 class-level stubs read as not written yet", () => {
  afterEach(() => stubsUnwritten().clear());

  it("#21 the release's R2.5 and R4.3 stubs mark their class with notWritten in a static block the solution replaces", () => {
    for (const [file, requirement] of [["src/ex2-descriptors/SensorConfig.ts", "R2.5"], ["src/ex4-resilience/errors.ts", "R4.3"]]) {
      const full = path.join(ROOT, file);
      const released = stubRegions(fs.readFileSync(full, "utf8"), full).text;
      expect(released, file).to.match(new RegExp(`static \\{\\n(\\s*//.*\\n)?\\s*notWritten\\("${requirement.replace(".", "\\.")}"`));
      expect(fs.readFileSync(full, "utf8"), `${file} (the solution)`).not.to.match(/^\s*notWritten\(/m);
    }
  });

  it("#21 a failing check of a class-level stub's requirement, or of one building on it, prints ⏳; any other prints ✘", () => {
    const printed: string[] = [];
    notWritten("R4.3", "PipelineError");
    check("R4.3 the hierarchy", () => assert.fail("no base class"), (l) => printed.push(l));
    check("R4.5 main block", () => assert.fail("wrong output"), (l) => printed.push(l));
    check("R4.1 backoff", () => assert.fail("wrong delay"), (l) => printed.push(l));
    expect(printed[0]).to.match(/^⏳ R4\.3 the hierarchy\n {4}waits for a stub not written yet: R4\.3 PipelineError: not written yet/);
    expect(printed[1]).to.match(/^⏳ R4\.5 main block\n {4}waits for a stub not written yet: R4\.3 PipelineError/);
    expect(printed[2]).to.match(new RegExp(`^${CHECK_FAILED} R4\\.1 backoff`));
    // Written: the static block is gone, so a failure is a failure.
    stubsUnwritten().clear();
    check("R4.3 the hierarchy", () => assert.fail("no base class"), (l) => printed.push(l));
    expect(printed[3]).to.match(new RegExp(`^${CHECK_FAILED} R4\\.3 the hierarchy`));
  });
});
