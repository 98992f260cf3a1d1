/**
 * The point forecast llmfin shows: the mean of the registry's combination methods that
 * the history allows (M4's "Comb" idea: averaging simple methods is more robust than
 * picking one). With under two weeks of history it falls back to the run rate, and
 * says so (cloud tools refuse below one billing cycle); a series with no spend on most
 * days is forecast at its mean daily spend (`mean-rate`).
 */
import { COMBINATION, FORECAST_METHODS, type ForecastMethodId } from './method-registry.js';
import { dailySpread, isIntermittent, prepareSeries } from './prepared-series.js';

export type ForecastBasis = 'combination' | 'run-rate' | 'mean-rate';

export interface PointForecast {
  values: Float64Array;
  basis: ForecastBasis;
  methods: ForecastMethodId[];
}

/** Below this many days the forecast is the run rate of the last week. */
export const MIN_FORECAST_HISTORY = 14;
/** Below this many days there are no intervals (too few origins to calibrate them). */
export const MIN_INTERVAL_HISTORY = 28;

export function pointForecast(values: ArrayLike<number>, horizon: number, season = 7): PointForecast {
  const n = values.length;
  if (n < MIN_FORECAST_HISTORY) {
    const last = Math.min(n, season);
    let sum = 0;
    for (let i = n - last; i < n; i++) sum += values[i]!;
    return { values: new Float64Array(horizon).fill(last > 0 ? sum / last : 0), basis: 'run-rate', methods: [] };
  }
  if (isIntermittent(values, season)) {
    // Spend on a few days here and there: every method here forecasts the next days from the
    // last ones, which are mostly $0 (a feature that spent $7 once in five weeks was forecast
    // at $0.00 for the month). Its expected spend is its mean over the recent weeks.
    return { values: new Float64Array(horizon).fill(dailySpread(values, season).mean), basis: 'mean-rate', methods: [] };
  }
  const series = prepareSeries(values, season);
  const ids: ForecastMethodId[] = COMBINATION.filter((id) => FORECAST_METHODS[id].minHistory <= n);
  // Under four weeks the median of four weekdays is not available: seasonal naive stands in.
  if (n < FORECAST_METHODS['median-weekday'].minHistory) ids.push('seasonal-naive');
  const out = new Float64Array(horizon);
  for (const id of ids) {
    const f = FORECAST_METHODS[id].forecast(series, horizon);
    for (let h = 0; h < horizon; h++) out[h]! += f[h]! / ids.length;
  }
  return { values: out, basis: 'combination', methods: ids };
}
