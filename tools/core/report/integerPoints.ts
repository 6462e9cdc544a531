/**
 * Whole points for platforms that only take integers (Classroom 50), by the largest-remainder method: every value
 * is rounded down, then the units still missing to reach the rounded total go, one each, to the values with the
 * largest fractional parts (the earlier value first on a tie), never above a value's cap. The result adds up to
 * `Math.round(sum)` whenever the caps leave room, so 20 requirements of 5 points, or 3 of 33.33…, still total 100.
 */
export function largestRemainder(values: number[], caps: number[] = values.map(() => Infinity)): number[] {
  const EPS = 1e-9;
  const floors = values.map((v) => Math.floor(v + EPS));
  let missing = Math.round(values.reduce((a, b) => a + b, 0)) - floors.reduce((a, b) => a + b, 0);
  const order = values.map((v, i) => ({ i, rest: v - floors[i] })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (const { i, rest } of order) {
    if (missing <= 0) break;
    if (rest <= EPS || floors[i] + 1 > caps[i]) continue;
    floors[i] += 1;
    missing -= 1;
  }
  return floors;
}
