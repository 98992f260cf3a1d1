/** Naive: the last day repeated (a baseline in the backtest, not part of the combination). */
import type { ForecastMethod } from '../forecast-method.js';
import type { PreparedSeries } from '../prepared-series.js';

export const naive: ForecastMethod = {
  id: 'naive',
  minHistory: 1,
  forecast(series: PreparedSeries, horizon: number): Float64Array {
    const n = series.values.length;
    return new Float64Array(horizon).fill(n === 0 ? 0 : series.values[n - 1]!);
  },
};
