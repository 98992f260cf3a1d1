import { describe, expect, it } from 'vitest';
import { normalCdf, projectPeriod } from '../../src/forecast/period-projection.js';
import { SPARSE } from './sparse-series.js';

describe('period projection of a sparse series', () => {
  // $3.50 spent, today and 26 whole days left, a $30 budget.
  const p = projectPeriod(SPARSE, 3.5, 26, { limit: 30, todayLeft: 1, lastDayFraction: 1 });

  it('P50 is what is spent plus the forecast, near the run rate ($29.21 / 35 = $0.83 a day), not ten times it', () => {
    expect(p.method).toBe('forecast');
    expect(p.p50).toBeGreaterThan(3.5 + 10);
    expect(p.p50).toBeLessThan(3.5 + 22.54);
  });

  it('the band is the daily spread over the 27 days left: sample variance 111.86 / 34 = 3.29, × 27, √ = $9.42, × 1.2816 = ±$12.08', () => {
    const mean = SPARSE.reduce((a, b) => a + b, 0) / SPARSE.length;
    const variance = SPARSE.reduce((a, b) => a + (b - mean) ** 2, 0) / (SPARSE.length - 1);
    const spread = Math.sqrt(variance * 27);
    expect(spread).toBeCloseTo(9.425, 3);
    expect(p.p90 - p.p50).toBeCloseTo(1.2815515655446004 * spread, 9);
    expect(p.p50 - p.p10).toBeCloseTo(1.2815515655446004 * spread, 9);
    // Before, the forecaster's relative errors after a run of empty days (+5,600%) set P90 at $437 and P10 at −$993.
    expect(p.p90).toBeLessThan(35);
    expect(p.p10).toBeGreaterThanOrEqual(3.5);
  });

  it('breach probability is the chance the days left spend more than $26.50: 1 − Φ((30 − P50) / $9.42) ≈ 16%', () => {
    const spread = (p.p90 - p.p50) / 1.2815515655446004;
    expect(p.breach_probability).toBeCloseTo(1 - normalCdf((30 - p.p50) / spread), 12);
    expect(p.breach_probability).toBeGreaterThan(0.1);
    expect(p.breach_probability).toBeLessThan(0.25);
    expect(p.breach_day_p50).toBeNull();
  });

  it('P10 is never below what is already spent', () => {
    const q = projectPeriod(SPARSE, 3.5, 3, { limit: 30, todayLeft: 1, lastDayFraction: 1 });
    expect(q.p10).toBe(3.5);
  });
});
