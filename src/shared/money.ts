/**
 * Money is exact. Prices are decimal strings (USD per 1M tokens) and every cost is
 * computed with decimal.js; nothing goes through a binary float until it is printed
 * or summed in the ledger as integer ticks.
 *
 * A tick is 1e-10 USD (the unit xAI reports costs in). Per-row costs are rounded to
 * a tick when stored, so ten million rows can be off by at most $0.0005 in total:
 * exact to the cent on every total, as PRODUCT.md requires.
 */
import { Decimal } from 'decimal.js';

/** A private Decimal constructor so that no other module's settings leak into money. */
export const Dec = Decimal.clone({ precision: 50, rounding: Decimal.ROUND_HALF_EVEN, toExpNeg: -30, toExpPos: 30 });
export type Dec = InstanceType<typeof Dec>;

export const TICKS_PER_USD = 10_000_000_000n;
const TICKS_PER_USD_DEC = new Dec('1e10');

/** Parses a decimal string ("1.375", "0.000003") or a finite number given as its shortest text. */
export function dec(value: string | number | Dec): Dec {
  if (value instanceof Dec) return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
    return new Dec(String(value));
  }
  return new Dec(value);
}

/** USD → integer ticks (1e-10 USD), rounded half-even. */
export function usdToTicks(usd: Dec): bigint {
  return BigInt(usd.times(TICKS_PER_USD_DEC).toDecimalPlaces(0, Decimal.ROUND_HALF_EVEN).toFixed(0));
}

const PLAIN_DECIMAL = /^(-?)(\d{1,15})(?:\.(\d{1,10}))?$/;

/**
 * Decimal USD text as the ledger stores it: `dec(text).toFixed()` and `usdToTicks`.
 * Plain text with at most 10 decimals (a bill's amounts) is rewritten as text, exactly,
 * without a decimal.js parse, which was most of a billed row's money work; anything
 * else (exponents, more decimals) goes through decimal.js.
 */
export function usdTextAndTicks(text: string): { text: string; ticks: bigint } {
  const m = PLAIN_DECIMAL.exec(text);
  if (m === null) {
    const d = dec(text);
    return { text: d.toFixed(), ticks: usdToTicks(d) };
  }
  const whole = m[2]!.replace(/^0+(?=\d)/, '');
  const fraction = m[3] ?? '';
  const significant = fraction.replace(/0+$/, '');
  const sign = m[1] === '-' && (whole !== '0' || significant !== '') ? '-' : '';
  return { text: `${sign}${whole}${significant === '' ? '' : `.${significant}`}`, ticks: BigInt(`${sign}${whole}${fraction.padEnd(10, '0')}`) };
}

/** A USD amount rounded half-even to the tick, as decimal text: a converted amount, stored exactly. */
export function toTickUsd(usd: Dec): string {
  return usd.toDecimalPlaces(10, Decimal.ROUND_HALF_EVEN).toFixed();
}

/** Integer ticks → exact USD decimal. */
export function ticksToUsd(ticks: bigint | number): Dec {
  return new Dec(ticks.toString()).div(TICKS_PER_USD_DEC);
}

/** Plain decimal text without exponent and without trailing zeros ("0.10316125"). */
export function decToString(value: Dec): string {
  return value.toFixed();
}

/** USD for JSON output: a JS number whose shortest text is the exact decimal when it fits. */
export function decToNumber(value: Dec): number {
  return Number(value.toFixed());
}

/** "$1,234.57" for tables; small amounts keep significant digits ("$0.000412"). */
export function formatUsd(value: Dec | number, options: { exact?: boolean; unit?: boolean } = {}): string {
  const d = dec(value);
  const sign = d.isNegative() ? '-' : '';
  const abs = d.abs();
  let text: string;
  if (options.exact) text = abs.toFixed();
  else if (abs.isZero()) text = '0.00';
  // Unit costs (per request) keep three significant digits below $1: $0.0143, not $0.01.
  else if (options.unit && abs.lessThan(1)) text = abs.toSignificantDigits(3, Decimal.ROUND_HALF_EVEN).toFixed();
  else if (abs.lessThan(0.01)) text = abs.toSignificantDigits(3, Decimal.ROUND_HALF_EVEN).toFixed();
  else text = abs.toFixed(2, Decimal.ROUND_HALF_EVEN);
  const [whole, frac] = text.split('.');
  const grouped = (whole ?? '0').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}$${grouped}${frac === undefined ? '' : `.${frac}`}`;
}
