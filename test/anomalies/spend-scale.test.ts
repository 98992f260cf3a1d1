// The spend scan's scale: a reweighted scale of the log residuals, read from the days
// before the shift window under test.
import { describe, expect, it } from 'vitest';
import { reweightedSigma, robustSigma } from '../../src/anomalies/robust-stats.js';
import { THRESHOLDS } from '../../src/anomalies/sensitivity.js';
import { scanSpend } from '../../src/anomalies/spend-scan.js';
import { prng } from '../../src/shared/prng.js';

const normalDraws = (seed: number) => {
  const rand = prng(seed);
  return () => Math.sqrt(-2 * Math.log(Math.max(rand(), 1e-12))) * Math.cos(2 * Math.PI * rand());
};

describe('reweightedSigma', () => {
  it('is σ on normal data (consistent, like 1.4826·MAD)', () => {
    const normal = normalDraws(3);
    const x = Array.from({ length: 20_000 }, () => 0.3 * normal());
    expect(reweightedSigma(x)).toBeCloseTo(0.3, 2);
    expect(robustSigma(x)).toBeCloseTo(0.3, 2);
  });

  it('ignores bursts beyond the cut, which double the standard deviation', () => {
    const normal = normalDraws(4);
    const x = Array.from({ length: 400 }, (_, i) => (i % 20 === 0 ? 2 : 0.2 * normal()));
    const mean = x.reduce((a, b) => a + b, 0) / x.length;
    const sd = Math.sqrt(x.reduce((a, b) => a + (b - mean) ** 2, 0) / x.length);
    expect(sd).toBeGreaterThan(0.4);
    expect(Math.abs(reweightedSigma(x) / 0.2 - 1)).toBeLessThan(0.08);
  });

  it('is steadier than the MAD on the few dozen residuals a series has', () => {
    const normal = normalDraws(5);
    const spread = (f: (v: number[]) => number) => {
      const est: number[] = [];
      for (let k = 0; k < 400; k++) est.push(f(Array.from({ length: 30 }, () => normal())));
      const m = est.reduce((a, b) => a + b, 0) / est.length;
      return Math.sqrt(est.reduce((a, b) => a + (b - m) ** 2, 0) / est.length);
    };
    // Normal theory: about 0.15 (MAD) against 0.10.
    expect(spread(reweightedSigma)).toBeLessThan(0.8 * spread(robustSigma));
  });

  it('is NaN with fewer than two points and zero on a constant series', () => {
    expect(reweightedSigma([1])).toBeNaN();
    expect(reweightedSigma([2, 2, 2])).toBe(0);
  });
});

describe('spend scan scale', () => {
  // Weekdays $100, weekends $40, lognormal noise σ 0.05; day 60 is a ×4 spike.
  const normal = normalDraws(5);
  const quiet = Array.from({ length: 61 }, (_, i) => (i % 7 >= 5 ? 40 : 100) * Math.exp(0.05 * normal()));
  quiet[60]! *= 4;

  it('is read from the days before the shift window: three raised days before a spike leave its score alone', () => {
    // Days 57–59 at +30% (six σ each, but neither a spike nor a shift of ×1.4): read into the
    // scale, they widened it and lowered the spike's score by about 8%.
    const raised = quiet.map((v, i) => (i >= 57 && i <= 59 ? v * 1.3 : v));
    const score = (v: number[]) => scanSpend(v, { thresholds: THRESHOLDS.medium }).find((f) => f.index === 60 && f.kind === 'spike')?.score;
    const a = score(quiet);
    const b = score(raised);
    expect(a).toBeGreaterThan(10);
    expect(b! / a!).toBeGreaterThan(0.97);
    expect(b! / a!).toBeLessThanOrEqual(1);
  });
});
