/**
 * Turns the grader's instructor report (`SubmissionReport`) into the core's {@link GradeResult}, until the score step
 * builds GradeResult itself (issue 19): each requirement's points are shared equally among its tests, hints come from
 * `grading.json`. Also builds the result of a submission that could not be graded at all.
 */
import type { GradingConfig } from "../../grade/config";
import type { SubmissionReport } from "../../grade/submission";
import type { GradeResult, TestResult } from "../result";

const round = (n: number) => Math.round(n * 100) / 100;

/** The GradeResult of an instructor report, with the hint links and test shares of `config`. */
export function fromSubmissionReport(report: SubmissionReport, config: GradingConfig): GradeResult {
  const exercises = report.exercises.map((ex) => ({ ...ex, hints: config.exercises.find((c) => c.id === ex.id)?.hints ?? "" }));
  const requirements = report.requirements.map((req) => {
    const share = req.tests.length > 0 ? req.maxPoints / req.tests.length : 0;
    const tests: TestResult[] = req.tests.map((t) => ({
      name: t.name,
      status: t.status,
      message: t.message,
      points: t.status === "passed" && req.points > 0 ? round(share) : 0,
      maxPoints: round(share),
      hidden: false,
    }));
    return { ...req, tests };
  });
  return { submission: report.submission, points: report.points, maxPoints: report.maxPoints, hiddenMaxPoints: 0, hiddenRan: false, flags: report.flags, durationMs: report.durationMs, exercises, requirements };
}

/** The result of a submission that could not be graded: every requirement of `config` at 0, with the reason. */
export function ungradableResult(config: GradingConfig, submission: string, reason: string, flags: string[] = []): GradeResult {
  const total = (requirements: Record<string, number>) => Object.values(requirements).reduce((a, b) => a + b, 0);
  return {
    submission,
    points: 0,
    maxPoints: config.exercises.reduce((sum, ex) => sum + total(ex.requirements), 0),
    hiddenMaxPoints: 0,
    hiddenRan: false,
    flags,
    durationMs: 0,
    exercises: config.exercises.map((ex) => ({ id: ex.id, title: ex.title, hints: ex.hints, points: 0, maxPoints: total(ex.requirements), flags })),
    requirements: config.exercises.flatMap((ex) => Object.entries(ex.requirements).map(([id, maxPoints]) => ({ id, exercise: ex.id, points: 0, maxPoints, tests: [] }))),
    error: reason,
  };
}
