/** The median of amounts held in ticks, as exact USD. */
import { ticksToUsd, type Dec } from '../shared/money.js';

/**
 * Of an even count, the mean of the middle two, its half tick kept: the median of
 * $70.0000000001 and $70.0000000002 weeks is $70.00000000015. Undefined for none.
 */
export function medianUsd(ticks: readonly bigint[]): Dec | undefined {
  const n = ticks.length;
  if (n === 0) return undefined;
  const sorted = [...ticks].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const m = n >> 1;
  return n % 2 ? ticksToUsd(sorted[m]!) : ticksToUsd(sorted[m - 1]! + sorted[m]!).div(2);
}
