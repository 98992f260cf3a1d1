/**
 * A daily series with what every method needs computed once: its seasonal indices
 * (classical multiplicative, ratio to a centred moving average) and the deseasonalised
 * values. Fitting on the recent window only keeps a fit O(window), not O(history).
 */
export interface PreparedSeries {
  /** Observed values, oldest first (spend per day, re-priced). */
  values: Float64Array;
  /** Season length: 7 for daily series with a weekly cycle, 24 for hourly. */
  season: number;
  /** Index per phase (phase of value i is i % season), mean 1; null with too little history. */
  indices: Float64Array | null;
  /** values[i] / indices[i % season] (or values when indices is null). */
  deseasonalised: Float64Array;
}

/** Indices are estimated on the last weeks only: weekday patterns drift. */
const INDEX_WINDOW_SEASONS = 8;
/** A weekend at 2% of a weekday would turn noise into wild deseasonalised swings. */
const MIN_INDEX = 0.05;
/**
 * Above this share of days without spend in the index window a series is intermittent (a
 * feature used on a few days a month): the weekday whose median ratio happens to be
 * non-zero takes nearly the whole mean, the others sit at MIN_INDEX, and dividing by them
 * multiplies each stray day's spend twentyfold — a series of ~$0.85 a day was forecast at
 * $70 on one weekday. A weekday-only workload (weekends empty) is 2/7 ≈ 29% zeros and keeps
 * its indices.
 */
const MAX_ZERO_SHARE = 0.5;

export function prepareSeries(values: ArrayLike<number>, season = 7): PreparedSeries {
  const v = Float64Array.from(values as ArrayLike<number>);
  const indices = seasonalIndices(v, season);
  const d = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) d[i] = indices ? v[i]! / indices[i % season]! : v[i]!;
  if (indices) carryOverEmptyPhases(d, indices, season);
  return { values: v, season, indices, deseasonalised: d };
}

/**
 * A weekday whose index sits at the floor (MIN_INDEX: a weekend with no spend) says nothing
 * of the level: read as 0 ÷ 0.05 = 0, a weekday-only workload's deseasonalised days were
 * five at the level and two at 0, which pulled Theta and the damped trend to 5/7 of it and
 * forecast a steady $10 weekday at $7.50. Such a day takes the level of the day before
 * it (of the first day with one, at the start).
 */
function carryOverEmptyPhases(d: Float64Array, indices: Float64Array, season: number): void {
  const empty = (i: number) => indices[i % season]! === MIN_INDEX;
  let first = 0;
  while (first < d.length && empty(first)) first++;
  if (first === d.length) return;
  for (let i = 0; i < d.length; i++) if (empty(i)) d[i] = i < first ? d[first]! : d[i - 1]!;
}

/**
 * Classical multiplicative indices: each value over the centred moving average around
 * it, the median ratio per phase (a burst day does not tilt its weekday), normalised to
 * mean 1. Null below three seasons of history, when the level is zero, or when most days
 * of the window have no spend (MAX_ZERO_SHARE).
 */
export function seasonalIndices(v: Float64Array, season: number): Float64Array | null {
  const n = v.length;
  if (season < 2 || n < 3 * season) return null;
  if (isIntermittent(v, season)) return null;
  const start = Math.max(0, n - INDEX_WINDOW_SEASONS * season);
  const half = Math.floor(season / 2);
  const even = season % 2 === 0;
  const ratios: number[][] = Array.from({ length: season }, () => []);
  // Running window sum for the centred moving average (2×s MA when s is even).
  for (let i = start + half; i < n - half; i++) {
    let ma = 0;
    if (even) {
      let s = 0.5 * v[i - half]! + 0.5 * v[i + half]!;
      for (let j = i - half + 1; j < i + half; j++) s += v[j]!;
      ma = s / season;
    } else {
      let s = 0;
      for (let j = i - half; j <= i + half; j++) s += v[j]!;
      ma = s / season;
    }
    if (ma > 0) ratios[i % season]!.push(v[i]! / ma);
  }
  const out = new Float64Array(season);
  for (let p = 0; p < season; p++) {
    const r = ratios[p]!;
    if (r.length === 0) return null;
    out[p] = median(r);
  }
  let mean = 0;
  for (let p = 0; p < season; p++) mean += out[p]!;
  mean /= season;
  if (!(mean > 0)) return null;
  for (let p = 0; p < season; p++) out[p] = Math.max(MIN_INDEX, out[p]! / mean);
  return out;
}

/** Whether most days of the last INDEX_WINDOW_SEASONS seasons have no spend (MAX_ZERO_SHARE). */
export function isIntermittent(values: ArrayLike<number>, season = 7): boolean {
  const n = values.length;
  const start = Math.max(0, n - INDEX_WINDOW_SEASONS * season);
  let zeros = 0;
  for (let i = start; i < n; i++) if (!(values[i]! > 0)) zeros++;
  return n > start && zeros > MAX_ZERO_SHARE * (n - start);
}

/**
 * Mean and sample standard deviation of the daily spend over the last
 * INDEX_WINDOW_SEASONS seasons: a sparse series' days taken as independent draws.
 */
export function dailySpread(values: ArrayLike<number>, season = 7): { mean: number; sd: number } {
  const n = values.length;
  const from = Math.max(0, n - INDEX_WINDOW_SEASONS * season);
  let mean = 0;
  for (let i = from; i < n; i++) mean += values[i]!;
  mean /= Math.max(1, n - from);
  let variance = 0;
  for (let i = from; i < n; i++) variance += (values[i]! - mean) ** 2;
  return { mean, sd: Math.sqrt(variance / Math.max(1, n - from - 1)) };
}

/** Median of a list (sorts a copy). */
export function median(values: ArrayLike<number>): number {
  const a = Array.from(values).sort((x, y) => x - y);
  const n = a.length;
  if (n === 0) return NaN;
  const m = n >> 1;
  return n % 2 ? a[m]! : (a[m - 1]! + a[m]!) / 2;
}

/** The seasonal index for the value at position i (1 without indices). */
export function indexAt(series: PreparedSeries, i: number): number {
  return series.indices ? series.indices[i % series.season]! : 1;
}
