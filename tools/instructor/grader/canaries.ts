import { randomBytes } from "node:crypto";
import * as path from "node:path";
import type { PlannedTest } from "./protocol";
import type { TestOutcome } from "./runExercise";

/** The canary tests of one exercise run: tests a tampered harness gets wrong. */
export interface Canaries {
  word: string;
  passFirst: boolean[];
  tests: { test: PlannedTest; mustPass: boolean }[];
  /** What the outcomes say about tampering: one line per canary with the wrong result. */
  check(outcomes: Map<string, TestOutcome>): string[];
}

/** Three pairs of canary tests per test file, with a secret name and a secret order of must-pass and must-fail. */
export function makeCanaries(files: string[]): Canaries {
  const word = `c${randomBytes(6).toString("hex")}`;
  const passFirst = files.flatMap(() => [0, 1, 2].map(() => randomBytes(1)[0] % 2 === 0));
  const tests = files.flatMap((file, fi) =>
    [0, 1, 2].flatMap((k) =>
      ["a", "b"].map((title) => {
        const suite = `${word}-${fi}-${k}`;
        const mustPass = (title === "a") === passFirst[fi * 3 + k];
        return { test: { id: `${path.normalize(file)} :: ${suite} ${title}`, title, file: path.resolve(file) }, mustPass };
      }),
    ),
  );
  const check = (outcomes: Map<string, TestOutcome>) =>
    tests.flatMap(({ test, mustPass }) => {
      const got = outcomes.get(test.id);
      if (!got) return [];
      if (mustPass && got.status === "failed") return [`a canary test that must pass failed (${got.message.slice(0, 200)})`];
      if (!mustPass && got.status === "passed") return ["a canary test that must fail passed: the test framework or assertions were tampered with"];
      if (got.status === "not run" && /mocha finished without running/.test(got.message)) return ["a canary test was removed from the run"];
      return [];
    });
  return { word, passFirst, tests, check };
}
