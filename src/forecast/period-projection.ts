/**
 * Where a budget period ends up: spend so far plus the forecast of the days left, with
 * the spread of the forecaster's own past errors over paths of the same length (a path
 * keeps the weekday pattern and the day-to-day correlation that daily bands ignore).
 * Breach probability comes from a normal fitted robustly (median, IQR) to those errors.
 * The forecast is the method `forecast` chooses for the same history (select-method.ts),
 * and the errors are that method's: a steadily growing team that `forecast` gives Theta's
 * P50 is projected to its period's end by Theta too, not by the combination, which lags its
 * growth (October's END P50 $6,143.31 beside a forecast heading for $6,395.74).
 */
import { MIN_INTERVAL_HISTORY, pointForecast } from './combine-forecast.js';
import { CALIBRATION_ORIGINS, quantile, type ForecastFrom } from './forecast-intervals.js';
import { defaultForecastFrom } from './forecast-series.js';
import { dailySpread, isIntermittent } from './prepared-series.js';
import { selectedForecastFrom, type SelectableMethod } from './select-method.js';

export interface PeriodProjection {
  p10: number;
  p50: number;
  p90: number;
  /** P(period total > limit); null without a limit or without calibration. */
  breach_probability: number | null;
  /** Index (0 = the first day left) on which the P50 / P90 cumulative path crosses the limit. */
  breach_day_p50: number | null;
  breach_day_p90: number | null;
  method: 'forecast' | 'run-rate';
  /**
   * The method the days to come are forecast by, as `forecast` names it (`selected_method`):
   * the one the history's own recent backtest chose from 28 days, the combination from 14;
   * null for a run rate (under 14 days) or a mean rate (a sparse history).
   */
  selected_method: SelectableMethod | null;
  history_days: number;
}

const MIN_PATHS = 8;
const Z90 = 1.2815515655446004;

/**
 * `history`: complete past days (the period's own days included), oldest first;
 * `spent`: the period's spend so far; `daysLeft`: UTC days still to come (the
 * current day's remainder counts as `todayLeft`, a fraction of the first; the last, when
 * the period ends inside it, as `lastDayFraction`). `unrecorded`: the days between the
 * history's end and today that the ledger has no usage for yet (an export that arrives a
 * day late), each weighted by its share inside the period (0 before it): forecast like the
 * days to come, since their spend is unknown, not $0. `scale`: a what-if's multiplier on
 * every day still to come (`forecast --traffic x2`); the band scales with it, since the
 * forecaster's past errors are relative. `pending`: spend forecast for days before the
 * history's end that the ledger has not recorded yet (a provider whose bill arrives days
 * after another's: budget-trajectory.ts), in the period, added ahead of the first day left
 * and scaled with the days to come, as `unrecorded` days are. `dayScale`: a multiplier per
 * day of the horizon (the unrecorded days, then today's remainder, then the days left), a
 * scheduled price change's from its day (budget-trajectory.ts); it weighs the day's spend,
 * and so the band and the path errors, as `scale` does. `forecastFrom`: the combination's
 * forecasts from past origins (the evaluation passes a cached one), which the selection
 * scores the combination by, and the band is read from when the combination is kept.
 */
export function projectPeriod(
  history: ArrayLike<number>,
  spent: number,
  daysLeft: number,
  options: { limit?: number; todayLeft?: number; lastDayFraction?: number; unrecorded?: readonly number[]; pending?: number; season?: number; forecastFrom?: ForecastFrom; scale?: number; dayScale?: readonly number[] } = {},
): PeriodProjection {
  const n = history.length;
  const season = options.season ?? 7;
  const todayLeft = options.todayLeft ?? 0;
  // A period in another time zone ends part-way through a UTC day: only that part counts.
  const lastDayFraction = options.lastDayFraction ?? 1;
  const unrecorded = options.unrecorded ?? [];
  const ahead = daysLeft + (todayLeft > 0 ? 1 : 0);
  const steps = unrecorded.length + ahead;
  const combined = pointForecast(history, Math.max(steps, 1), season);
  // Chosen as `forecast` chooses (forecast-series.ts): from 28 days of a history that is not sparse.
  const chosen = n >= MIN_INTERVAL_HISTORY && combined.basis === 'combination' ? selectedForecastFrom(history, options.forecastFrom ?? defaultForecastFrom(history, season, Math.max(steps, 1)), season) : null;
  const selected = combined.basis === 'combination' ? (chosen?.selection.method ?? 'combination') : null;
  const point = chosen !== null && selected !== 'combination' ? chosen.from(n, Math.max(steps, 1)) : combined.values;
  const scale = options.scale ?? 1;
  const dayScale = options.dayScale;
  const weights = [...unrecorded, ...Array.from({ length: ahead }, (_, i) => (i === 0 && todayLeft > 0 ? todayLeft : daysLeft > 0 && i === ahead - 1 ? lastDayFraction : 1))].map((w, i) => w * (dayScale?.[i] ?? 1));
  const cumulative: number[] = [];
  let sum = (options.pending ?? 0) * scale;
  for (let i = 0; i < steps; i++) cumulative.push((sum += point[i]! * weights[i]! * scale));
  const p50 = spent + sum;
  const limit = options.limit;
  const crossing = (scale: number) => {
    if (limit === undefined || spent >= limit) return null;
    const i = cumulative.findIndex((c) => spent + c * scale > limit);
    return i < 0 ? null : i;
  };
  if (n < MIN_INTERVAL_HISTORY || steps === 0) {
    const sure = limit === undefined ? null : p50 > limit ? 1 : 0;
    return { p10: p50, p50, p90: p50, breach_probability: steps === 0 ? sure : null, breach_day_p50: crossing(1), breach_day_p90: crossing(1), method: n < 14 ? 'run-rate' : 'forecast', selected_method: selected, history_days: n };
  }
  if (isIntermittent(history, season)) return sparseProjection(history, spent, p50, weights.map((w) => w * scale), limit, cumulative, season, crossing);
  // The chosen method's own past errors: the combination's would band a forecast it did not make.
  const errors = pathErrors(history, steps, weights, chosen!.from);
  if (errors.length === 0) {
    return { p10: p50, p50, p90: p50, breach_probability: null, breach_day_p50: crossing(1), breach_day_p90: crossing(1), method: 'forecast', selected_method: selected, history_days: n };
  }
  errors.sort((a, b) => a - b);
  const med = quantile(errors, 0.5);
  const spread = (quantile(errors, 0.75) - quantile(errors, 0.25)) / 1.349;
  // The floor only keeps the probability's division finite: in the band it would put P90 a
  // ten-millionth of a dollar above P50 for a history the forecaster never missed.
  const sigma = Math.max(spread, 1e-9);
  // Past errors as wide as the forecast itself (a sparse series) would put P10 below what is
  // already spent: the days left cannot spend less than nothing.
  const lo = Math.max(-1, Math.min(med - Z90 * spread, 0));
  const hi = Math.max(med + Z90 * spread, 0);
  const p10 = spent + sum * (1 + lo);
  const p90 = spent + sum * (1 + hi);
  let probability: number | null = null;
  if (limit !== undefined) {
    if (spent >= limit) probability = 1;
    else if (sum <= 0) probability = 0;
    else probability = 1 - normalCdf(((limit - spent) / sum - 1 - med) / sigma);
  }
  return { p10, p50, p90, breach_probability: probability, breach_day_p50: crossing(1), breach_day_p90: crossing(1 + hi), method: 'forecast', selected_method: selected, history_days: n };
}

/**
 * A series with no spend on most days (a feature used now and then): its days are taken
 * as independent draws, so the days left sum to their forecast give or take the daily
 * spread × √(days). The forecaster's past relative errors are no guide there: after a run
 * of empty days it forecasts nearly $0, and the next $4 day was an error of +5,600% that
 * put P90 at nine times the month's likely spend (and a 44% breach on a budget the run
 * rate stays under).
 */
function sparseProjection(
  history: ArrayLike<number>,
  spent: number,
  p50: number,
  weights: readonly number[],
  limit: number | undefined,
  cumulative: readonly number[],
  season: number,
  crossing: (scale: number) => number | null,
): PeriodProjection {
  const n = history.length;
  const { sd } = dailySpread(history, season);
  const spread = sd * Math.sqrt(weights.reduce((a, w) => a + w * w, 0));
  const sum = cumulative.length > 0 ? cumulative[cumulative.length - 1]! : p50 - spent;
  const p10 = Math.max(spent, p50 - Z90 * spread);
  const p90 = p50 + Z90 * spread;
  let probability: number | null = null;
  if (limit !== undefined) probability = spent >= limit ? 1 : spread > 0 ? 1 - normalCdf((limit - p50) / spread) : p50 > limit ? 1 : 0;
  return { p10, p50, p90, breach_probability: probability, breach_day_p50: crossing(1), breach_day_p90: crossing(sum > 0 ? (p90 - spent) / sum : 1), method: 'forecast', selected_method: null, history_days: n };
}

/**
 * Relative error of the summed forecast over `steps` days, one per past origin with a
 * full path; with too few, shorter paths widened by √(steps / length).
 */
function pathErrors(values: ArrayLike<number>, steps: number, weights: number[], from: ForecastFrom): number[] {
  const n = values.length;
  const lowest = Math.max(21, n - CALIBRATION_ORIGINS);
  let length = steps;
  while (length > 1 && n - length - lowest + 1 < MIN_PATHS) length = Math.max(1, Math.floor(length * 0.75));
  let widen = Math.sqrt(steps / length);
  // A shortened path weighs its first days. When those are all unrecorded days before the
  // period (a ledger a month behind), they weigh nothing and no error would ever be read:
  // weigh the path by the horizon's last days instead, the ones inside the period, widened
  // by the weight of the whole horizon over theirs.
  let used = weights.slice(0, length);
  if (length < steps && used.every((w) => w === 0)) {
    used = weights.slice(steps - length);
    const total = weights.reduce((a, w) => a + w, 0);
    const part = used.reduce((a, w) => a + w, 0);
    if (part > 0) widen = Math.sqrt(total / part);
  }
  const out: number[] = [];
  for (let t = n - length; t >= lowest; t--) {
    const f = from(t, length);
    let fs = 0;
    let as = 0;
    for (let j = 0; j < length; j++) {
      const w = used[j] ?? 1;
      fs += f[j]! * w;
      as += values[t + j]! * w;
    }
    if (fs > 0) out.push((as / fs - 1) * widen);
  }
  return out;
}

/** Standard normal CDF (Zelen & Severo 26.2.17, |error| < 7.5e-8). */
export function normalCdf(z: number): number {
  const t = 1 / (1 + 0.2316419 * Math.abs(z));
  const d = 0.3989422804014327 * Math.exp((-z * z) / 2);
  const p = d * t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  return z > 0 ? 1 - p : p;
}
