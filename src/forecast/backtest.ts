/**
 * Rolling-origin backtest (routing-forecast.md §2.7): origins every 7 days from day 28,
 * never refitting on test data; MASE scaled by the in-sample seasonal-naive MAE
 * (Hyndman & Koehler 2006), and how often the P10–P90 band held the actual value.
 */
import type { ForecastFrom } from './forecast-intervals.js';
import { defaultForecastFrom, forecastSeries } from './forecast-series.js';
import { FORECAST_METHODS } from './method-registry.js';
import { prepareSeries } from './prepared-series.js';
import { seasonalNaiveMae } from './select-method.js';


/**
 * `forecast` is what llmfin would have shown from each origin: the method its selection
 * chose there (select-method.ts); `combination` is the combination alone, for comparison.
 */
export const BACKTEST_METHODS = ['forecast', 'combination', 'seasonal-naive', 'naive'] as const;
export type BacktestMethod = (typeof BACKTEST_METHODS)[number];

/** Sums per horizon step (index h − 1), to be pooled over series and origins. */
export interface BacktestSums {
  /** Origins scored by MASE (their history has a seasonal-naive error to scale by). */
  origins: number;
  /** Σ |error| / scale per method and step. */
  scaled: Record<BacktestMethod, Float64Array>;
  /** Forecasts scored per step. */
  count: Float64Array;
  /** Actuals inside [P10, P90] per step. */
  covered: Float64Array;
  /**
   * Origins whose history repeats exactly week on week (a flat series, a perfectly weekly
   * one): seasonal naive makes no in-sample error there, so MASE has nothing to divide by.
   * They are scored apart, in the series' own unit, rather than dropped, so that such a
   * series still gets a backtest to read.
   */
  periodic: PeriodicSums;
}

/** The origins of an exactly periodic history: the P50's absolute error and the band's hits, per step. */
export interface PeriodicSums {
  origins: number;
  /** Σ |actual − P50| per step. */
  absError: Float64Array;
  count: Float64Array;
  covered: Float64Array;
}

export function emptySums(horizon: number): BacktestSums {
  return {
    origins: 0,
    scaled: { forecast: new Float64Array(horizon), combination: new Float64Array(horizon), 'seasonal-naive': new Float64Array(horizon), naive: new Float64Array(horizon) },
    count: new Float64Array(horizon),
    covered: new Float64Array(horizon),
    periodic: { origins: 0, absError: new Float64Array(horizon), count: new Float64Array(horizon), covered: new Float64Array(horizon) },
  };
}

export function addBacktestSums(into: BacktestSums, from: BacktestSums): void {
  into.origins += from.origins;
  into.periodic.origins += from.periodic.origins;
  for (const m of BACKTEST_METHODS) for (let i = 0; i < into.count.length; i++) into.scaled[m][i]! += from.scaled[m][i] ?? 0;
  for (let i = 0; i < into.count.length; i++) {
    into.count[i]! += from.count[i] ?? 0;
    into.covered[i]! += from.covered[i] ?? 0;
    into.periodic.absError[i]! += from.periodic.absError[i] ?? 0;
    into.periodic.count[i]! += from.periodic.count[i] ?? 0;
    into.periodic.covered[i]! += from.periodic.covered[i] ?? 0;
  }
}

/** Memoises the combination's forecasts per origin so that bands, selection and backtest share fits. */
export function cachedForecastFrom(values: ArrayLike<number>, maxSteps: number, season = 7): ForecastFrom {
  return defaultForecastFrom(values, season, maxSteps);
}

export function backtestSeries(values: ArrayLike<number>, horizon: number, options: { season?: number; firstOrigin?: number; step?: number; forecastFrom?: ForecastFrom } = {}): BacktestSums {
  const season = options.season ?? 7;
  const first = options.firstOrigin ?? 28;
  const stepBy = options.step ?? 7;
  const all = Float64Array.from(values as ArrayLike<number>);
  const n = all.length;
  const from = options.forecastFrom ?? cachedForecastFrom(all, horizon, season);
  const sums = emptySums(horizon);
  for (let o = first; o < n; o += stepBy) {
    const train = all.subarray(0, o);
    const scale = seasonalNaiveMae(train, season);
    const steps = Math.min(horizon, n - o);
    if (scale === 0) {
      const fc = forecastSeries(train, horizon, { season, forecastFrom: from });
      const p = sums.periodic;
      p.origins++;
      for (let j = 0; j < steps; j++) {
        const y = all[o + j]!;
        // The forecast of an exactly periodic history is exact up to float rounding, and so
        // is its band, of zero width: an actual 1e-15 outside it is held, not missed.
        const slack = 1e-9 * Math.max(1, Math.abs(y));
        p.absError[j]! += Math.abs(y - fc.p50[j]!);
        p.count[j]!++;
        if (y >= fc.p10[j]! - slack && y <= fc.p90[j]! + slack) p.covered[j]!++;
      }
      continue;
    }
    if (!(scale > 0)) continue;
    const fc = forecastSeries(train, horizon, { season, forecastFrom: from });
    const prepared = prepareSeries(train, season);
    const sn = FORECAST_METHODS['seasonal-naive'].forecast(prepared, horizon);
    const comb = from(o, horizon);
    const nv = FORECAST_METHODS.naive.forecast(prepared, horizon);
    sums.origins++;
    for (let j = 0; j < steps; j++) {
      const y = all[o + j]!;
      sums.scaled.forecast[j]! += Math.abs(y - fc.p50[j]!) / scale;
      sums.scaled.combination[j]! += Math.abs(y - comb[j]!) / scale;
      sums.scaled['seasonal-naive'][j]! += Math.abs(y - sn[j]!) / scale;
      sums.scaled.naive[j]! += Math.abs(y - nv[j]!) / scale;
      sums.count[j]!++;
      if (y >= fc.p10[j]! && y <= fc.p90[j]!) sums.covered[j]!++;
    }
  }
  return sums;
}

export interface BacktestSummary {
  horizon: number;
  origins: number;
  /** Mean MASE over steps 1..h per method. */
  mase: Record<BacktestMethod, number>;
  /** The forecast's MASE / seasonal-naive MASE (below 1: better than the baseline). */
  relative_mase: number;
  /** Share of actuals within P10–P90 over steps 1..h. */
  coverage: number;
  /** The origins MASE could not score (PeriodicSums): how far the P50 was, on average, and the band's hits, over steps 1..h. */
  periodic: { origins: number; mae: number; coverage: number };
}

/** MASE and coverage over steps 1..h (h ≤ the horizon the sums were built with). */
export function summariseBacktest(sums: BacktestSums, h: number): BacktestSummary {
  const mase = {} as Record<BacktestMethod, number>;
  let count = 0;
  let covered = 0;
  for (let j = 0; j < h; j++) {
    count += sums.count[j] ?? 0;
    covered += sums.covered[j] ?? 0;
  }
  for (const m of BACKTEST_METHODS) {
    let s = 0;
    for (let j = 0; j < h; j++) s += sums.scaled[m][j] ?? 0;
    mase[m] = count > 0 ? s / count : NaN;
  }
  const p = sums.periodic;
  let pCount = 0;
  let pCovered = 0;
  let pError = 0;
  for (let j = 0; j < h; j++) {
    pCount += p.count[j] ?? 0;
    pCovered += p.covered[j] ?? 0;
    pError += p.absError[j] ?? 0;
  }
  return {
    horizon: h,
    origins: sums.origins,
    mase,
    relative_mase: mase.forecast / mase['seasonal-naive'],
    coverage: count > 0 ? covered / count : NaN,
    periodic: { origins: p.origins, mae: pCount > 0 ? pError / pCount : NaN, coverage: pCount > 0 ? pCovered / pCount : NaN },
  };
}
