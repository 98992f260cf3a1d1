import { describe, expect, it } from 'vitest';
import { projectPeriod } from '../../src/forecast/period-projection.js';
import { SPARSE } from './sparse-series.js';

describe('period projection of a sparse series', () => {
  it('P10 is never below what is already spent, and P50 is near the run rate, not ten times it', () => {
    // $3.50 spent, 26 whole days and today left, a $30 budget.
    const p = projectPeriod(SPARSE, 3.5, 26, { limit: 30, todayLeft: 1, lastDayFraction: 1 });
    expect(p.method).toBe('forecast');
    expect(p.p10).toBe(3.5);
    expect(p.p50).toBeGreaterThan(3.5 + 10);
    expect(p.p50).toBeLessThan(3.5 + 22.54);
    expect(p.p90).toBeGreaterThanOrEqual(p.p50);
    expect(p.breach_day_p50).toBeNull();
  });
});
