import * as fs from "node:fs";
import * as path from "node:path";

/**
 * The kinds of plausible student bugs the campaign tries (issue 22):
 * - `logic`: a wrong rule, condition or order;
 * - `state`: a state change the main assertion does not look at (a list mutated in place, a field left behind);
 * - `formula`: a formula that differs only on inputs a test may not use (rounding, a cap, an off-by-one);
 * - `binding`: behaviour lost through binding or wrapping (names, `this`, late overrides);
 * - `hardcoded`: an answer written for the visible tests' inputs: it must pass every visible test and lose
 *   hidden points of its requirement.
 */
export type VariantKind = "logic" | "state" | "formula" | "binding" | "hardcoded";

/** One plausible student bug: search/replace edits on the natural solution's files. */
export interface Variant {
  id: string;
  /** The requirement the bug breaks: a test titled with it must fail. */
  requirement: string;
  kind: VariantKind;
  /** What a student did, in one sentence. */
  bug: string;
  /** Edits to apply in order; each `find` must occur exactly once in its file. */
  edits: { file: string; find: string; replace: string }[];
}

/** Thrown when variants.json is malformed or an edit does not apply. */
export class VariantError extends Error {
  override name = "VariantError";
}

const KINDS: VariantKind[] = ["logic", "state", "formula", "binding", "hardcoded"];

/** Reads and checks the campaign's list of variants. */
export function loadVariants(file = path.join(__dirname, "variants.json")): Variant[] {
  const list = JSON.parse(fs.readFileSync(file, "utf8")) as { variants: Variant[] };
  const seen = new Set<string>();
  for (const [i, v] of list.variants.entries()) {
    const at = `variants[${i}] (${v.id})`;
    if (typeof v.id !== "string" || seen.has(v.id)) throw new VariantError(`${at}: expected a unique id`);
    seen.add(v.id);
    if (!/^R\d+\.\d+$/.test(v.requirement)) throw new VariantError(`${at}: expected a requirement like "R1.2", got ${JSON.stringify(v.requirement)}`);
    if (!KINDS.includes(v.kind)) throw new VariantError(`${at}: expected kind among ${KINDS.join(", ")}, got ${JSON.stringify(v.kind)}`);
    if (!Array.isArray(v.edits) || v.edits.length === 0) throw new VariantError(`${at}: expected at least one edit`);
  }
  return list.variants;
}

/**
 * Applies a variant's edits to a copy of the sources.
 * @throws VariantError naming the variant and file when a `find` occurs not exactly once
 */
export function applyVariant(sources: Map<string, string>, variant: Variant): Map<string, string> {
  const out = new Map(sources);
  for (const edit of variant.edits) {
    const text = out.get(edit.file);
    if (text === undefined) throw new VariantError(`${variant.id}: ${edit.file}: no such source file`);
    const count = text.split(edit.find).length - 1;
    if (count !== 1) throw new VariantError(`${variant.id}: ${edit.file}: expected the text to replace exactly once, found it ${count} times: ${JSON.stringify(edit.find)}`);
    out.set(edit.file, text.replace(edit.find, () => edit.replace));
  }
  return out;
}
