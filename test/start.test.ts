import { expect } from "./helpers/expect";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { DEMOS, type DemoEntry } from "../src/cli/demos";
import { parseStartArgs, start } from "../src/cli/start";
import { NotImplementedError } from "../src/shared/NotImplementedError";

const ROOT = path.join(__dirname, "..");

/** A logger that keeps what it is given. */
function recorder(): { log: (...parts: unknown[]) => void; lines: string[] } {
  const lines: string[] = [];
  return { lines, log: (...parts: unknown[]) => lines.push(parts.map(String).join(" ")) };
}

describe("#21 npm start runs the exercises' main blocks", () => {
  it("#21 parses exercise numbers and --seed N, and rejects anything else with the usage line", () => {
    expect(parseStartArgs([])).to.deep.equal({ exercises: [1, 2, 3, 4], seed: undefined });
    expect(parseStartArgs(["3", "1", "--seed", "7"])).to.deep.equal({ exercises: [3, 1], seed: 7 });
    expect(() => parseStartArgs(["--seed", "NaN"])).to.throw(/--seed: expected an integer, got NaN\nusage: npm start/);
    expect(() => parseStartArgs(["--seed"])).to.throw(/expected an integer, got undefined/);
    expect(() => parseStartArgs(["5"])).to.throw(/unknown argument "5": expected an exercise number 1-4/);
  });

  it("#21 every exercise's main block runs on the reference solution without a failure", async () => {
    const out = recorder();
    expect(await start({ exercises: [1, 2, 3, 4], seed: 7 }, out.log)).to.equal(0);
    for (const demo of DEMOS) expect(out.lines).to.include(`\n=== Exercise ${demo.exercise}: ${demo.title} ===`);
    expect(out.lines.join("\n")).not.to.match(/demo failed|⏳/);
  });

  it("#21 a stub shows ⏳ with its message once, a failure (also while loading) shows its stack, and the next exercise still runs", async () => {
    const ran: number[] = [];
    const demos: DemoEntry[] = [
      { exercise: 1, title: "stub", load: () => () => { throw new NotImplementedError("R1.5", "runExercise1Demo"); } },
      { exercise: 2, title: "throws while loading", load: () => { throw new Error("boom"); } },
      { exercise: 3, title: "fails", load: () => async () => { throw new RangeError("late"); } },
      { exercise: 4, title: "works", load: () => () => ran.push(4) },
    ];
    const out = recorder();
    expect(await start({ exercises: [1, 2, 3, 4] }, out.log, demos)).to.equal(2);
    expect(ran).to.deep.equal([4]);
    const text = out.lines.join("\n");
    expect(text).to.include("⏳ R1.5 runExercise1Demo: not implemented yet (see the TODO(R1.5) comment)");
    expect(text.match(/not implemented yet/g)).to.have.length(1);
    expect(text).to.match(/demo failed: Error: boom\n\s+at /);
    expect(text).to.match(/demo failed: RangeError: late\n\s+at /);
  });

  it("#21 loading the list of demos loads no exercise: each loads when it runs", () => {
    const script = `require(${JSON.stringify(path.join(ROOT, "src", "cli", "demos.ts"))}); console.log(Object.keys(require.cache).filter((f) => /[\\\\/]ex\\d-/.test(f)).length);`;
    const child = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script], { cwd: ROOT, encoding: "utf8" });
    expect(child.stderr).to.equal("");
    expect(child.stdout.trim()).to.equal("0");
  });
});
