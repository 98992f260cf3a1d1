/**
 * Splits an amount of ticks over weights so that the parts add up to the amount
 * exactly (largest remainder: each part is floored, then the ticks left over go one
 * each to the largest fractional parts, ties to the earlier weight). Money that is
 * split never gains or loses a tick.
 */
export function allocateTicks(total: bigint, weights: readonly bigint[]): bigint[] {
  const sum = weights.reduce((a, b) => a + b, 0n);
  if (weights.length === 0) return [];
  if (sum <= 0n) {
    // Nothing to be proportional to: split evenly.
    return allocateTicks(total, weights.map(() => 1n));
  }
  const negative = total < 0n;
  const amount = negative ? -total : total;
  const parts = weights.map((w) => (amount * (w < 0n ? 0n : w)) / sum);
  let left = amount - parts.reduce((a, b) => a + b, 0n);
  const order = weights
    .map((w, i) => ({ i, rem: (amount * (w < 0n ? 0n : w)) % sum }))
    .sort((a, b) => (b.rem > a.rem ? 1 : b.rem < a.rem ? -1 : a.i - b.i));
  for (const { i } of order) {
    if (left === 0n) break;
    parts[i]! += 1n;
    left -= 1n;
  }
  return negative ? parts.map((p) => -p) : parts;
}
