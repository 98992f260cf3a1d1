/**
 * One daily series forecast: the P50 of the method its own backtest chose (select-method.ts:
 * the combination unless Theta, the damped trend or seasonal naive clearly did better on the
 * last weeks), with P10/P90 bands calibrated on that method's own past errors.
 */
import { pointForecast, type ForecastBasis, MIN_INTERVAL_HISTORY } from './combine-forecast.js';
import { bandsFromErrors, relativeErrors, type ForecastFrom } from './forecast-intervals.js';
import { dailySpread } from './prepared-series.js';
import type { ForecastMethodId } from './method-registry.js';
import { selectedForecastFrom, type MethodSelection, type SelectableMethod } from './select-method.js';

export interface SeriesForecast {
  p10: Float64Array;
  p50: Float64Array;
  p90: Float64Array;
  basis: ForecastBasis;
  /** With basis `combination`: what the P50 is, the combination or the method its backtest chose instead. */
  method: SelectableMethod;
  /** The backtest the method was chosen on (null for a run rate, a mean rate, or under MIN_INTERVAL_HISTORY days). */
  selection: MethodSelection | null;
  methods: ForecastMethodId[];
  history_days: number;
  /** Whether the bands come from the series' own past errors. */
  calibrated: boolean;
}

export interface SeriesForecastOptions {
  season?: number;
  /** The combination's forecasts from past origins (the evaluation and the backtest pass a cached one). */
  forecastFrom?: ForecastFrom;
}

export function forecastSeries(values: ArrayLike<number>, horizon: number, options: SeriesForecastOptions = {}): SeriesForecast {
  const season = options.season ?? 7;
  const n = values.length;
  const point = pointForecast(values, horizon, season);
  const base = { basis: point.basis, method: 'combination' as SelectableMethod, selection: null, methods: point.methods, history_days: n };
  if (n < MIN_INTERVAL_HISTORY) return { ...base, p10: Float64Array.from(point.values), p50: point.values, p90: Float64Array.from(point.values), calibrated: false };
  if (point.basis === 'mean-rate') return { ...base, ...sparseBands(values, point.values, season), calibrated: true };
  // One memo for the selection and the bands: the selection's origins (every 7 days back)
  // are among the bands' 56, so choosing costs no fit the bands did not need already.
  const combination = options.forecastFrom ?? defaultForecastFrom(values, season, horizon);
  const { selection, from } = selectedForecastFrom(values, combination, season);
  const p50 = selection.method === 'combination' ? point.values : from(n, horizon);
  // The band is the chosen method's own: its errors, not the combination's, calibrate it.
  const bands = bandsFromErrors(p50, relativeErrors(values, horizon, from), n);
  return { ...base, method: selection.method, selection, p10: bands.p10, p50, p90: bands.p90, calibrated: bands.calibrated };
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

/**
 * Refits the combination on values[0..t) for each origin asked, once per origin (a fit's
 * first days do not depend on how many it is asked for, so one for `maxSteps` serves all).
 */
export function defaultForecastFrom(values: ArrayLike<number>, season = 7, maxSteps = 0): ForecastFrom {
  const all = Float64Array.from(values as ArrayLike<number>);
  const memo = new Map<number, Float64Array>();
  return (t, steps) => {
    let f = memo.get(t);
    if (!f || f.length < steps) {
      f = pointForecast(all.subarray(0, t), Math.max(steps, maxSteps), season).values;
      memo.set(t, f);
    }
    return f.subarray(0, steps);
  };
}
