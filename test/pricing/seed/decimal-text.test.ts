import { describe, expect, it } from 'vitest';
import {
  exactRatio,
  looksLikeFloatNoise,
  normaliseDecimalText,
  numberToDecimalText,
  perTokenToPerMillion,
  sameDecimal,
} from '../../../src/pricing/seed/decimal-text.js';

describe('perTokenToPerMillion', () => {
  it('converts LiteLLM per-token floats exactly, never rounding', () => {
    expect(perTokenToPerMillion(1.375e-6)).toBe('1.375');
    expect(perTokenToPerMillion(3e-7)).toBe('0.3');
    expect(perTokenToPerMillion(2.8e-9)).toBe('0.0028');
    expect(perTokenToPerMillion(0.00000375)).toBe('3.75');
    expect(perTokenToPerMillion(3.75e-6)).toBe('3.75');
    expect(perTokenToPerMillion(3.625e-9)).toBe('0.003625');
    expect(perTokenToPerMillion(1.5625e-6)).toBe('1.5625');
    expect(perTokenToPerMillion(0)).toBe('0');
  });

  it('writes no trailing zeros and no exponent', () => {
    expect(perTokenToPerMillion(1e-5)).toBe('10');
    expect(perTokenToPerMillion(7.5e-5)).toBe('75');
    expect(perTokenToPerMillion(1e-10)).toBe('0.0001');
  });

  it('keeps float noise as the dataset wrote it (and flags it)', () => {
    const text = perTokenToPerMillion(2.1429999999999996e-6);
    expect(text).toBe('2.1429999999999996');
    expect(looksLikeFloatNoise(text)).toBe(true);
    expect(looksLikeFloatNoise('1.375')).toBe(false);
  });
});

describe('decimal text helpers', () => {
  it('normalises and compares decimal strings exactly', () => {
    expect(numberToDecimalText(0.1)).toBe('0.1');
    expect(numberToDecimalText(0.003625)).toBe('0.003625');
    expect(normaliseDecimalText('3.750')).toBe('3.75');
    expect(sameDecimal('0.30', '0.3')).toBe(true);
    expect(sameDecimal('1.38', '1.375')).toBe(false);
  });

  it('finds short exact ratios only', () => {
    expect(exactRatio('0.875', '0.5')).toBe('1.75');
    expect(exactRatio('6.6', '6')).toBe('1.1');
    expect(exactRatio('1.38', '1.25')).toBe('1.104');
    expect(exactRatio('1', '3')).toBeUndefined();
    expect(exactRatio('1', '0')).toBeUndefined();
  });
});
