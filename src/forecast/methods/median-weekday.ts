/**
 * The median of the last four same weekdays: robust to a one-off spike and strong on
 * weekly-seasonal spend (routing-forecast.md §2.4: 0.815 of seasonal naive's MASE).
 */
import type { ForecastMethod } from '../forecast-method.js';
import type { PreparedSeries } from '../prepared-series.js';

const WEEKS = 4;

export const medianWeekday: ForecastMethod = {
  id: 'median-weekday',
  minHistory: 28,
  forecast(series: PreparedSeries, horizon: number): Float64Array {
    const v = series.values;
    const n = v.length;
    const s = series.season;
    const out = new Float64Array(horizon);
    const same = new Float64Array(WEEKS);
    for (let h = 1; h <= horizon; h++) {
      // The target day's position, stepped back whole seasons until it is observed.
      let i = n - 1 + h;
      while (i >= n) i -= s;
      let k = 0;
      for (; k < WEEKS && i >= 0; k++, i -= s) same[k] = v[i]!;
      out[h - 1] = medianOf(same, k);
    }
    return out;
  },
};

function medianOf(a: Float64Array, k: number): number {
  if (k === 0) return 0;
  const b = Array.from(a.subarray(0, k)).sort((x, y) => x - y);
  const m = k >> 1;
  return k % 2 ? b[m]! : (b[m - 1]! + b[m]!) / 2;
}
