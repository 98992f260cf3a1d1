/**
 * How a budget's share used is shown. Rounded, 79.99% of a limit reads "80.0%" beside a
 * green state and 99.99% reads "100.0%" beside amber, as if the soft or hard limit were
 * reached when it is not; cut down instead, a figure shown reaches a limit only when the
 * spend does (`percent` is itself spent / limit cut to two decimals, budget-status.ts).
 */

/** `percent` (two decimals) cut to one: 79.99 → "79.9%", 80 → "80.0%". */
export function percentUsedText(percent: number): string {
  // Whole hundredths first: 79.99 * 10 is not exactly 799.9 in binary.
  const tenths = Math.floor(Math.round(percent * 100) / 10);
  return `${(tenths / 10).toFixed(1)}%`;
}

/** Cells of a `width`-cell bar filled for `percent`: never all of them before the limit is reached. */
export function filledCells(percent: number, width: number): number {
  const n = Math.max(0, Math.min(width, Math.round((Math.max(0, percent) / 100) * width)));
  return percent < 100 ? Math.min(n, Math.max(0, width - 1)) : n;
}
