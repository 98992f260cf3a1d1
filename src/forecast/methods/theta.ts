/**
 * Theta (Assimakopoulos & Nikolopoulos 2000) on deseasonalised values, in Hyndman &
 * Billah's form: simple exponential smoothing plus a drift of half the linear-trend
 * slope, then re-seasonalised. The M4 competition's best classical single method.
 */
import type { ForecastMethod } from '../forecast-method.js';
import { indexAt, type PreparedSeries } from '../prepared-series.js';
import { FIT_WINDOW, sesFit } from './smoothing.js';

export const theta: ForecastMethod = {
  id: 'theta',
  minHistory: 14,
  forecast(series: PreparedSeries, horizon: number): Float64Array {
    const d = series.deseasonalised;
    const n = d.length;
    const start = Math.max(0, n - FIT_WINDOW);
    const { level, alpha } = sesFit(d, start);
    // OLS slope of the deseasonalised window.
    const m = n - start;
    let sx = 0;
    let sy = 0;
    let sxy = 0;
    let sxx = 0;
    for (let i = 0; i < m; i++) {
      const y = d[start + i]!;
      sx += i;
      sy += y;
      sxy += i * y;
      sxx += i * i;
    }
    const denom = m * sxx - sx * sx;
    const slope = denom > 0 ? (m * sxy - sx * sy) / denom : 0;
    const out = new Float64Array(horizon);
    const tail = Math.pow(1 - alpha, m) / alpha;
    for (let h = 1; h <= horizon; h++) {
      const f = level + 0.5 * slope * (h - 1 + 1 / alpha - tail);
      out[h - 1] = Math.max(0, f * indexAt(series, n - 1 + h));
    }
    return out;
  },
};
