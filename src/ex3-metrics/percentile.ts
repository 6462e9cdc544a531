/**
 * Returns the p-th percentile of an ascending list by the nearest-rank method: the smallest value with at least
 * p% of the list at or below it (`sorted[ceil(p * n / 100) - 1]`); 0 for an empty list.
 * @param sorted - values in ascending order
 * @param p - the percentile, in (0, 100]
 * @example percentile([1, 2, 3, 4], 50) // 2
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  // TODO(R3.3): nearest rank: return the ceil(p × n / 100)-th smallest value (counting from 1).
  // BEGIN SOLUTION R3.3
  return sorted[Math.ceil((p * sorted.length) / 100) - 1];
  // END SOLUTION
}
