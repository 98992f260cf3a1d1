// P10/P90 come from the forecaster's own past errors. Where it was wrong on one side every
// time (a growing series it under-forecast at every origin), the errors' 10th percentile is
// above the point forecast, and the band, clamped at P50, had no width below it: P10 = P50,
// which is no 80% interval. Each side now keeps at least the spread the errors have on it
// from their median; an unbiased forecaster's band is as it was.
import { describe, expect, it } from 'vitest';
import { bandsFromErrors } from '../../src/forecast/forecast-intervals.js';
import { runCli } from '../helpers/cli.js';
import { ledgerOf } from '../reports/rows-ledger.js';

/** One step's band around a point of 100 from these relative errors (actual / forecast − 1), with 28 days of history. */
function band(errors: number[]): { p10: number; p90: number } {
  const b = bandsFromErrors(Float64Array.of(100), { byStep: [errors], origins: errors.length }, 28);
  expect(b.calibrated).toBe(true);
  return { p10: b.p10[0]!, p90: b.p90[0]! };
}

/** 0.05, 0.10, …, 0.50: ten errors, every one an under-forecast. */
const UNDER = Array.from({ length: 10 }, (_, i) => (i + 1) * 0.05);

describe('bandsFromErrors', () => {
  it('gives a forecaster that under-forecast every time a band below P50', () => {
    // Quantiles (R type 7) of the ten: P10 at position 0.9, 0.05 + 0.9 × 0.05 = 0.095; the
    // median at 4.5, 0.275; P90 at 8.1, 0.455. Below the median the errors spread
    // 0.275 − 0.095 = 0.18: P10 = 100 × (1 − 0.18) = 82 (it was 100, P50). P90 = 100 × 1.455.
    const b = band(UNDER);
    expect(b.p10).toBeCloseTo(82, 9);
    expect(b.p90).toBeCloseTo(145.5, 9);
  });

  it('gives a forecaster that over-forecast every time a band above P50', () => {
    // The mirror: P10 at −0.455 (54.5), the median −0.275, P90 −0.095, which left P90 at the
    // point (100); above the median the errors spread 0.18: P90 = 100 × 1.18 = 118.
    const b = band(UNDER.map((e) => -e));
    expect(b.p10).toBeCloseTo(54.5, 9);
    expect(b.p90).toBeCloseTo(118, 9);
  });

  it('leaves the band of a forecaster with no bias as it was', () => {
    // −0.25, −0.20, …, 0.25: eleven errors, median 0; P10 at position 1.0 is −0.20, P90 at 9.0
    // is 0.20: 80 and 120, as before.
    const b = band(Array.from({ length: 11 }, (_, i) => (i - 5) * 0.05));
    expect(b.p10).toBeCloseTo(80, 9);
    expect(b.p90).toBeCloseTo(120, 9);
  });
});

describe('forecast on a growing feature', () => {
  it('gives every day a P10 below its P50', async () => {
    // 70 days from 2026-08-01 of $10.00 × 1.03^day (billed, to the cent): the combination's
    // damped trend lags the growth, and every past origin under-forecast the days after it.
    const rows = Array.from({ length: 70 }, (_, i) => ({
      id: `grow-${i}`, ts: `${new Date(Date.UTC(2026, 7, 1 + i)).toISOString().slice(0, 10)}T00:00:00Z`, provider: 'openai', model: 'gpt-4o',
      provenance: 'billed', cost_usd: (Math.round(1000 * 1.03 ** i) / 100).toFixed(2), requests: 100, feature: 'grow',
    }));
    const db = await ledgerOf(rows);
    const r = await runCli(['forecast', '--db', db, '--since', '2026-08-01', '--until', '2026-10-10', '--horizon', '7', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const row = (JSON.parse(r.stdout) as { rows: Array<{ method: string; p10_cost_usd: number; p50_cost_usd: number; daily: { p10: number[]; p50: number[] } }> }).rows[0]!;
    expect(row.method).toBe('combination');
    // Before, P10 = P50 on each of the 7 days ($490.42 for the week both).
    for (let h = 0; h < 7; h++) expect(row.daily.p10[h]!).toBeLessThan(row.daily.p50[h]!);
    expect(row.p10_cost_usd).toBeLessThan(row.p50_cost_usd);
  });
});
