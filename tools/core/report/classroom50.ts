/**
 * Classroom 50's `result.json` (schema `classroom50/result/v1`, foundation50/classroom50
 * `schemas/result-v1.schema.json`, commit 6e593c79): the identity fields from the environment the Classroom 50 runner
 * (`runner.py`, commit 6b0b83cf) gives an `autograder.py`, and one test per entry of {@link entriesOf} with whole
 * points. Whole points by the largest-remainder method ({@link largestRemainder}): the entries' maxima are rounded
 * so they add up to the rounded total (100), then each entry's score (its share of its whole maximum) is rounded so
 * the scores add up to the rounded sum of those shares, never above the entry's maximum. Each test also carries
 * `message` (the first failing test and the hint link) and the exact fractional `points` and `max-points`.
 */
import type { GradeResult } from "../result";
import { entriesOf } from "./entries";
import type { ReportFormat } from "./format";
import { largestRemainder } from "./integerPoints";

/** Thrown when the environment lacks an identity field Classroom 50's schema requires. */
export class Classroom50EnvError extends Error {
  override name = "Classroom50EnvError";
}

const utc = (date: Date) => `${date.toISOString().slice(0, 19)}Z`;

/** The identity fields of `result.json`, read from the runner's environment (the runner re-stamps owner, type, datetime). */
export function identityOf(env: NodeJS.ProcessEnv, now = new Date()) {
  const owner = env.OWNER || env.USERNAME || env.GITHUB_ACTOR || "";
  const needed = { CLASSROOM: env.CLASSROOM, ASSIGNMENT: env.ASSIGNMENT, SUBMISSION_TAG: env.SUBMISSION_TAG, COMMIT_URL: env.COMMIT_URL, RELEASE_URL: env.RELEASE_URL, "OWNER, USERNAME or GITHUB_ACTOR": owner };
  const missing = Object.entries(needed).filter(([, value]) => !value?.trim()).map(([name]) => name);
  if (missing.length > 0) throw new Classroom50EnvError(`--format classroom50: expected the Classroom 50 runner's environment, missing ${missing.join(", ")}`);
  if (!env.SUBMISSION_TAG!.startsWith("submit/")) throw new Classroom50EnvError(`--format classroom50: expected SUBMISSION_TAG to start with submit/, got ${JSON.stringify(env.SUBMISSION_TAG)}`);
  const type = (env.ASSIGNMENT_TYPE || env.MODE || "individual").trim();
  const actorId = (env.GITHUB_ACTOR_ID ?? "").trim();
  return {
    schema: "classroom50/result/v1",
    classroom: env.CLASSROOM!.trim(),
    assignment: env.ASSIGNMENT!.trim(),
    assignment_type: type === "group" ? "group" : "individual",
    owner: owner.trim(),
    submission: env.SUBMISSION_TAG!.trim(),
    commit: env.COMMIT_URL!.trim(),
    release: env.RELEASE_URL!.trim(),
    review: (env.REVIEW_URL || env.COMMIT_URL)!.trim(),
    datetime: utc(now),
    graded_at: utc(now),
    ...(env.GITHUB_ACTOR ? { submitted_by: { username: env.GITHUB_ACTOR, id: /^\d+$/.test(actorId) ? Number(actorId) : null } } : {}),
  };
}

/** Whole maxima and scores for entries with fractional ones (see the file comment). */
export function wholePoints(entries: { points: number; maxPoints: number }[]): { score: number; max: number }[] {
  const max = largestRemainder(entries.map((e) => e.maxPoints));
  const shares = entries.map((e, i) => (e.maxPoints > 0 ? (e.points / e.maxPoints) * max[i] : 0));
  const score = largestRemainder(shares, max);
  return entries.map((_, i) => ({ score: score[i], max: max[i] }));
}

function render(result: GradeResult, env: NodeJS.ProcessEnv): string {
  const entries = entriesOf(result, env);
  const whole = wholePoints(entries);
  const tests = entries.map((e, i) => ({
    "test-name": e.name,
    passed: e.passed,
    score: whole[i].score,
    "max-score": whole[i].max,
    message: e.message,
    points: e.points,
    "max-points": e.maxPoints,
  }));
  const payload = {
    ...identityOf(env),
    score: whole.reduce((a, w) => a + w.score, 0),
    "max-score": whole.reduce((a, w) => a + w.max, 0),
    tests,
  };
  return `${JSON.stringify(payload, null, 2)}\n`;
}

/** The Classroom 50 format; the package's `autograder.py` writes it to `result.json` in the student's checkout. */
export const classroom50: ReportFormat = { defaultFile: "result.json", render };
