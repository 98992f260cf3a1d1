// A budget's share used, as the status table and `llmfin top` show it: cut down, so a
// figure reaches the soft limit (80%) or the limit (100%) only when the spend does.
import { describe, expect, it } from 'vitest';
import { filledCells, percentUsedText } from '../../src/budgets/percent-used.js';

describe('percentUsedText', () => {
  it('never shows a budget short of a limit as at it', () => {
    // $79.99 of $100 is 79.99%: green, so not "80.0%"; $99.999 is 99.99%: amber, not "100.0%".
    expect(percentUsedText(79.99)).toBe('79.9%');
    expect(percentUsedText(99.99)).toBe('99.9%');
    expect(percentUsedText(80)).toBe('80.0%');
    expect(percentUsedText(100)).toBe('100.0%');
  });

  it('keeps the tenth a binary fraction would lose', () => {
    // 0.29 * 100 is 28.999999999999996 and 87.3 * 10 is 872.9999999999999.
    expect(percentUsedText(0.29)).toBe('0.2%');
    expect(percentUsedText(87.3)).toBe('87.3%');
    expect(percentUsedText(105)).toBe('105.0%');
  });
});

describe('filledCells', () => {
  it('fills the whole bar only at the limit', () => {
    // 97.5% of 20 cells rounds to 20: one is left empty until the limit is reached.
    expect(filledCells(97.5, 20)).toBe(19);
    expect(filledCells(99.99, 20)).toBe(19);
    expect(filledCells(100, 20)).toBe(20);
    expect(filledCells(116, 20)).toBe(20);
    expect(filledCells(50, 10)).toBe(5);
    expect(filledCells(0, 20)).toBe(0);
  });
});
