/**
 * A catalogue rate as a person reads it. Rates are kept as exact decimal text, and most
 * are short (`2.5`, `0.075`); a self-hosted model's rate is a GPU's price divided by its
 * throughput, which rarely terminates and is kept to 20 significant digits so that costs
 * stay exact. A table shows such a rate to 6 significant digits, marked `≈`; JSON keeps it whole.
 */
import { dec } from '../../shared/money.js';

const SHOWN_DIGITS = 6;

/** `unit` goes before the number, after the `≈`: `$2.5`, `≈$0.185185`. */
export function rateText(rate: string, unit = ''): string {
  const d = dec(rate);
  if (d.precision() <= SHOWN_DIGITS + 2) return `${unit}${rate}`;
  return `≈${unit}${d.toSignificantDigits(SHOWN_DIGITS).toFixed()}`;
}
