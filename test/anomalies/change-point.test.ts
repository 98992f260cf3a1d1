import { describe, expect, it } from 'vitest';
import { likeliestStep } from '../../src/anomalies/change-point.js';

describe('likeliestStep', () => {
  it('finds the first period of a clean step up', () => {
    expect(likeliestStep([0, 0, 0, 0, 2, 2, 2, 2])).toBe(4);
    expect(likeliestStep([0, 2, 2, 2, 2, 2, 2, 2])).toBe(1);
  });

  it('weighs both sides by their length: one high period at the end is a weaker step than four', () => {
    // Split after 7: (2 − 0.25) · √(7/8) ≈ 1.64; after 4: (1.25 − 0) · √2 ≈ 1.77.
    expect(likeliestStep([0, 0, 0, 0, 1, 1, 1, 2])).toBe(4);
  });

  it('is undefined with fewer than two periods', () => {
    expect(likeliestStep([1])).toBeUndefined();
    expect(likeliestStep([])).toBeUndefined();
  });
});
