/**
 * Issue 20's parity check: grades every per-requirement copy (only-one and all-but-one, as the teeth check writes
 * them) with the sandboxed grader twice, with and without the SES compartment, and lists any test whose status
 * differs. Slow (two gradings of one exercise per copy), so it is a command, not part of npm test:
 *
 *   node -r ts-node/register/transpile-only tools/instructor/teeth/confineParity.ts [R1.1,R2.3]
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadGradingConfig, requirementOf } from "../../core/config";
import type { GradeResult } from "../../core/result";
import { pool } from "../../core/run/pool";
import { stubRegions } from "../release/regions";
import { loadPrerequisites, planCopies } from "./perRequirement";

const ROOT = path.join(__dirname, "..", "..", "..");
const GRADE = path.join(ROOT, "tools", "core", "grade.ts");

function grade(dir: string, exercise: number, out: string, confine: boolean): Promise<GradeResult> {
  const env = { ...process.env, GRADE_CONFINE: confine ? "1" : "0" };
  return new Promise((resolve, reject) =>
    execFile(process.execPath, ["-r", "ts-node/register/transpile-only", GRADE, "--submission", dir, "--format", "json", "--out", out, String(exercise)], { cwd: ROOT, env, maxBuffer: 64 << 20 }, (error) => {
      if (!fs.existsSync(out)) reject(error ?? new Error(`no report for ${dir}`));
      else resolve(JSON.parse(fs.readFileSync(out, "utf8")) as GradeResult);
    }),
  );
}

const statuses = (r: GradeResult) => new Map(r.requirements.flatMap((q) => q.tests.map((t) => [t.name, t.status] as const)));

async function main(): Promise<number> {
  const config = loadGradingConfig(path.join(ROOT, "grading.json"));
  const all = config.exercises.flatMap((ex) => Object.keys(ex.requirements));
  const selected = process.argv[2] ? process.argv[2].split(",") : all;
  const copies = planCopies(config, loadPrerequisites(path.join(ROOT, "grading.json"), config), selected);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "confine-parity-"));
  const sources = fs.readdirSync(path.join(ROOT, "src"), { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  const differences: string[] = [];
  try {
    await pool(copies.length, Math.max(1, os.cpus().length), async (i) => {
      const copy = copies[i];
      const dir = path.join(work, `${copy.requirement}-${copy.mode}`);
      for (const entry of sources) {
        const file = path.join(entry.parentPath, entry.name);
        const rel = path.relative(ROOT, file).split(path.sep).join("/");
        const text = fs.readFileSync(file, "utf8");
        fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
        fs.writeFileSync(path.join(dir, rel), rel.endsWith(".ts") ? stubRegions(text, rel, { keep: copy.keep }).text : text);
      }
      const on = await grade(dir, copy.exercise.id, path.join(dir, "on.json"), true);
      const off = await grade(dir, copy.exercise.id, path.join(dir, "off.json"), false);
      const a = statuses(on);
      const b = statuses(off);
      const names = new Set([...a.keys(), ...b.keys()]);
      const differ = [...names].filter((n) => a.get(n) !== b.get(n));
      const line = `${copy.requirement} ${copy.mode}: ${on.points} / ${off.points} points (confined / not), ${differ.length} test(s) differ${on.flags.length || off.flags.length ? `; flags ${on.flags.join(" ") || "-"} / ${off.flags.join(" ") || "-"}` : ""}`;
      console.log(line);
      for (const n of differ) differences.push(`${copy.requirement} ${copy.mode}: ${requirementOf(n) ?? ""} ${n}: ${a.get(n)} confined, ${b.get(n)} not`);
    });
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  console.log(differences.length === 0 ? `\nSame status for every test of ${copies.length} copies, with and without confinement.` : `\n${differences.join("\n")}`);
  return differences.length === 0 ? 0 : 1;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error) => {
      console.error(`confineParity: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      process.exit(2);
    },
  );
}
