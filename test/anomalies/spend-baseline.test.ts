// The spend scan's baseline pieces: Huber level, pooled weekday factors, and
// the baseline they make against a seeded series whose truth is known.
import { describe, expect, it } from 'vitest';
import { levelBaseline } from '../../src/anomalies/level-baseline.js';
import { poolProfile } from '../../src/anomalies/pooled-profile.js';
import { huberMean } from '../../src/anomalies/robust-stats.js';
import { prng } from '../../src/shared/prng.js';

describe('huberMean', () => {
  it('is the mean of points within 1.345 scales of it', () => {
    expect(huberMean([1, 2, 3, 4], 1)).toBeCloseTo(2.5, 12);
  });

  it('lets a burst pull it by about c·scale/n, not by its full size', () => {
    // The mean would move 2 (10/5); the median would not move at all but is noisier.
    expect(huberMean([0, 0, 0, 0, 10], 1)).toBeCloseTo(0.3363, 3);
  });

  it('is the median without a scale', () => {
    expect(huberMean([0, 1, 5], NaN)).toBe(1);
  });
});

describe('poolProfile', () => {
  const phase = [0, 0.05, -0.03, 0.02, 0.01, -1, -1.1];
  const count = [8, 8, 8, 8, 8, 8, 8];

  it('pools weekdays that agree within the noise and keeps a clearly lower weekend apart', () => {
    const pooled = poolProfile(phase, count, 0.2);
    for (const k of [0, 1, 2, 3, 4]) expect(Math.abs(pooled[k]! - 0.01)).toBeLessThan(0.002);
    expect(pooled[5]).toBeCloseTo(-1.0421, 3);
    expect(pooled[6]).toBeCloseTo(-1.0579, 3);
  });

  it('leaves the factors alone without a noise scale, and barely touches them on quiet series', () => {
    expect(poolProfile(phase, count, NaN)).toBe(phase);
    expect(poolProfile(phase, count, 0.01)[1]).toBeCloseTo(0.05, 6);
  });
});

describe('levelBaseline on a seeded noisy series', () => {
  // Weekdays $100, weekends $40, growing 0.5% a day, lognormal noise σ 0.25 (the median is the truth).
  const rand = prng(7);
  const normal = () => Math.sqrt(-2 * Math.log(Math.max(rand(), 1e-12))) * Math.cos(2 * Math.PI * rand());
  const truth = (i: number) => (i % 7 >= 5 ? 40 : 100) * Math.exp(0.005 * i);
  const series = Array.from({ length: 100 }, (_, i) => truth(i) * Math.exp(0.25 * normal()));
  const errors = (sigma: number) => {
    const out: number[] = [];
    for (let t = 60; t < 100; t++) out.push(Math.abs(Math.log(levelBaseline(series, t, 7, 0.005, sigma)! / truth(t))));
    return out;
  };
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;

  it('stays within 10% of the truth on days 60–99, 4% on average (σ is 25%)', () => {
    const e = errors(0.25);
    expect(Math.max(...e)).toBeLessThan(0.1);
    expect(mean(e)).toBeLessThan(0.04);
  });

  it('is about a third closer than without pooling and Huber weights (median level, raw weekdays)', () => {
    expect(mean(errors(0.25))).toBeLessThan(0.7 * mean(errors(NaN)));
  });

  it('has no baseline before every weekday has been seen', () => {
    expect(levelBaseline(series, 8, 7, 0, 0.25)).toBeUndefined();
  });
});
