/** Small robust statistics on short windows (no allocation-heavy helpers in the scan loops). */

export function medianOf(values: number[]): number {
  const n = values.length;
  if (n === 0) return NaN;
  values.sort((a, b) => a - b);
  const m = n >> 1;
  return n % 2 ? values[m]! : (values[m - 1]! + values[m]!) / 2;
}

/** 1.4826 × the median absolute deviation: σ for normal data, unmoved by outliers. */
export function robustSigma(values: number[]): number {
  const n = values.length;
  if (n < 2) return NaN;
  const med = medianOf([...values]);
  return 1.4826 * medianOf(values.map((v) => Math.abs(v - med)));
}
