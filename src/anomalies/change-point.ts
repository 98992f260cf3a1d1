/**
 * Where a run of values (log ratios to baseline, say) most likely steps up: the split into
 * a before and an after (each at least one period) whose mean difference, in standard errors
 * of that difference for equal-variance values, is largest. Returns the index of the first
 * period after the step (1..length − 1), or undefined with fewer than two periods.
 */
export function likeliestStep(z: ArrayLike<number>): number | undefined {
  const n = z.length;
  if (n < 2) return undefined;
  let total = 0;
  for (let i = 0; i < n; i++) total += z[i]!;
  let before = 0;
  let best = -Infinity;
  let at: number | undefined;
  for (let k = 1; k < n; k++) {
    before += z[k - 1]!;
    const d = ((total - before) / (n - k) - before / k) * Math.sqrt((k * (n - k)) / n);
    if (d > best) {
      best = d;
      at = k;
    }
  }
  return at;
}
