/**
 * The spend scan's growth: log change per period, from same-phase pairs a whole number of
 * seasons apart (so the weekly cycle cancels).
 * - short: Theil–Sen median of pairs one to four seasons apart over the last eight weeks
 *   (the median keeps bursts out); zero until it has two seasons' worth of pairs.
 * - long: pairs up to eight seasons apart over sixteen seasons, each weighted by its lag
 *   squared (a pair k seasons apart has 1/k of a one-season pair's error) in a Huber mean.
 *   A baseline's level sits about seventeen days back, so the growth error counts that
 *   many times over in every day's baseline, and for all four days of a shift window at
 *   once; on the synthetic benchmark the short slope was half the baseline's error there.
 * The long slope is used only when it agrees with the short one within the noise: when
 * growth has changed, the recent slope is the one that holds.
 */
import { medianOf } from './robust-stats.js';

/** Days of history the short slope is read from, and its longest lag in seasons. */
const SLOPE_WINDOW = 56;
const SHORT_LAGS = 4;
/** Seasons of history the long slope is read from, and its longest lag in seasons. */
const LONG_SEASONS = 16;
const LONG_LAGS = 8;
/** Huber constant of the long slope, in standard errors of each pair's slope. */
const LONG_HUBER = 1.5;
/**
 * Largest gap between the slopes (log per season, in units of the daily noise) for which
 * the long one is believed: about three standard errors of the short slope.
 */
const AGREE = 0.3;
/** The largest daily growth believed. */
const MAX_GROWTH = 0.02;
/** The daily noise assumed before the scan has a scale of its own. */
const DEFAULT_SIGMA = 0.3;

interface PairSlopes {
  /** Pairs one to SHORT_LAGS seasons apart within the last SLOPE_WINDOW days. */
  short: number[];
  /** Pairs one to LONG_LAGS seasons apart within the last LONG_SEASONS seasons, with each pair's lag in seasons. */
  long: number[];
  lags: number[];
}

/**
 * Slopes of same-phase log pairs with both ends in the window before `t`, for both
 * estimates in one pass: the short window is the end of the long one, so each day's log
 * is taken once (the scan asks for this every day of every series).
 */
function pairSlopes(adjusted: ArrayLike<number>, t: number, s: number): PairSlopes {
  const from = Math.max(0, t - LONG_SEASONS * s);
  const shortFrom = Math.max(0, t - SLOPE_WINDOW) - from;
  const logs = new Float64Array(t - from);
  for (let i = from; i < t; i++) {
    const v = adjusted[i]!;
    logs[i - from] = v > 0 ? Math.log(v) : NaN;
  }
  const out: PairSlopes = { short: [], long: [], lags: [] };
  for (let i = 0; i < logs.length; i++) {
    const a = logs[i]!;
    if (Number.isNaN(a)) continue;
    for (let k = 1; k <= LONG_LAGS && i + k * s < logs.length; k++) {
      const b = logs[i + k * s]!;
      if (Number.isNaN(b)) continue;
      const slope = (b - a) / (k * s);
      out.long.push(slope);
      out.lags.push(k);
      if (k <= SHORT_LAGS && i >= shortFrom) out.short.push(slope);
    }
  }
  return out;
}

/**
 * Huber mean of the pair slopes, each weighted by its lag squared: a pair k seasons apart
 * has a slope error of σ√2/(k·s), so its cut-off is that many standard errors.
 */
function weightedHuber(slopes: number[], lags: number[], s: number, sigma: number): number {
  const cutoff = lags.map((k) => (LONG_HUBER * sigma * Math.SQRT2) / (k * s));
  let mu = medianOf(slopes);
  for (let it = 0; it < 5; it++) {
    let num = 0;
    let den = 0;
    for (let j = 0; j < slopes.length; j++) {
      const c = cutoff[j]!;
      const d = Math.abs(slopes[j]! - mu);
      const w = lags[j]! * lags[j]! * (d <= c ? 1 : c / d);
      num += w * slopes[j]!;
      den += w;
    }
    mu = num / den;
  }
  return mu;
}

/** Growth at `t` from `adjusted` (the re-based history); `sigma`: the scan's scale of log residuals (NaN before it has one). */
export function growthAt(adjusted: ArrayLike<number>, t: number, s: number, sigma: number): number {
  const pairs = pairSlopes(adjusted, t, s);
  if (pairs.short.length < 2 * s) return 0;
  let g = medianOf(pairs.short);
  if (pairs.long.length >= 2 * s) {
    const scale = sigma > 0 ? sigma : DEFAULT_SIGMA;
    const refined = weightedHuber(pairs.long, pairs.lags, s, scale);
    if (Math.abs(refined - g) <= (AGREE * scale) / s) g = refined;
  }
  return Math.max(-MAX_GROWTH, Math.min(MAX_GROWTH, g));
}
