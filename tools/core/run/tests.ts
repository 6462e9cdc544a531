/**
 * The tests mocha loaded, as the driver names and selects them: IDs built from titles by plain string
 * concatenation and index loops only, because code under test may have replaced String and Array methods by then.
 */
import * as path from "node:path";
import type Mocha from "mocha";
import type { PlannedTest } from "./outcome";

const StringOf = String;
const relative = path.relative;

/** A mocha suite, as far as the driver reads it. */
export interface SuiteLike {
  title: string;
  root?: boolean;
  parent?: SuiteLike;
  file?: string;
  tests: TestLike[];
  suites: SuiteLike[];
}
/** A mocha test (or hook), as far as the driver reads it. */
export interface TestLike {
  title: string;
  file?: string;
  parent?: SuiteLike;
  type?: string;
}

/**
 * A test's ID: its file and full title, built by plain string concatenation rather than with mocha's
 * `fullTitle()`, which uses Array methods that code under test could replace to relabel results.
 */
export function idOf(test: TestLike, root = process.cwd()): string {
  let title = StringOf(test.title);
  for (let suite = test.parent; suite && !suite.root; suite = suite.parent) title = `${StringOf(suite.title)} ${title}`;
  return `${relative(root, test.file ?? "")} :: ${title}`;
}

/** Every test below a suite, in run order, collected with index loops only. */
export function allTests(suite: SuiteLike, into: TestLike[] = []): TestLike[] {
  for (let i = 0; i < suite.tests.length; i++) into[into.length] = suite.tests[i];
  for (let i = 0; i < suite.suites.length; i++) allTests(suite.suites[i], into);
  return into;
}

export const planned = (test: TestLike, root: string): PlannedTest => ({ id: idOf(test, root), title: StringOf(test.title), file: test.file ?? "" });

/** The tests loaded, in run order (after `grep`). */
export function plan(mocha: Mocha, root = process.cwd()): PlannedTest[] {
  const grep = (mocha.options as { grep?: RegExp | string }).grep;
  const pattern = grep === undefined ? undefined : new RegExp(grep);
  const tests = allTests(mocha.suite as unknown as SuiteLike);
  const found: PlannedTest[] = [];
  for (let i = 0; i < tests.length; i++) {
    if (!pattern || pattern.test((tests[i] as unknown as Mocha.Test).fullTitle())) found[found.length] = planned(tests[i], root);
  }
  return found;
}

/** Keeps the tests `keep` accepts, with index loops only (code under test may have replaced Array methods). */
export function keepTests(suite: SuiteLike, keep: (test: TestLike) => boolean): void {
  const kept: TestLike[] = [];
  for (let i = 0; i < suite.tests.length; i++) if (keep(suite.tests[i])) kept[kept.length] = suite.tests[i];
  suite.tests = kept;
  for (let i = 0; i < suite.suites.length; i++) keepTests(suite.suites[i], keep);
}

