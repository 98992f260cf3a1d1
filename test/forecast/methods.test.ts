// Forecast methods on series small enough to check by hand.
import { describe, expect, it } from 'vitest';
import { pointForecast } from '../../src/forecast/combine-forecast.js';
import { forecastSeries } from '../../src/forecast/forecast-series.js';
import { FORECAST_METHODS } from '../../src/forecast/method-registry.js';
import { projectPeriod } from '../../src/forecast/period-projection.js';
import { prepareSeries } from '../../src/forecast/prepared-series.js';
import { backtestSeries, summariseBacktest } from '../../src/forecast/backtest.js';

// A week of 10,10,10,10,10,4,4 repeated: weekdays $10, weekends $4.
const week = [10, 10, 10, 10, 10, 4, 4];
const weeks = (k: number) => Array.from({ length: 7 * k }, (_, i) => week[i % 7]!);

describe('forecast methods', () => {
  it('seasonal naive repeats the last week', () => {
    const f = FORECAST_METHODS['seasonal-naive'].forecast(prepareSeries([1, 2, 3, 4, 5, 6, 7, 8]), 8);
    // Last 7 values are 2..8; step 8 wraps to the first of them again.
    expect([...f]).toEqual([2, 3, 4, 5, 6, 7, 8, 2]);
  });

  it('median of four same weekdays ignores one spike', () => {
    const v = weeks(4);
    v[21] = 100; // the last Monday spiked
    const f = FORECAST_METHODS['median-weekday'].forecast(prepareSeries(v), 7);
    // Mondays seen: 10, 10, 10, 100 → median 10; weekends 4.
    expect([...f]).toEqual(week);
  });

  it('weekly indices: weekdays 10 and weekends 4 give 10/8.2857 and 4/8.2857', () => {
    const s = prepareSeries(weeks(6));
    expect(s.indices![0]).toBeCloseTo(10 / (58 / 7), 6);
    expect(s.indices![6]).toBeCloseTo(4 / (58 / 7), 6);
  });

  it('Theta and the damped trend reproduce a flat weekly pattern exactly', () => {
    const s = prepareSeries(weeks(6));
    for (const id of ['theta', 'damped-trend'] as const) {
      const f = FORECAST_METHODS[id].forecast(s, 7);
      f.forEach((x, i) => expect(x).toBeCloseTo(week[i]!, 6));
    }
  });

  it('the combination of a flat weekly series is that series, with a zero-width band', () => {
    const f = forecastSeries(weeks(8), 14);
    expect(f.basis).toBe('combination');
    expect(f.methods).toEqual(['theta', 'damped-trend', 'median-weekday']);
    f.p50.forEach((x, i) => expect(x).toBeCloseTo(week[i % 7]!, 6));
    expect(f.calibrated).toBe(true);
    f.p90.forEach((x, i) => expect(x).toBeCloseTo(week[i % 7]!, 6));
  });

  it('under 14 days of history it falls back to the run rate of the last week', () => {
    // Last 7 of [1..10] are 4..10: mean 7.
    const f = pointForecast([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 3);
    expect(f.basis).toBe('run-rate');
    expect([...f.values]).toEqual([7, 7, 7]);
  });

  it('projects a period: spent + the forecast of the days left; breach certain when already past', () => {
    // 8 flat weeks; 10 days left starting on a Monday: 5×10 + 2×4 + 3×10 = 88.
    const p = projectPeriod(weeks(8), 100, 10, { limit: 150 });
    expect(p.p50).toBeCloseTo(188, 6);
    expect(p.method).toBe('forecast');
    expect(p.breach_probability).toBe(1);
    // Cumulative: 110,120,130,140,150,154,158 … the 150 limit is passed on day index 5 (> 150).
    expect(p.breach_day_p50).toBe(5);
  });

  it('backtest: the combination matches seasonal naive on a perfect weekly series (both MASE 0)', () => {
    const noisy = weeks(10).map((x, i) => x * (1 + 0.1 * Math.sin(i * 1.7)));
    const s = summariseBacktest(backtestSeries(noisy, 28), 7);
    expect(s.origins).toBeGreaterThan(5);
    expect(s.mase['seasonal-naive']).toBeGreaterThan(0);
    expect(Number.isFinite(s.relative_mase)).toBe(true);
  });
});
