import { describe, expect, it } from 'vitest';
import { rateText } from '../../../src/cli/output/rate-text.js';

describe('rateText', () => {
  it('shows a catalogue rate as written, however small', () => {
    for (const r of ['2.5', '0.075', '15', '0.000142857', '0.00010278', '0']) expect(rateText(r)).toBe(r);
  });

  it('shows a rate that does not terminate to 6 significant digits, marked ≈', () => {
    // $2.50/h × 2 GPUs ÷ 3600 ÷ 1500 tok/s × 1M = 0.925925… USD per 1M tokens.
    expect(rateText('0.92592592592592592593')).toBe('≈0.925926');
    expect(rateText('1.2345679012345679012')).toBe('≈1.23457');
    expect(rateText('123.45678901')).toBe('≈123.457');
  });
});
