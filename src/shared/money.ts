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

/**
 * Decimal USD text as the ledger stores it: `dec(text).toFixed()` and `usdToTicks`.
 * Plain text (`-?` 1–15 digits, then `.` and 1–10 digits or nothing: a bill's amounts)
 * is rewritten as text, exactly, without a decimal.js parse, which was most of a billed
 * row's money work; it is read by character codes, and its ticks are summed as a double
 * when they fit below 2^53 (exact there), a BigInt from text beyond. Anything else
 * (exponents, more decimals) goes through decimal.js.
 */
export function usdTextAndTicks(text: string): { text: string; ticks: bigint } {
  const n = text.length;
  const negative = n > 0 && text.charCodeAt(0) === 45; /* - */
  const wholeStart = negative ? 1 : 0;
  let i = wholeStart;
  let whole = 0;
  for (; i < n; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) break;
    whole = whole * 10 + d;
  }
  const wholeEnd = i;
  let fraction = 0;
  let fractionEnd = i;
  if (i < n && text.charCodeAt(i) === 46 /* . */) {
    for (i++; i < n; i++) {
      const d = text.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      fraction = fraction * 10 + d;
    }
    fractionEnd = i;
  }
  const wholeDigits = wholeEnd - wholeStart;
  const fractionDigits = fractionEnd === wholeEnd ? 0 : fractionEnd - wholeEnd - 1;
  if (i !== n || wholeDigits < 1 || wholeDigits > 15 || (fractionEnd !== wholeEnd && (fractionDigits < 1 || fractionDigits > 10))) {
    const d = dec(text);
    return { text: d.toFixed(), ticks: usdToTicks(d) };
  }
  // The whole part without leading zeros (one zero stays), the fraction without trailing ones.
  let w = wholeStart;
  while (w < wholeEnd - 1 && text.charCodeAt(w) === 48) w++;
  let f = fractionEnd;
  while (f > wholeEnd + 1 && text.charCodeAt(f - 1) === 48) f--;
  const significant = f > wholeEnd + 1;
  const sign = negative && (whole !== 0 || fraction !== 0) ? '-' : '';
  const out = `${sign}${text.slice(w, wholeEnd)}${significant ? text.slice(wholeEnd, f) : ''}`;
  const units = whole * 1e10 + fraction * 10 ** (10 - fractionDigits);
  const ticks = units <= Number.MAX_SAFE_INTEGER ? BigInt(sign === '-' ? -units : units) : BigInt(`${sign}${text.slice(w, wholeEnd)}${text.slice(wholeEnd + 1, fractionEnd).padEnd(10, '0')}`);
  return { text: out, ticks };
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

/**
 * Money rounded for a person (a table, a dashboard, a JSON figure in USD): half up on the
 * exact decimal, away from zero, to `places` decimals or to `significant` digits. The one
 * display rule (formatUsd, the dashboard, anomalies and insights all round through it):
 * a float rounded by `Math.round(x * 100) / 100` or `toFixed` rounds its binary value,
 * $1.005 to $1.00 and $2.675 to $2.67. Ticks (bigint) are rounded from the ticks; a
 * number from its shortest decimal text, the figure the reader sees.
 */
export function roundHalfUp(value: Dec | number | bigint, to: { places: number } | { significant: number }): Dec {
  const d = typeof value === 'bigint' ? ticksToUsd(value) : dec(value);
  return 'places' in to ? d.toDecimalPlaces(to.places, Decimal.ROUND_HALF_UP) : d.toSignificantDigits(to.significant, Decimal.ROUND_HALF_UP);
}

/** A USD figure for JSON, a number (PRODUCT.md), to the cent unless told: roundHalfUp's rule. */
export function roundUsd(value: Dec | number | bigint, places = 2): number {
  const n = roundHalfUp(value, { places }).toNumber();
  // -0 (a crumb below zero rounded away) is 0: JSON writes both as 0, tests tell them apart.
  return n === 0 ? 0 : n;
}

/**
 * "$1,234.57" for tables; amounts below $0.10 keep three significant digits ("$0.0126", "$0.000412").
 * Rounded half up on the exact decimal (away from zero on the amount, the sign put back after):
 * $1.125 a day reads $1.13, as a person rounding it would write it. Half-even (the ledger's
 * rule for storing a tick, where ties must not drift a sum) printed $1.12, and a reader who
 * checks 1,000 × $0.001125 by hand takes that for a cent lost.
 */
export function formatUsd(value: Dec | number, options: { exact?: boolean; unit?: boolean } = {}): string {
  const d = dec(value);
  const sign = d.isNegative() ? '-' : '';
  const abs = d.abs();
  let text: string;
  if (options.exact) text = abs.toFixed();
  else if (abs.isZero()) text = '0.00';
  // Unit costs (per request) keep three significant digits below $1: $0.0143, not $0.01.
  else if (options.unit && abs.lessThan(1)) text = roundHalfUp(abs, { significant: 3 }).toFixed();
  // Below a dime, cents lose up to half the amount: $0.0126 and $0.0101 would both read
  // "$0.01" beside shares of 56% and 44% (a day of development traffic through the proxy).
  else if (abs.lessThan(0.1)) text = roundHalfUp(abs, { significant: 3 }).toFixed();
  else text = roundHalfUp(abs, { places: 2 }).toFixed(2);
  const [whole, cut] = text.split('.');
  // Significant digits drop trailing zeros ($0.3); a dollar amount keeps its cents.
  const frac = options.exact || (cut !== undefined && cut.length >= 2) ? cut : (cut ?? '').padEnd(2, '0');
  const grouped = (whole ?? '0').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}$${grouped}${frac === undefined ? '' : `.${frac}`}`;
}

/**
 * An amount in its own currency (an invoice's), for a person to read: dollars as formatUsd
 * shows them, any other currency as its exact decimal and code (`1234.5 EUR`), never with a "$".
 */
export function formatInCurrency(amount: string, currency: string): string {
  return currency === 'USD' ? formatUsd(dec(amount)) : `${decToString(dec(amount))} ${currency}`;
}
