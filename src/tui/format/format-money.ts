/**
 * Money and counts for a dashboard cell: short and fixed in shape, so that numbers do
 * not jump sideways as they change. Display only — exact sums stay in bigint ticks.
 */

/** Ticks per USD (1 tick = 1e-10 USD, the ledger's unit). */
const TICKS_PER_USD = 1e10;

/** Ticks as USD for display; exact below $900,000 and close enough beyond. */
export function ticksToDisplayUsd(ticks: bigint | number): number {
  return Number(ticks) / TICKS_PER_USD;
}

/** `$1,234.56`, `$0.0143` (three significant digits under a cent), `$0.00`. */
export function formatMoney(usd: number): string {
  const sign = usd < 0 ? '-' : '';
  const abs = Math.abs(usd);
  let text: string;
  if (abs === 0) text = '0.00';
  else if (abs < 0.01) text = Number(abs.toPrecision(3)).toString();
  else text = abs.toFixed(2);
  if (/e/.test(text)) text = abs.toFixed(8).replace(/0+$/, '');
  const [whole, frac] = text.split('.');
  const grouped = (whole ?? '0').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}$${grouped}${frac === undefined ? '' : `.${frac}`}`;
}

/** A per-request cost: three significant digits below $1 (`$0.0143`), `<$0.0001` for crumbs, else cents. */
export function formatUnitCost(usd: number): string {
  if (usd > 0 && usd < 0.0001) return '<$0.0001';
  if (usd > 0 && usd < 1) return `$${Number(usd.toPrecision(3)).toString()}`;
  return formatMoney(usd);
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
