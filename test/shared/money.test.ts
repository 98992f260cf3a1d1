import { describe, expect, it } from 'vitest';
import { dec, formatInCurrency, formatUsd, roundUsd, ticksToUsd, usdToTicks } from '../../src/shared/money.js';

describe('money', () => {
  it('keeps decimal strings exact (1.375 stays 1.375)', () => {
    expect(dec('1.375').times(1_000_000).div(1_000_000).toFixed()).toBe('1.375');
    expect(dec(0.1).plus(dec(0.2)).toFixed()).toBe('0.3');
  });
  it('round-trips ticks (1e-10 USD) and rounds half-even', () => {
    expect(usdToTicks(dec('0.005615'))).toBe(56_150_000n);
    expect(ticksToUsd(56_150_000n).toFixed()).toBe('0.005615');
    expect(usdToTicks(dec('0.00000000005'))).toBe(0n); // half to even
    expect(usdToTicks(dec('0.00000000015'))).toBe(2n);
    expect(ticksToUsd(9_300_000_000_000_000_123n).toFixed()).toBe('930000000.0000000123');
  });
  it('formats for tables', () => {
    expect(formatUsd(dec('11269.454'))).toBe('$11,269.45');
    expect(formatUsd(dec('0.000412'))).toBe('$0.000412');
    expect(formatUsd(dec('0.0143'), { unit: true })).toBe('$0.0143');
    // Three significant digits must not cost a dollar amount its cents.
    expect(formatUsd(dec('0.3'), { unit: true })).toBe('$0.30');
    expect(formatUsd(dec('0.1'), { unit: true })).toBe('$0.10');
    expect(formatUsd(dec('0.25'), { unit: true })).toBe('$0.25');
    expect(formatUsd(dec('0.005'))).toBe('$0.005');
    // Below a dime, three significant digits: cents would show $0.01 for both of these.
    expect(formatUsd(dec('0.01260'))).toBe('$0.0126');
    expect(formatUsd(dec('0.01008'))).toBe('$0.0101');
    expect(formatUsd(dec('0.0999'))).toBe('$0.0999');
    expect(formatUsd(dec('0.05'))).toBe('$0.05');
    // From a dime up, cents: a cent is at most 5% of the amount.
    expect(formatUsd(dec('0.1049'))).toBe('$0.10');
    expect(formatUsd(dec('0.12345'))).toBe('$0.12');
    expect(formatUsd(dec('-2.5'))).toBe('-$2.50');
    expect(formatUsd(dec('0.10316125'), { exact: true })).toBe('$0.10316125');
  });
  it('rounds half up on the exact decimal, as a person checking it by hand does', () => {
    // $1.125 a day (1,000 requests × $0.001125) is $1.13: half-even made it $1.12.
    expect(formatUsd(dec('1.125'))).toBe('$1.13');
    expect(formatUsd(1.125)).toBe('$1.13');
    // 2.675 and 1.005 as numbers: their decimal text, not the binary double (2.67499…, 1.00499…).
    expect(formatUsd(2.675)).toBe('$2.68');
    expect(formatUsd(1.005)).toBe('$1.01');
    expect(formatUsd(dec('0.105'))).toBe('$0.11');
    // Below a dime, three significant digits, half up too; 0.005 has one and stays.
    expect(formatUsd(dec('0.005'))).toBe('$0.005');
    expect(formatUsd(dec('0.0001225'))).toBe('$0.000123');
    expect(formatUsd(dec('0.001125'), { unit: true })).toBe('$0.00113');
    // Away from zero on the amount, the sign put back.
    expect(formatUsd(dec('-1.125'))).toBe('-$1.13');
    expect(formatUsd(dec('1.1249999999'))).toBe('$1.12');
  });
  it('rounds JSON figures to a number by the same rule: floats by their decimal text, ticks by the ticks', () => {
    // Math.round(x * 100) / 100 gave 1 for 1.005 (100.49999999999999) and 0.28 for 0.285.
    expect(roundUsd(1.005)).toBe(1.01);
    expect(roundUsd(0.285)).toBe(0.29);
    expect(roundUsd(2.675)).toBe(2.68);
    expect(roundUsd(0.125)).toBe(0.13);
    expect(roundUsd(-1.005)).toBe(-1.01); // away from zero, as formatUsd shows -$1.01
    expect(roundUsd(-0.001)).toBe(0); // not -0
    expect(roundUsd(10_050_000_000n)).toBe(1.01); // $1.005 in ticks
    expect(roundUsd(dec('2.675'))).toBe(2.68);
    expect(roundUsd(0.0001125, 6)).toBe(0.000113);
  });
  it('formats an amount in its own currency: dollars as dollars, another currency by its code, never with a "$"', () => {
    expect(formatInCurrency('1234.5', 'USD')).toBe('$1,234.50');
    expect(formatInCurrency('1234.50', 'EUR')).toBe('1234.5 EUR');
    expect(formatInCurrency('-0.125', 'JPY')).toBe('-0.125 JPY');
  });
});
