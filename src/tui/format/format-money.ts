/**
 * Money and counts for a dashboard cell: short and fixed in shape, so that numbers do
 * not jump sideways as they change. Display only — exact sums stay in bigint ticks.
 */
import { dec, roundHalfUp, type Dec } from '../../shared/money.js';

/**
 * `$1,234.56`, `$0.0143` (three significant digits under a cent), `$0.00`. Rounded as
 * formatUsd rounds (roundHalfUp): $2.675 reads $2.68 here as in `llmfin report`.
 */
export function formatMoney(usd: number | Dec): string {
  const d = dec(usd);
  const sign = d.isNegative() && !d.isZero() ? '-' : '';
  const abs = d.abs();
  let text: string;
  if (abs.isZero()) text = '0.00';
  // toFixed() writes no exponent and drops the trailing zeros of the significant digits ("0.001").
  else if (abs.lessThan(0.01)) text = roundHalfUp(abs, { significant: 3 }).toFixed();
  else text = roundHalfUp(abs, { places: 2 }).toFixed(2);
  const [whole, frac] = text.split('.');
  const grouped = (whole ?? '0').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}$${grouped}${frac === undefined ? '' : `.${frac}`}`;
}

/** A per-request cost: three significant digits below $1 (`$0.0143`), `<$0.0001` for crumbs, else cents. */
export function formatUnitCost(usd: number | Dec): string {
  const d = dec(usd);
  if (d.greaterThan(0) && d.lessThan(0.0001)) return '<$0.0001';
  if (d.greaterThan(0) && d.lessThan(1)) return `$${roundHalfUp(d, { significant: 3 }).toFixed()}`;
  return formatMoney(d);
}

/** `950`, `12.3k`, `4.56M`: token and request counts in at most 6 characters. */
export function formatCount(n: number): string {
  const abs = Math.abs(n);
  if (abs < 1000) return Number.isInteger(n) ? String(n) : n.toFixed(1);
  if (abs < 1e6) return `${(n / 1e3).toFixed(abs < 1e4 ? 2 : 1)}k`;
  if (abs < 1e9) return `${(n / 1e6).toFixed(abs < 1e7 ? 2 : 1)}M`;
  return `${(n / 1e9).toFixed(2)}G`;
}

/** A rate per second with its unit: one decimal under 100 (`12.5 req/s`), short counts above (`48.2k tok/s`). */
export function formatRate(perSecond: number, unit: string): string {
  if (perSecond < 100) return `${perSecond.toFixed(1)} ${unit}/s`;
  return `${formatCount(Math.round(perSecond))} ${unit}/s`;
}

/** `850ms`, `2.4s`, or `–` when the row recorded no latency. */
export function formatLatency(ms: number | null): string {
  if (ms === null) return '–';
  return ms < 1000 ? `${Math.round(ms)}ms` : `${(ms / 1000).toFixed(1)}s`;
}
