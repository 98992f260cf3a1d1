import { describe, expect, it } from 'vitest';
import { pointForecast } from '../../src/forecast/combine-forecast.js';
import { quantile } from '../../src/forecast/forecast-intervals.js';
import { defaultForecastFrom, forecastSeries } from '../../src/forecast/forecast-series.js';
import { normalCdf, projectPeriod } from '../../src/forecast/period-projection.js';
import { methodForecastFrom } from '../../src/forecast/select-method.js';
import { SPARSE } from './sparse-series.js';

describe('period projection of a sparse series', () => {
  // $3.50 spent, today and 26 whole days left, a $30 budget.
  const p = projectPeriod(SPARSE, 3.5, 26, { limit: 30, todayLeft: 1, lastDayFraction: 1 });
  // The history's mean: $29.21 / 35 = $0.83457 a day; sample variance 111.86 / 34 = 3.29.
  const mean = 29.21 / 35;
  const variance = SPARSE.reduce((a, b) => a + (b - mean) ** 2, 0) / 34;
  const spread = Math.sqrt(variance * 27);

  it('P50 is what is spent plus 27 days at the mean rate: $3.50 + 27 × $0.83457 = $26.03', () => {
    expect(p.method).toBe('forecast');
    expect(p.p50).toBeCloseTo(3.5 + 27 * mean, 9);
    expect(p.p50).toBeCloseTo(26.0334, 4);
  });

  it('the band is the daily spread over the 27 days left: √(3.29 × 27) = $9.42, × 1.2816 = ±$12.08', () => {
    expect(spread).toBeCloseTo(9.425, 3);
    expect(p.p90).toBeCloseTo(p.p50 + 1.2815515655446004 * spread, 9);
    expect(p.p10).toBeCloseTo(p.p50 - 1.2815515655446004 * spread, 9);
    // Before, the forecaster's relative errors after a run of empty days (+5,600%) set P90 at $437 and P10 at −$993.
    expect(p.p90).toBeCloseTo(38.11, 2);
  });

  it('breach probability is the chance the days left spend more than $26.50: 1 − Φ((30 − 26.03) / 9.42) = 34%', () => {
    expect(p.breach_probability).toBeCloseTo(1 - normalCdf((30 - p.p50) / spread), 12);
    expect(p.breach_probability).toBeCloseTo(0.337, 3);
    expect(p.breach_day_p50).toBeNull();
  });

  it('P10 is never below what is already spent', () => {
    const q = projectPeriod(SPARSE, 3.5, 3, { limit: 30, todayLeft: 1, lastDayFraction: 1 });
    expect(q.p10).toBe(3.5);
  });
});

describe('period projection on a ledger a month behind', () => {
  // 54 days of $10 ± $3 (a fixed pattern, no trend), the last one 32 days before today:
  // 30 unrecorded days before the period (weight 0), 2 inside it, then today and 29 days.
  const history = Array.from({ length: 54 }, (_, i) => 10 + 3 * Math.sin(i * 1.7) + (i % 5 === 0 ? 2 : 0));
  const unrecorded = [...Array.from({ length: 30 }, () => 0), 1, 1];
  const p = projectPeriod(history, 0, 29, { limit: 300, todayLeft: 1, lastDayFraction: 1, unrecorded });

  it('still has a band: the calibration paths weigh the period days, not the unrecorded days before it', () => {
    // Paths as long as the horizon (62 days) need more history than 54 days: they are
    // shortened, and their first days are all before the period. Before, every path
    // weighed nothing: P90 = P50 and no breach probability.
    expect(p.p90).toBeGreaterThan(p.p50 * 1.01);
    expect(p.p10).toBeLessThan(p.p50 * 0.99);
    expect(p.breach_probability).not.toBeNull();
    expect(p.breach_probability!).toBeGreaterThan(0);
    expect(p.breach_probability!).toBeLessThan(1);
  });

  it('P50 is the 32 period days forecast, as without the band', () => {
    const flat = projectPeriod(history, 0, 29, { todayLeft: 1, lastDayFraction: 1, unrecorded });
    expect(p.p50).toBeCloseTo(flat.p50, 9);
    // About 32 days of ~$10.4: within the history's daily range times the days.
    expect(p.p50).toBeGreaterThan(32 * 7);
    expect(p.p50).toBeLessThan(32 * 15);
  });
});

describe('period projection of a history the forecaster never missed', () => {
  it('puts P10 and P90 on P50 exactly: $8.40 spent + 28 days × $2.80 = $86.80', () => {
    const history = Array.from({ length: 90 }, () => 2.8);
    const p = projectPeriod(history, 8.4, 27, { limit: 100, todayLeft: 1, lastDayFraction: 1 });
    expect(p.method).toBe('forecast');
    expect(p.p50).toBeCloseTo(86.8, 9);
    // Before, the spread's floor (1e-9) put P90 at $86.8000001005 in budget status's JSON.
    // To the ledger's tick (1e-10 USD), what budget status prints.
    expect(p.p90).toBeCloseTo(p.p50, 9);
    expect(p.p10).toBeCloseTo(p.p50, 9);
    expect(p.breach_probability).toBe(0);
  });
});

describe('period projection by the method forecast chooses', () => {
  /** $100 a weekday and half that at weekends, growing $2 a day (select-method.test.ts): Theta's series. */
  const WEEK = [1, 1, 1, 1, 1, 0.5, 0.5];
  const growing = Array.from({ length: 70 }, (_, i) => (100 + 2 * i) * WEEK[i % 7]!);
  /** A flat weekly series with ±30% noise (seeded): the combination's. */
  const noisy = (() => {
    let x = 12345;
    const r = () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
    return Array.from({ length: 70 }, (_, i) => 100 * WEEK[i % 7]! * (0.7 + 0.6 * r()));
  })();
  const Z90 = 1.2815515655446004;
  /**
   * P90 of $1,000 spent + 20 days to come, by hand from `from`'s 20-day path errors: one per
   * origin 50 down to 21 (30 paths), their median + 1.28 × IQR / 1.349 on top of P50.
   */
  const p90From = (v: number[], from: (t: number, steps: number) => Float64Array, sum: number) => {
    const errors: number[] = [];
    for (let t = 50; t >= 21; t--) {
      const f = from(t, 20).reduce((a, b) => a + b, 0);
      errors.push(v.slice(t, t + 20).reduce((a, b) => a + b, 0) / f - 1);
    }
    errors.sort((a, b) => a - b);
    const spread = (quantile(errors, 0.75) - quantile(errors, 0.25)) / 1.349;
    return 1000 + sum * (1 + Math.max(quantile(errors, 0.5) + Z90 * spread, 0));
  };

  it("projects a growing series by Theta, as forecast does, with Theta's own errors for the band", () => {
    const p = projectPeriod(growing, 1000, 19, { limit: 6000, todayLeft: 1, lastDayFraction: 1 });
    expect(p.selected_method).toBe('theta');
    const theta = methodForecastFrom(growing, 'theta');
    const sum = theta(70, 20).reduce((a, b) => a + b, 0);
    // forecastSeries's P50 over the same 20 days: the two agree to the tick.
    expect(forecastSeries(growing, 20).p50.reduce((a, b) => a + b, 0)).toBeCloseTo(sum, 9);
    expect(p.p50).toBeCloseTo(1000 + sum, 9);
    expect(p.p50).toBeCloseTo(5347.74, 2);
    expect(p.p90).toBeCloseTo(p90From(growing, theta, sum), 9);
    // The combination's errors (it under-forecast the growth at every origin) would have put P90 higher.
    expect(p90From(growing, defaultForecastFrom(growing), sum)).toBeGreaterThan(p.p90 + 100);
  });

  it('keeps the combination, its P50 and its band, where nothing beat it', () => {
    const p = projectPeriod(noisy, 1000, 19, { limit: 3000, todayLeft: 1, lastDayFraction: 1 });
    expect(p.selected_method).toBe('combination');
    const sum = pointForecast(noisy, 20).values.reduce((a, b) => a + b, 0);
    expect(p.p50).toBeCloseTo(1000 + sum, 9);
    expect(p.p90).toBeCloseTo(p90From(noisy, defaultForecastFrom(noisy), sum), 9);
  });

  it('names no method for a run rate or a mean rate, and the combination under 28 days', () => {
    expect(projectPeriod(growing.slice(0, 10), 0, 5).selected_method).toBeNull();
    expect(projectPeriod(SPARSE, 3.5, 26, { todayLeft: 1 }).selected_method).toBeNull();
    expect(projectPeriod(growing.slice(0, 20), 0, 5).selected_method).toBe('combination');
  });
});
