/**
 * Decimal text helpers for the catalogue seed. LiteLLM stores USD per token as JSON
 * floats and genai-prices stores USD per 1M tokens as JSON numbers; the catalogue wants
 * exact decimal strings per 1M tokens. Every conversion goes through the number's
 * shortest decimal text (`String(x)`), which is the text the dataset wrote, and then
 * through decimal.js, so `1.375e-06` becomes "1.375" and never "1.38" or
 * "1.3749999999999998". Nothing here rounds.
 */
import { dec, decToString } from '../../shared/money.js';

/** USD per token (a LiteLLM float) → USD per 1M tokens as exact decimal text. */
export function perTokenToPerMillion(value: number): string {
  return decToString(dec(String(value)).times(1_000_000));
}

/** A dataset number that is already in the catalogue's unit → exact decimal text. */
export function numberToDecimalText(value: number): string {
  return decToString(dec(String(value)));
}

/** Decimal text without exponent or trailing zeros ("3.750" → "3.75"). */
export function normaliseDecimalText(value: string): string {
  return decToString(dec(value));
}

/** Exact equality of two decimal strings; both undefined counts as equal. */
export function sameDecimal(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return dec(a).equals(dec(b));
}

/** `a × b` as decimal text. */
export function timesText(a: string, b: string): string {
  return decToString(dec(a).times(dec(b)));
}

/**
 * `a ÷ b` when the quotient is a short terminating decimal (at most 8 places), else
 * undefined: a modifier such as "1.75" or "0.5" is worth writing down, "0.3333…" is not.
 */
export function exactRatio(a: string, b: string): string | undefined {
  const divisor = dec(b);
  if (divisor.isZero()) return undefined;
  const q = dec(a).div(divisor);
  if (q.decimalPlaces() > 8) return undefined;
  // The quotient must reproduce `a` exactly (decimal.js division is rounded at 50 digits).
  return q.times(divisor).equals(dec(a)) ? decToString(q) : undefined;
}

/** Compares decimal strings: negative, zero or positive like `Array.prototype.sort`. */
export function compareDecimal(a: string, b: string): number {
  return dec(a).comparedTo(dec(b));
}

/**
 * True when the text has more significant digits than a price list would print
 * ("2.1429999999999996"): float noise in the source, kept as is but worth a warning.
 */
export function looksLikeFloatNoise(text: string): boolean {
  const digits = text.replace(/^[0.]+/, '').replace('.', '');
  return digits.length >= 15;
}
