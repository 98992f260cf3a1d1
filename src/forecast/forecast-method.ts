/**
 * The forecasting extension point. A method turns a prepared daily series into point
 * forecasts; the combination (combine-forecast.ts) averages the methods named in the
 * registry. A new method is a file in methods/ plus one line in method-registry.ts.
 */
import type { PreparedSeries } from './prepared-series.js';

export interface ForecastMethod {
  /** Stable id shown by `forecast --backtest` ("theta", "damped-trend"). */
  readonly id: string;
  /** Fewest observed days the method needs; with fewer it is left out of the combination. */
  readonly minHistory: number;
  /**
   * Point forecasts for the `horizon` days after the series' last day. Must read only
   * `series` (never future values) and return `horizon` finite numbers >= 0.
   */
  forecast(series: PreparedSeries, horizon: number): Float64Array;
}
