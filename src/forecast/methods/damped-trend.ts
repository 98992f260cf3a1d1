/**
 * Holt's linear method with a damped trend (Gardner & McKenzie) on deseasonalised
 * values; α, β and φ from a small grid by one-step squared error. Growth is carried
 * forward but flattens, which is what feature ramps do.
 */
import type { ForecastMethod } from '../forecast-method.js';
import { indexAt, type PreparedSeries } from '../prepared-series.js';
import { FIT_WINDOW } from './smoothing.js';

const ALPHAS = [0.1, 0.2, 0.3, 0.5, 0.8];
const BETAS = [0.02, 0.1];
const PHIS = [0.8, 0.9];

export const dampedTrend: ForecastMethod = {
  id: 'damped-trend',
  minHistory: 14,
  forecast(series: PreparedSeries, horizon: number): Float64Array {
    const d = series.deseasonalised;
    const n = d.length;
    const start = Math.max(0, n - FIT_WINDOW);
    let best = { sse: Infinity, level: d[n - 1] ?? 0, trend: 0, phi: 0.9 };
    const l0 = d[start] ?? 0;
    const b0 = 0;
    for (const a of ALPHAS) {
      for (const b of BETAS) {
        for (const phi of PHIS) {
          let level = l0;
          let trend = b0;
          let sse = 0;
          for (let i = start + 1; i < n; i++) {
            const y = d[i]!;
            const f = level + phi * trend;
            const e = y - f;
            sse += e * e;
            const nl = f + a * e;
            trend = phi * trend + a * b * e;
            level = nl;
          }
          if (sse < best.sse) best = { sse, level, trend, phi };
        }
      }
    }
    const out = new Float64Array(horizon);
    let damp = 0;
    let p = 1;
    for (let h = 1; h <= horizon; h++) {
      p *= best.phi;
      damp += p;
      out[h - 1] = Math.max(0, (best.level + damp * best.trend) * indexAt(series, n - 1 + h));
    }
    return out;
  },
};
