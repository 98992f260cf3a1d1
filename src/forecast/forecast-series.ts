/** One daily series forecast: the combination's P50 with calibrated P10/P90 bands. */
import { pointForecast, type ForecastBasis, MIN_INTERVAL_HISTORY } from './combine-forecast.js';
import { bandsFromErrors, relativeErrors, type ForecastFrom } from './forecast-intervals.js';
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
  const from = options.forecastFrom ?? defaultForecastFrom(values, season);
  const errors = relativeErrors(values, horizon, from);
  const bands = bandsFromErrors(point.values, errors, n);
  return { p10: bands.p10, p50: point.values, p90: bands.p90, basis: point.basis, methods: point.methods, history_days: n, calibrated: bands.calibrated };
}

/** Refits the combination on values[0..t) for each origin asked. */
export function defaultForecastFrom(values: ArrayLike<number>, season = 7): ForecastFrom {
  const all = Float64Array.from(values as ArrayLike<number>);
  return (t, steps) => pointForecast(all.subarray(0, t), steps, season).values;
}
