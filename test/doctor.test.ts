import { expect } from "./helpers/expect";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { KERNEL_DISPLAY_NAME, KERNEL_NAME } from "../tools/student/frontEnds";

const ROOT = path.join(__dirname, "..");
const doctor = require("../tools/student/doctor.cjs") as { KERNEL_NAME: string; KERNEL_DISPLAY_NAME: string };

describe("#21 npm run doctor", () => {
  it("#21 on a fresh clone (no node_modules, no build, no kernel, no front end) it exits 1 with one line per problem, each with its fix", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lecture34-doctor-"));
    const bin = path.join(dir, "bin");
    const clone = path.join(dir, "clone");
    try {
      fs.mkdirSync(path.join(clone, "tools", "student"), { recursive: true });
      fs.copyFileSync(path.join(ROOT, "tools", "student", "doctor.cjs"), path.join(clone, "tools", "student", "doctor.cjs"));
      // Only node on the PATH: no jupyter, no code, no git.
      fs.mkdirSync(bin);
      fs.symlinkSync(process.execPath, path.join(bin, "node"));
      const result = spawnSync(process.execPath, ["tools/student/doctor.cjs"], { cwd: clone, encoding: "utf8", env: { PATH: bin, HOME: path.join(dir, "home") } });
      expect(result.status, result.stdout + result.stderr).to.equal(1);
      expect(result.stderr).to.equal("");
      const problems = result.stdout.split("\n").filter((l) => l.startsWith("✘"));
      expect(problems.map((l) => l.replace(/:.*/, ""))).to.deep.equal(["✘ dependencies", "✘ build", "✘ notebook front end", "✘ kernel", "✘ nbconvert"]);
      for (const line of problems) expect(line).to.match(/ — fix: \S/);
      expect(result.stdout).to.include("— fix: npm ci").and.include("— fix: npm run kernel").and.not.include("    at ");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("#21 it looks for the kernel the notebooks ask for", () => {
    expect([doctor.KERNEL_NAME, doctor.KERNEL_DISPLAY_NAME]).to.deep.equal([KERNEL_NAME, KERNEL_DISPLAY_NAME]);
  });
});
