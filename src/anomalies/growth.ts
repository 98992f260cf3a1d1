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

/**
 * Slopes of same-phase log pairs one to `lags` seasons apart with both ends in [from, t).
 * The logs are taken once per day of the window, not once per pair (a long window has
 * eight pairs per day): the scan asks for this every day of every series.
 */
function pairSlopes(adjusted: ArrayLike<number>, from: number, t: number, s: number, lags: number, weights?: number[]): number[] {
  const logs = new Float64Array(t - from);
  for (let i = from; i < t; i++) {
    const v = adjusted[i]!;
    logs[i - from] = v > 0 ? Math.log(v) : NaN;
  }
  const slopes: number[] = [];
  for (let i = 0; i < logs.length; i++) {
    const a = logs[i]!;
    if (Number.isNaN(a)) continue;
    for (let k = 1; k <= lags && i + k * s < logs.length; k++) {
      const b = logs[i + k * s]!;
      if (Number.isNaN(b)) continue;
      slopes.push((b - a) / (k * s));
      weights?.push(k * k);
    }
  }
  return slopes;
}

/** Lag-weighted Huber mean of the pair slopes; a pair's slope has error σ√2/(k·s). */
function weightedHuber(slopes: number[], weights: number[], s: number, sigma: number): number {
  let mu = medianOf(slopes);
  for (let it = 0; it < 5; it++) {
    let num = 0;
    let den = 0;
    for (let j = 0; j < slopes.length; j++) {
      const c = (LONG_HUBER * sigma * Math.SQRT2) / (Math.sqrt(weights[j]!) * s);
      const d = Math.abs(slopes[j]! - mu);
      const w = weights[j]! * (d <= c ? 1 : c / d);
      num += w * slopes[j]!;
      den += w;
    }
    mu = num / den;
  }
  return mu;
}

/** Growth at `t` from `adjusted` (the re-based history); `sigma`: the scan's scale of log residuals (NaN before it has one). */
export function growthAt(adjusted: ArrayLike<number>, t: number, s: number, sigma: number): number {
  const short = pairSlopes(adjusted, Math.max(0, t - SLOPE_WINDOW), t, s, SHORT_LAGS);
  if (short.length < 2 * s) return 0;
  let g = medianOf(short);
  const weights: number[] = [];
  const long = pairSlopes(adjusted, Math.max(0, t - LONG_SEASONS * s), t, s, LONG_LAGS, weights);
  if (long.length >= 2 * s) {
    const scale = sigma > 0 ? sigma : DEFAULT_SIGMA;
    const refined = weightedHuber(long, weights, s, scale);
    if (Math.abs(refined - g) <= (AGREE * scale) / s) g = refined;
  }
  return Math.max(-MAX_GROWTH, Math.min(MAX_GROWTH, g));
}
