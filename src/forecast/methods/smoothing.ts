/** Simple exponential smoothing with α from a grid, shared by the smoothing methods. */

/** Parameters are fitted on the last 16 weeks: older behaviour says little about next month. */
export const FIT_WINDOW = 112;

const ALPHAS = [0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95];

/** The final level and the α with the smallest one-step squared error over d[start..]. */
export function sesFit(d: Float64Array, start: number): { level: number; alpha: number } {
  const n = d.length;
  let best = { sse: Infinity, level: d[n - 1] ?? 0, alpha: 0.5 };
  for (const a of ALPHAS) {
    let level = d[start] ?? 0;
    let sse = 0;
    for (let i = start + 1; i < n; i++) {
      const e = d[i]! - level;
      sse += e * e;
      level += a * e;
    }
    if (sse < best.sse) best = { sse, level, alpha: a };
  }
  return { level: best.level, alpha: best.alpha };
}
