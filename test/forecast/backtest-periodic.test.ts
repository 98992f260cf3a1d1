// A history that repeats exactly week on week (a flat series, a perfectly weekly one) gives
// seasonal naive no in-sample error, so MASE has nothing to divide by. The backtest still
// scores those origins, apart, in the series' own unit: how far P50 was and how often the
// band held the day — never nothing.
import { describe, expect, it } from 'vitest';
import { backtestSeries, summariseBacktest } from '../../src/forecast/backtest.js';

const flat = (days: number, value: number) => Array.from({ length: days }, () => value);

describe('backtest of an exactly periodic history', () => {
  it('scores a flat series apart from MASE: no error, every day held', () => {
    // 70 days: origins 28, 35, 42, 49, 56, 63, each scoring 7 days at h ≤ 7.
    const s = summariseBacktest(backtestSeries(flat(70, 10), 28), 7);
    expect(s.origins).toBe(0);
    expect(s.mase.forecast).toBeNaN();
    expect(s.periodic.origins).toBe(6);
    expect(s.periodic.mae).toBeCloseTo(0, 9);
    expect(s.periodic.coverage).toBe(1);
  });

  it('scores a perfectly weekly series the same way', () => {
    const week = [5, 10, 10, 10, 10, 10, 2];
    const s = summariseBacktest(backtestSeries(Array.from({ length: 70 }, (_, i) => week[i % 7]!), 28), 7);
    expect(s.origins).toBe(0);
    expect(s.periodic.origins).toBe(6);
    expect(s.periodic.mae).toBeCloseTo(0, 9);
    expect(s.periodic.coverage).toBe(1);
  });

  it('keeps MASE for the origins that have a scale, and the periodic ones apart', () => {
    // $10 a day for 42 days, then $20. Origins 28 and 35 forecast $10 and see $10; origin 42
    // (its history still flat) forecasts $10 and sees $20: 7 misses of $10 in 21 days scored,
    // a mean error of 70 / 21 = $3.33 and 14 of 21 days held. Origins 49, 56, 63 have a scale.
    const s = summariseBacktest(backtestSeries([...flat(42, 10), ...flat(28, 20)], 28), 7);
    expect(s.periodic.origins).toBe(3);
    expect(s.periodic.mae).toBeCloseTo(70 / 21, 9);
    expect(s.periodic.coverage).toBeCloseTo(14 / 21, 12);
    expect(s.origins).toBe(3);
    expect(Number.isFinite(s.mase.forecast)).toBe(true);
  });
});
