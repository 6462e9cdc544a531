import type { MutationReport } from "./score";

/** The parts of Stryker's report that say which tests killed a mutant and where those tests live. */
export interface KillReport extends MutationReport {
  testFiles?: Record<string, { tests: { id: string; name: string }[] }>;
}

/** How a hidden test is recognised: its file is in `test/hidden/`, or (no file in the report) its top suite says so. */
const isHiddenTest = (file: string, name: string) => file.replace(/\\/g, "/").includes("test/hidden/") || name.includes("— hidden tests");

/**
 * The report as the visible tests alone would have made it: a mutant that only hidden tests killed becomes
 * Survived. Needs a run with Stryker's `disableBail` (every covering test runs, `killedBy` lists every killer);
 * a Timeout stays detected (the report does not say which test hung).
 * @param report - the parsed `reports/mutation/mutation.json`
 * @returns a copy; the report itself is unchanged
 */
export function withoutHiddenKills(report: KillReport): MutationReport {
  const hidden = new Set<string>();
  for (const [file, { tests }] of Object.entries(report.testFiles ?? {})) {
    for (const t of tests) if (isHiddenTest(file, t.name)) hidden.add(t.id);
  }
  const files: MutationReport["files"] = {};
  for (const [file, entry] of Object.entries(report.files)) {
    files[file] = {
      ...entry,
      mutants: entry.mutants.map((m) => {
        const killers = (m as { killedBy?: string[] }).killedBy ?? [];
        const onlyHidden = m.status === "Killed" && killers.length > 0 && killers.every((id) => hidden.has(id));
        return onlyHidden ? { ...m, status: "Survived", statusReason: "killed only by hidden tests" } : m;
      }),
    };
  }
  return { ...report, files };
}

/** Whether the report lists any hidden test (a run that included them). */
export function hasHiddenTests(report: KillReport): boolean {
  return Object.entries(report.testFiles ?? {}).some(([file, { tests }]) => tests.some((t) => isHiddenTest(file, t.name)));
}
