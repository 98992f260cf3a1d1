/** Seasonal naive: each day repeats the same weekday of the last observed week (the baseline to beat). */
import type { ForecastMethod } from '../forecast-method.js';
import type { PreparedSeries } from '../prepared-series.js';

export const seasonalNaive: ForecastMethod = {
  id: 'seasonal-naive',
  minHistory: 7,
  forecast(series: PreparedSeries, horizon: number): Float64Array {
    const v = series.values;
    const n = v.length;
    const s = Math.min(series.season, n);
    const out = new Float64Array(horizon);
    for (let h = 1; h <= horizon; h++) out[h - 1] = n === 0 ? 0 : v[n - s + ((h - 1) % s)]!;
    return out;
  },
};
