import { requirementOf } from "../../core/config";
import type { MochaRun, MochaTestResult } from "../teeth/perRequirement";
import type { Variant } from "./variant";

/** What running one variant's exercise tests found. */
export interface VariantVerdict {
  variant: Variant;
  /** CAUGHT: a test of the variant's requirement fails. MISSED: every test passes. WRONG: only other requirements' tests fail. ERROR: the tests did not run. HARDCODED: a hard-coded answer passes the visible tests and fails hidden ones. */
  status: "CAUGHT" | "MISSED" | "WRONG" | "ERROR" | "HARDCODED";
  /** Failing tests of the visible files, then of the hidden files. */
  visibleFailures: MochaTestResult[];
  hiddenFailures: MochaTestResult[];
  /** Whether the outcome is what the campaign wants (exit status 0). */
  ok: boolean;
  detail: string;
}

const failures = (run: MochaRun) => run.tests.filter((t) => t.state === "failed");
const named = (tests: MochaTestResult[], requirement: string) => tests.filter((t) => requirementOf(t.title) === requirement);

/** Judges a variant from its visible run and its hidden run. */
export function judge(variant: Variant, visible: MochaRun, hidden: MochaRun): VariantVerdict {
  const visibleFailures = failures(visible);
  const hiddenFailures = failures(hidden);
  const base = { variant, visibleFailures, hiddenFailures };
  const error = visible.error ?? hidden.error;
  if (error) return { ...base, status: "ERROR", ok: false, detail: `the tests did not run: ${error}` };
  const own = [...named(visibleFailures, variant.requirement), ...named(hiddenFailures, variant.requirement)];
  if (variant.kind === "hardcoded") {
    const hiddenOwn = named(hiddenFailures, variant.requirement);
    const ok = visibleFailures.length === 0 && hiddenOwn.length > 0;
    const detail = ok
      ? `passes every visible test and fails ${hiddenOwn.length} hidden ${variant.requirement} test(s): ${quote(hiddenOwn[0])}`
      : visibleFailures.length > 0
        ? `not a pure hard-code: it fails visible tests too, first ${quote(visibleFailures[0])}`
        : `passes every hidden test too: the hidden tests do not catch this hard-coded answer`;
    return { ...base, status: ok ? "HARDCODED" : "MISSED", ok, detail };
  }
  if (own.length > 0) {
    const by = own[0];
    const where = named(visibleFailures, variant.requirement).includes(by) ? "visible" : "hidden";
    return { ...base, status: "CAUGHT", ok: true, detail: `by ${where} ${quote(by)}${own.length > 1 ? ` (+${own.length - 1} more)` : ""}` };
  }
  const others = [...visibleFailures, ...hiddenFailures];
  if (others.length > 0) {
    const ids = [...new Set(others.map((t) => requirementOf(t.title) ?? "untitled"))].join(", ");
    return { ...base, status: "WRONG", ok: false, detail: `only tests of ${ids} fail, none of ${variant.requirement}: first ${quote(others[0])}` };
  }
  return { ...base, status: "MISSED", ok: false, detail: "every visible and hidden test passes" };
}

/** A test's title and the first line of its failure, for one report line. */
export function quote(test: MochaTestResult): string {
  const message = (test.message.split("\n").find((l) => l.trim()) ?? "").trim();
  return `"${test.title}"${message ? ` — ${message.length > 110 ? `${message.slice(0, 109)}…` : message}` : ""}`;
}
