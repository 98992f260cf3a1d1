// usdTextAndTicks rewrites plain decimal text without decimal.js: it must give exactly
// dec(text).toFixed() and usdToTicks(dec(text)) for any text, plain or not.
import { describe, expect, it } from 'vitest';
import { dec, usdTextAndTicks, usdToTicks } from '../../src/shared/money.js';

describe('usdTextAndTicks', () => {
  it('equals the decimal.js path on random and awkward amounts', () => {
    let a = 17;
    const rnd = () => ((a = (a * 1103515245 + 12345) % 2147483648) / 2147483648);
    const digits = (n: number) => Array.from({ length: n }, () => Math.floor(rnd() * 10)).join('');
    const texts = ['0', '-0', '-0.0', '00.50', '0.0000000001', '0.00000000005', '1e3', '+1.5', '.5', '5.', '-12.3400', '999999999999999.9999999999', '0.12345678901'];
    for (let i = 0; i < 20_000; i++) {
      const whole = rnd() < 0.3 ? '0' : digits(1 + Math.floor(rnd() * 15));
      const fraction = rnd() < 0.2 ? '' : `.${digits(1 + Math.floor(rnd() * 12))}`;
      texts.push(`${rnd() < 0.2 ? '-' : ''}${whole}${fraction}`);
    }
    for (const text of texts) {
      const d = dec(text);
      expect({ text, got: usdTextAndTicks(text) }).toEqual({ text, got: { text: d.toFixed(), ticks: usdToTicks(d) } });
    }
  });
});
