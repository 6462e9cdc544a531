import type { RanTest } from "./verdict";

/** What the verdict adds after the tests, set by the `npm test` runner (run.ts) and read by the reporter. */
export const verdictExtras: { build?: Promise<string>; others?: Promise<{ tests: RanTest[]; details: string }> } = {};
