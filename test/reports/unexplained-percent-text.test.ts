import { describe, expect, it } from 'vitest';
import { unexplainedPercentText } from '../../src/reports/unexplained-percent-text.js';

describe('unexplainedPercentText', () => {
  it('shows one decimal, cut toward zero', () => {
    expect(unexplainedPercentText(10.8)).toBe('10.8%');
    expect(unexplainedPercentText(-20.9677)).toBe('-20.9%');
    expect(unexplainedPercentText(1.9999)).toBe('1.9%');
    expect(unexplainedPercentText(0.0004)).toBe('0.0%');
    expect(unexplainedPercentText(0.29)).toBe('0.2%');
  });

  it('gives a share past the limit the decimals that show it is past', () => {
    expect(unexplainedPercentText(2.04, 2)).toBe('2.04%');
    expect(unexplainedPercentText(2.0004, 2)).toBe('2.0004%');
    expect(unexplainedPercentText(-2.0123, 2)).toBe('-2.01%');
    expect(unexplainedPercentText(2.5, 2)).toBe('2.5%');
    // Within the limit: one decimal, even when it reads as the limit.
    expect(unexplainedPercentText(1.99, 2)).toBe('1.9%');
  });
});
