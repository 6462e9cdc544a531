/**
 * How a requirement's points are shared among its tests (issue 22): without hidden tests every test carries an equal
 * share; with them, the visible tests share `1 − hiddenShare` of the points equally and the hidden tests share
 * `hiddenShare` equally.
 */

/** A requirement's point shares: what one visible and one hidden test carries. */
export interface Shares {
  visible: number;
  hidden: number;
  /** The points the hidden tests carry together (0 without hidden tests). */
  hiddenPoints: number;
}

/**
 * The shares of a requirement worth `points` with `visible` and `hidden` tests. `hasHidden` says whether the
 * requirement has hidden tests at all: true with hidden tests counted, or, where hidden files are absent (a student's
 * repository), when its exercise lists hidden test files.
 */
export function shares(points: number, visible: number, hidden: number, hiddenShare: number, hasHidden = hidden > 0): Shares {
  const hiddenPoints = hasHidden ? points * hiddenShare : 0;
  return {
    visible: visible > 0 ? (points - hiddenPoints) / visible : 0,
    hidden: hidden > 0 ? hiddenPoints / hidden : 0,
    hiddenPoints,
  };
}

/** Rounds points to hundredths, as every report shows them. */
export const roundPoints = (n: number): number => Math.round(n * 100) / 100;
