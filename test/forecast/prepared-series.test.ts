import { describe, expect, it } from 'vitest';
import { pointForecast } from '../../src/forecast/combine-forecast.js';
import { seasonalIndices } from '../../src/forecast/prepared-series.js';
import { SPARSE } from './sparse-series.js';

describe('seasonal indices', () => {
  it('a weekday-only workload keeps its weekly pattern: weekdays 1.4 (10 over a 50/7 week average), weekends at the 0.05 floor', () => {
    const v = Float64Array.from({ length: 42 }, (_, i) => (i % 7 < 5 ? 10 : 0));
    const idx = seasonalIndices(v, 7);
    expect(idx).not.toBeNull();
    expect([...idx!].map((x) => Math.round(x * 1e9) / 1e9)).toEqual([1.4, 1.4, 1.4, 1.4, 1.4, 0.05, 0.05]);
  });

  it('a series with no spend on most days has none: one weekday would otherwise take the whole week and multiply stray days twentyfold', () => {
    expect(seasonalIndices(Float64Array.from(SPARSE), 7)).toBeNull();
  });

  it("the sparse series' forecast stays within what it has spent on a day (it was $73.39 on one weekday for a $0.83-a-day history)", () => {
    const f = pointForecast(SPARSE, 27, 7);
    const max = Math.max(...f.values);
    expect(max).toBeLessThan(7);
    const total = f.values.reduce((a, b) => a + b, 0);
    // 27 days at the history's $29.21 / 35 = $0.835 a day would be $22.53; the combination sits below it (a median of weekdays that are mostly $0).
    expect(total).toBeGreaterThan(10);
    expect(total).toBeLessThan(22.54);
  });
});
