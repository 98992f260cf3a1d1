/**
 * Per-series method selection by the series' own rolling-origin backtest. The combination
 * is the default (M4: averaging is the robust choice across series), but on a given group's
 * history one of its parts can beat it week after week: on a steadily growing team the
 * median of four weekdays lags two weeks behind and drags the mean down (four of the demo's
 * five teams under-forecast by 7–8% at h ≤ 7 and 13–22% at h ≤ 28, where Theta alone was off
 * by 2–3% and 0–16%). A user reading
 * `--backtest` sees that, and so should the forecaster. At forecast origin T it scores each
 * candidate at the origins T − 7, T − 14, … (the last SELECTION_WEEKS weeks, never before day
 * 28), each on the 7 days after it, all of them days before T: a selection never reads a
 * value at or after its own origin.
 *
 * Why h ≤ 7 and not h ≤ 28: a 7-day window after each origin is fully observed for every
 * origin up to T − 7, so the recent weeks, which say most about the next ones, all count;
 * h ≤ 28 would only score origins a month old and older. The errors are scaled by each
 * origin's in-sample seasonal-naive MAE (MASE, as `--backtest` reports them).
 *
 * The combination is kept unless a candidate was scored on at least MIN_SELECTION_ORIGINS
 * origins and its mean error is below the combination's by its SWITCH_MARGIN: with a handful
 * of noisy weeks a small lead is luck, and switching on luck costs more than it saves.
 * Seasonal naive must halve the combination's error, not beat it by 15% as Theta and the
 * damped trend must: measured on the evaluation corpus (two seeds), a series where it led
 * by 15% over eight weeks did worse with it over the next ones (relative MASE 0.7903 →
 * 0.7908 and 0.7913 → 0.7915 at h ≤ 7), where at 50% nothing changed. What it wins by that
 * much is a weekly shape that changed (weekend traffic moved to Mondays): the seasonal indices,
 * medians over eight weeks, take a month to learn it, and seasonal naive a week.
 */
import type { ForecastFrom } from './forecast-intervals.js';
import { FORECAST_METHODS } from './method-registry.js';
import { prepareSeries } from './prepared-series.js';

/** What the forecast of a series can be, beside the run rate and mean rate. */
export const SELECTABLE = ['combination', 'theta', 'damped-trend', 'seasonal-naive'] as const;
export type SelectableMethod = (typeof SELECTABLE)[number];

/** How many weekly origins back the selection looks (inside the bands' 56-day calibration window). */
export const SELECTION_WEEKS = 8;
/** Fewest scored origins before anything but the combination is chosen. */
export const MIN_SELECTION_ORIGINS = 4;
/** A candidate must beat the combination's mean error by this share to be chosen. */
export const SWITCH_MARGIN: Readonly<Record<Exclude<SelectableMethod, 'combination'>, number>> = { theta: 0.15, 'damped-trend': 0.15, 'seasonal-naive': 0.5 };
/** The earliest origin scored: the backtest's first (backtest.ts), when the combination has all its methods. */
const FIRST_ORIGIN = 28;
const STEPS = 7;

export interface MethodSelection {
  method: SelectableMethod;
  /** Origins scored (0: too little history, the combination is kept). */
  origins: number;
  /** Mean MASE at h ≤ 7 per candidate over those origins (NaN with none). */
  mase: Record<SelectableMethod, number>;
}

/**
 * Chooses the method for a forecast from the end of `values` (origin T = values.length).
 * `combinationFrom(t, steps)` gives the combination's forecasts from origin t; it is called
 * only with t ≤ T − 7, and only values[0..T) are read.
 */
export function selectMethod(values: ArrayLike<number>, combinationFrom: ForecastFrom, season = 7): MethodSelection {
  const all = Float64Array.from(values as ArrayLike<number>);
  const T = all.length;
  const sums: Record<SelectableMethod, number> = { combination: 0, theta: 0, 'damped-trend': 0, 'seasonal-naive': 0 };
  let origins = 0;
  for (let k = 1; k <= SELECTION_WEEKS; k++) {
    const t = T - k * STEPS;
    if (t < FIRST_ORIGIN) break;
    const train = all.subarray(0, t);
    const scale = seasonalNaiveMae(train, season);
    // A history that repeats exactly (scale 0) has no MASE; neither does one too short.
    if (!(scale > 0)) continue;
    const prepared = prepareSeries(train, season);
    const forecasts: Record<SelectableMethod, Float64Array> = {
      combination: combinationFrom(t, STEPS),
      theta: FORECAST_METHODS.theta.forecast(prepared, STEPS),
      'damped-trend': FORECAST_METHODS['damped-trend'].forecast(prepared, STEPS),
      'seasonal-naive': FORECAST_METHODS['seasonal-naive'].forecast(prepared, STEPS),
    };
    for (const m of SELECTABLE) for (let j = 0; j < STEPS; j++) sums[m] += Math.abs(all[t + j]! - forecasts[m][j]!) / scale;
    origins++;
  }
  const mase = Object.fromEntries(SELECTABLE.map((m) => [m, origins > 0 ? sums[m] / (origins * STEPS) : NaN])) as Record<SelectableMethod, number>;
  return { method: chooseMethod(mase, origins), origins, mase };
}

/** The rule: the combination, unless enough origins were scored and a candidate led it by its margin (the lowest error of those that did). */
export function chooseMethod(mase: Readonly<Record<SelectableMethod, number>>, origins: number): SelectableMethod {
  let method: SelectableMethod = 'combination';
  if (origins < MIN_SELECTION_ORIGINS) return method;
  for (const m of SELECTABLE) if (m !== 'combination' && mase[m] < mase[method] && mase[m] <= (1 - SWITCH_MARGIN[m]) * mase.combination) method = m;
  return method;
}

/**
 * The method a series is forecast by from its end (selectMethod), with that method's
 * forecasts from any origin: its P50 is `from(T, h)` (the combination's own point forecast
 * when it is kept) and its band is calibrated on `from`'s past errors. One call for every
 * forecast of a series, `forecast`'s groups (forecast-series.ts) and a budget's scope
 * (period-projection.ts), so that the same history gets the same P50 in both.
 */
export function selectedForecastFrom(values: ArrayLike<number>, combinationFrom: ForecastFrom, season = 7): { selection: MethodSelection; from: ForecastFrom } {
  const selection = selectMethod(values, combinationFrom, season);
  return { selection, from: selection.method === 'combination' ? combinationFrom : methodForecastFrom(values, selection.method, season) };
}

/** Point forecasts of a method other than the combination from origin t (trained on values[0..t)). */
export function methodForecastFrom(values: ArrayLike<number>, method: Exclude<SelectableMethod, 'combination'>, season = 7): ForecastFrom {
  const all = Float64Array.from(values as ArrayLike<number>);
  return (t, steps) => FORECAST_METHODS[method].forecast(prepareSeries(all.subarray(0, t), season), steps);
}

/** In-sample MAE of the seasonal-naive forecast: the MASE scale (the backtest's too). */
export function seasonalNaiveMae(v: Float64Array, season: number): number {
  let s = 0;
  let k = 0;
  for (let i = season; i < v.length; i++) {
    s += Math.abs(v[i]! - v[i - season]!);
    k++;
  }
  return k > 0 ? s / k : NaN;
}
