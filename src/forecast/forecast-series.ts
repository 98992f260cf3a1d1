/** One daily series forecast: the combination's P50 with calibrated P10/P90 bands. */
import { pointForecast, type ForecastBasis, MIN_INTERVAL_HISTORY } from './combine-forecast.js';
import { bandsFromErrors, relativeErrors, type ForecastFrom } from './forecast-intervals.js';
import { dailySpread } from './prepared-series.js';
import type { ForecastMethodId } from './method-registry.js';

export interface SeriesForecast {
  p10: Float64Array;
  p50: Float64Array;
  p90: Float64Array;
  basis: ForecastBasis;
  methods: ForecastMethodId[];
  history_days: number;
  /** Whether the bands come from the series' own past errors. */
  calibrated: boolean;
}

export interface SeriesForecastOptions {
  season?: number;
  /** Forecasts from past origins (the evaluation passes a cached one). */
  forecastFrom?: ForecastFrom;
}

export function forecastSeries(values: ArrayLike<number>, horizon: number, options: SeriesForecastOptions = {}): SeriesForecast {
  const season = options.season ?? 7;
  const n = values.length;
  const point = pointForecast(values, horizon, season);
  if (n < MIN_INTERVAL_HISTORY) {
    return { p10: Float64Array.from(point.values), p50: point.values, p90: Float64Array.from(point.values), basis: point.basis, methods: point.methods, history_days: n, calibrated: false };
  }
  if (point.basis === 'mean-rate') return { ...sparseBands(values, point.values, season), basis: point.basis, methods: point.methods, history_days: n, calibrated: true };
  const from = options.forecastFrom ?? defaultForecastFrom(values, season);
  const errors = relativeErrors(values, horizon, from);
  const bands = bandsFromErrors(point.values, errors, n);
  return { p10: bands.p10, p50: point.values, p90: bands.p90, basis: point.basis, methods: point.methods, history_days: n, calibrated: bands.calibrated };
}

const Z90 = 1.2815515655446004;

/**
 * Bands of a series with no spend on most days (`mean-rate`): its days are independent
 * draws, so the first j days left sum to j × mean ± 1.28 × sd × √j. Each day's P10/P90 is
 * that running total's step on the day, so that the days of any stretch from the first add
 * up to the stretch's band (a day's own P10 and P90, $0 and a burst, would add up to a
 * band as wide as thirty bursts). Past relative errors are no guide here: after a run of
 * empty days a forecaster is near $0 and the next day's spend an error of thousands of %.
 */
function sparseBands(values: ArrayLike<number>, point: Float64Array, season: number): { p10: Float64Array; p50: Float64Array; p90: Float64Array } {
  const { sd } = dailySpread(values, season);
  const p10 = new Float64Array(point.length);
  const p90 = new Float64Array(point.length);
  let lastLo = 0;
  let lastHi = 0;
  let total = 0;
  for (let j = 0; j < point.length; j++) {
    total += point[j]!;
    const lo = Math.max(0, total - Z90 * sd * Math.sqrt(j + 1));
    const hi = total + Z90 * sd * Math.sqrt(j + 1);
    // The running P10 may fall as days are added (its spread grows faster than the mean at first): a day's step is never negative.
    p10[j] = Math.max(0, lo - lastLo);
    p90[j] = hi - lastHi;
    lastLo = Math.max(lastLo, lo);
    lastHi = hi;
  }
  return { p10, p50: point, p90 };
}

/** Refits the combination on values[0..t) for each origin asked. */
export function defaultForecastFrom(values: ArrayLike<number>, season = 7): ForecastFrom {
  const all = Float64Array.from(values as ArrayLike<number>);
  return (t, steps) => pointForecast(all.subarray(0, t), steps, season).values;
}
