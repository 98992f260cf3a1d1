/**
 * A sparkline of per-minute values: eight block heights, blank for zero, scaled to the
 * series' own peak. Wider series are folded into `width` cells by summing neighbours,
 * so the whole hour is always shown whatever the terminal's width.
 */
const BARS = '▁▂▃▄▅▆▇█';

/** Sums `values` into `width` buckets (the last bucket holds the most recent values). */
export function foldSeries(values: readonly number[], width: number): number[] {
  if (width <= 0) return [];
  if (values.length <= width) return [...values];
  const out = new Array<number>(width).fill(0);
  for (let i = 0; i < values.length; i++) {
    const bucket = Math.min(width - 1, Math.floor((i * width) / values.length));
    out[bucket] = (out[bucket] ?? 0) + (values[i] ?? 0);
  }
  return out;
}

export function sparkline(values: readonly number[], width: number): string {
  const folded = foldSeries(values, width);
  const max = Math.max(0, ...folded);
  const line = folded.map((v) => (max <= 0 || v <= 0 ? ' ' : (BARS[Math.min(BARS.length - 1, Math.max(0, Math.ceil((v / max) * BARS.length) - 1))] ?? ' '))).join('');
  return line.padStart(width);
}
