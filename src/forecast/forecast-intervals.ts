/**
 * P10/P90 bands from the forecaster's own errors: refit at each of the last 56 days
 * (never looking past the origin), and take the 10th and 90th percentiles of the
 * relative errors at each horizon step (routing-forecast.md §2.4), each side at least as
 * wide as the errors spread on it from their median. Steps with too few origins borrow the
 * widest calibrated step's spread, widened by √h.
 */
import { MIN_INTERVAL_HISTORY } from './combine-forecast.js';

/** How many past origins calibrate the bands. */
export const CALIBRATION_ORIGINS = 56;
/** An origin needs this much training before it says anything about errors. */
const MIN_TRAIN = 21;
const MIN_SAMPLES = 10;
const LONG_STEP_WIDENING = 0.012;

/** Point forecasts from origin t (trained on values[0..t)) for `steps` days. */
export type ForecastFrom = (t: number, steps: number) => Float64Array;

export interface RelativeErrors {
  /** errors[j] holds actual / forecast − 1 at step j + 1. */
  byStep: number[][];
  origins: number;
}

export function relativeErrors(values: ArrayLike<number>, horizon: number, forecastFrom: ForecastFrom): RelativeErrors {
  const n = values.length;
  const byStep: number[][] = Array.from({ length: horizon }, () => []);
  let origins = 0;
  for (let t = n - 1; t >= Math.max(MIN_TRAIN, n - CALIBRATION_ORIGINS); t--) {
    const steps = Math.min(horizon, n - t);
    const f = forecastFrom(t, steps);
    origins++;
    for (let j = 0; j < steps; j++) {
      const fj = f[j]!;
      if (fj > 0) byStep[j]!.push(values[t + j]! / fj - 1);
    }
  }
  return { byStep, origins };
}

export interface Bands {
  p10: Float64Array;
  p90: Float64Array;
  /** False below MIN_INTERVAL_HISTORY days: no bands (p10 = p90 = point). */
  calibrated: boolean;
}

export function bandsFromErrors(point: Float64Array, errors: RelativeErrors, n: number): Bands {
  const H = point.length;
  const p10 = Float64Array.from(point);
  const p90 = Float64Array.from(point);
  if (n < MIN_INTERVAL_HISTORY) return { p10, p90, calibrated: false };
  const lo = new Float64Array(H).fill(NaN);
  const mid = new Float64Array(H).fill(NaN);
  const hi = new Float64Array(H).fill(NaN);
  let lastGood = -1;
  for (let j = 0; j < H; j++) {
    // Pool neighbouring steps: errors at h and h ± 2 are alike, and samples are few.
    const pool: number[] = [];
    for (let k = Math.max(0, j - 2); k <= Math.min(H - 1, j + 2); k++) pool.push(...errors.byStep[k]!);
    if (pool.length >= MIN_SAMPLES) {
      pool.sort((a, b) => a - b);
      lo[j] = quantile(pool, 0.1);
      mid[j] = quantile(pool, 0.5);
      hi[j] = quantile(pool, 0.9);
      lastGood = j;
    } else if (lastGood >= 0) {
      const widen = Math.sqrt((j + 1) / (lastGood + 1));
      lo[j] = lo[lastGood]! * widen;
      mid[j] = mid[lastGood]! * widen;
      hi[j] = hi[lastGood]! * widen;
    }
  }
  if (lastGood < 0) return { p10, p90, calibrated: false };
  for (let j = 0; j < H; j++) {
    // Past errors at long steps come from fewer, older origins and under-cover (§2.4:
    // 71% at four weeks); beyond a week the band widens a little per day.
    const widen = 1 + LONG_STEP_WIDENING * Math.max(0, j + 1 - 7);
    // P50 is the point forecast, not the errors' median. Where the forecaster was mostly on
    // one side (a growing series it under-forecast at every origin), the 10th percentile of
    // its errors is above the point too, and a band clamped at P50 had no width below it:
    // P10 = P50. Each side keeps at least the spread the errors have on that side of their
    // median, measured from P50; a forecaster with no bias (median error 0) keeps its band.
    const below = Math.min(lo[j]!, lo[j]! - mid[j]!);
    const above = Math.max(hi[j]!, hi[j]! - mid[j]!);
    p10[j] = Math.max(0, point[j]! * (1 + below * widen));
    p90[j] = point[j]! * (1 + above * widen);
  }
  return { p10, p90, calibrated: true };
}

/** Quantile of a sorted list, linear between order statistics (R type 7). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const i = Math.floor(pos);
  const frac = pos - i;
  return sorted[i]! + (i + 1 < sorted.length ? (sorted[i + 1]! - sorted[i]!) * frac : 0);
}
