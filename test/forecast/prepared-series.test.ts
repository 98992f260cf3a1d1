import { describe, expect, it } from 'vitest';
import { pointForecast } from '../../src/forecast/combine-forecast.js';
import { prepareSeries, seasonalIndices } from '../../src/forecast/prepared-series.js';
import { SPARSE } from './sparse-series.js';

describe('seasonal indices', () => {
  it('a weekday-only workload keeps its weekly pattern: weekdays 1.4 (10 over a 50/7 week average), weekends at the 0.05 floor', () => {
    const v = Float64Array.from({ length: 42 }, (_, i) => (i % 7 < 5 ? 10 : 0));
    const idx = seasonalIndices(v, 7);
    expect(idx).not.toBeNull();
    expect([...idx!].map((x) => Math.round(x * 1e9) / 1e9)).toEqual([1.4, 1.4, 1.4, 1.4, 1.4, 0.05, 0.05]);
  });

  it('a weekday-only workload is forecast at its weekday level: $10 each weekday, not 5/7 of it', () => {
    const v = Array.from({ length: 42 }, (_, i) => (i % 7 < 5 ? 10 : 0));
    // Deseasonalised, every day is at the level 10 / 1.4: the weekends take the Friday's.
    expect([...prepareSeries(v, 7).deseasonalised].every((x) => Math.abs(x - 10 / 1.4) < 1e-9)).toBe(true);
    const f = pointForecast(v, 7, 7);
    expect(f.basis).toBe('combination');
    // Theta and the damped trend: 10 / 1.4 × 1.4 = $10 a weekday and 10 / 1.4 × 0.05 a weekend
    // day; the median of four weekdays: $10 and $0. The mean of the three: $10 and 1 / 4.2.
    // Before, the weekends' 0 ÷ 0.05 = 0 pulled the level down and a weekday read $7.50.
    for (let h = 0; h < 5; h++) expect(f.values[h]).toBeCloseTo(10, 9);
    for (const h of [5, 6]) expect(f.values[h]).toBeCloseTo(1 / 4.2, 9);
  });

  it('a series with no spend on most days has none: one weekday would otherwise take the whole week and multiply stray days twentyfold', () => {
    expect(seasonalIndices(Float64Array.from(SPARSE), 7)).toBeNull();
  });

  it("the sparse series' forecast is its mean rate, $29.21 / 35 a day (it was $73.39 on one weekday)", () => {
    const f = pointForecast(SPARSE, 27, 7);
    expect(f.basis).toBe('mean-rate');
    for (const v of f.values) expect(v).toBeCloseTo(29.21 / 35, 12);
  });
});

describe('a sparse series is forecast at its mean rate', () => {
  it('one $7 day in 34: $7 / 34 = $0.2059 a day, so $6.18 over 30 days, with a band of ± 1.28 × sd × √30 from the first day', async () => {
    const { forecastSeries } = await import('../../src/forecast/forecast-series.js');
    const v = Array.from({ length: 34 }, (_, i) => (i === 20 ? 7 : 0));
    const f = forecastSeries(v, 30);
    expect(f.basis).toBe('mean-rate');
    const sum = (a: Float64Array) => a.reduce((x, y) => x + y, 0);
    expect(sum(f.p50)).toBeCloseTo((7 / 34) * 30, 9);
    // sd: ((7 − 7/34)² + 33 × (7/34)²) / 33 = 47.56 / 33 → 1.2005; × 1.2816 × √30 = 8.427.
    const sd = Math.sqrt(((7 - 7 / 34) ** 2 + 33 * (7 / 34) ** 2) / 33);
    expect(sum(f.p90)).toBeCloseTo((7 / 34) * 30 + 1.2815515655446004 * sd * Math.sqrt(30), 9);
    expect(sum(f.p10)).toBe(0);
    // Any stretch from the first day adds up to its own band: the first 7 days' P90 is 7 × mean + 1.28 × sd × √7.
    expect(sum(f.p90.subarray(0, 7))).toBeCloseTo(7 * (7 / 34) + 1.2815515655446004 * sd * Math.sqrt(7), 9);
  });
});
