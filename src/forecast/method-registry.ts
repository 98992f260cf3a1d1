/**
 * The forecasting methods llmfin knows, one line each. `COMBINATION` is what
 * `llmfin forecast` averages (routing-forecast.md §2.4: Theta + damped trend + median of
 * four weekdays beat seasonal naive by 16% on real short daily series).
 */
import type { ForecastMethod } from './forecast-method.js';
import { dampedTrend } from './methods/damped-trend.js';
import { medianWeekday } from './methods/median-weekday.js';
import { naive } from './methods/naive.js';
import { seasonalNaive } from './methods/seasonal-naive.js';
import { theta } from './methods/theta.js';

export const FORECAST_METHODS = {
  'seasonal-naive': seasonalNaive,
  naive,
  theta,
  'damped-trend': dampedTrend,
  'median-weekday': medianWeekday,
} as const satisfies Record<string, ForecastMethod>;

export type ForecastMethodId = keyof typeof FORECAST_METHODS;

/** The methods averaged into the forecast, when the history allows each. */
export const COMBINATION: readonly ForecastMethodId[] = ['theta', 'damped-trend', 'median-weekday'];
