import { describe, expect, it } from 'vitest';
import { allocateTicks } from '../../src/shared/allocate-ticks.js';

describe('allocateTicks', () => {
  it('splits exactly, leftover ticks to the largest remainders', () => {
    // 100 over 1:1:1 = 33.33 each: the first gets the extra tick (ties to the earlier).
    expect(allocateTicks(100n, [1n, 1n, 1n])).toEqual([34n, 33n, 33n]);
    // 10 over 3:7 = 3 and 7 exactly.
    expect(allocateTicks(10n, [3n, 7n])).toEqual([3n, 7n]);
    // 7 over 1:2 = 2.33 and 4.67: the larger remainder (0.67) takes the spare tick.
    expect(allocateTicks(7n, [1n, 2n])).toEqual([2n, 5n]);
  });

  it('splits evenly when every weight is zero, and handles negative amounts', () => {
    expect(allocateTicks(5n, [0n, 0n])).toEqual([3n, 2n]);
    expect(allocateTicks(-7n, [1n, 2n])).toEqual([-2n, -5n]);
    expect(allocateTicks(5n, [])).toEqual([]);
  });
});
