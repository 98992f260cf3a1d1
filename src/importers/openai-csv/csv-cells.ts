/**
 * Cell parsers for the providers' dashboard CSVs, which are written by spreadsheet-minded
 * tools: counts come as floats ("10.0", "59200.0"), booleans as FALSE/true, and a blank
 * cell means "not reported". Each parser returns the value or the `expected X, got Y`
 * message for the row's issue.
 */
import { decimalText, shown } from '../aws-cur/billing-values.js';
import { dec } from '../../shared/money.js';

export type Cell<T> = { ok: true; value: T } | { ok: false; message: string };

/** A count written as an integer or a whole-number float ("10", "10.0", "1.2e+06"); blank is undefined. */
export function wholeNumber(text: string | undefined): Cell<number | undefined> {
  const t = (text ?? '').trim();
  if (t === '') return { ok: true, value: undefined };
  const exact = decimalText(t);
  const n = exact === undefined ? undefined : dec(exact);
  if (n === undefined || !n.isInteger() || n.isNegative() || !Number.isSafeInteger(n.toNumber())) {
    return { ok: false, message: `expected a whole number >= 0, got ${shown(t)}` };
  }
  return { ok: true, value: n.toNumber() };
}

/** TRUE/FALSE in any case (also 1/0); blank is undefined. */
export function booleanCell(text: string | undefined): Cell<boolean | undefined> {
  const t = (text ?? '').trim().toLowerCase();
  if (t === '') return { ok: true, value: undefined };
  if (t === 'true' || t === '1') return { ok: true, value: true };
  if (t === 'false' || t === '0') return { ok: true, value: false };
  return { ok: false, message: `expected TRUE or FALSE, got ${shown(text)}` };
}
