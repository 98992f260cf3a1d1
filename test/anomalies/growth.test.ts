// The spend scan's growth slope: short Theil–Sen, refined by the long lag-weighted slope when they agree.
import { describe, expect, it } from 'vitest';
import { growthAt } from '../../src/anomalies/growth.js';
import { prng } from '../../src/shared/prng.js';

// Weekdays $100, weekends $40, lognormal noise σ a day (seeded), growing `g` a day until `breakAt`, then `g2`.
const series = (g: number, sigma: number, seed: number, breakAt = Infinity, g2 = g) => {
  const rand = prng(seed);
  const normal = () => Math.sqrt(-2 * Math.log(Math.max(rand(), 1e-12))) * Math.cos(2 * Math.PI * rand());
  return Array.from({ length: 120 }, (_, i) => (i % 7 >= 5 ? 40 : 100) * Math.exp(g * Math.min(i, breakAt) + g2 * Math.max(0, i - breakAt) + sigma * normal()));
};

describe('growthAt', () => {
  it('is zero until the short slope has two weeks of pairs', () => {
    expect(growthAt(series(0.01, 0.1, 1), 10, 7, NaN)).toBe(0);
  });

  it('reads steady growth in noisy spend closer than the eight-week median alone', () => {
    // Mean absolute error over 40 seeds at day 110, σ 0.3: the long slope is about three times steadier (the short one alone: ~0.002).
    let err = 0;
    for (let seed = 1; seed <= 40; seed++) err += Math.abs(growthAt(series(0.006, 0.3, seed), 110, 7, 0.3) - 0.006);
    expect(err / 40).toBeLessThan(0.0012);
  });

  it('keeps the recent slope when growth has changed', () => {
    // Flat for twelve weeks, then +1.5% a day: the sixteen-week slope disagrees and is not used.
    const g = growthAt(series(0, 0.05, 3, 84, 0.015), 119, 7, 0.05);
    expect(g).toBeGreaterThan(0.009);
  });
});
