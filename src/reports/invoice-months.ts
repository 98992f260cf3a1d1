/**
 * Which days an invoice bills, and its money per calendar month: the layer rule decides
 * each provider and calendar month, and an invoice counts for the days of its period only.
 *
 * An invoice's days run from its `period_start`'s day up to its `period_end`, which is the
 * instant the period ends (exclusive), as the invoice importer stores it: `end: 2026-11-01`
 * in llmfin's invoice format and a Stripe `period_end` are both 2026-11-01T00:00Z, the end
 * of October. The one exception is an end at midnight on a month's last day
 * (`end: 2026-10-31`): no billing period stops one day short of a month, so that is an
 * invoice PDF's inclusive last day, and the day counts. An end within a day counts that day.
 * An invoice with no period (issued_at only), or an end not after its start, bills the
 * whole month its period starts (or it was issued) in.
 *
 * The usage money of an invoice whose period spans several months is split over them in
 * proportion to the days it covers in each (exact to the tick); a month it covers whole
 * takes its share with no day list, as a calendar-month invoice takes all of it.
 */
import type { InvoicePeriod, InvoiceUsage } from '../ledger/queries/usage-facts.js';
import { allocateTicks } from '../shared/allocate-ticks.js';

const DAY_MS = 86_400_000;

/** The first and last day (YYYY-MM-DD, inclusive) an invoice bills, or undefined: the whole month of its start. */
export function invoiceDays(inv: Pick<InvoicePeriod, 'period_start' | 'period_end'>): { first: string; last: string } | undefined {
  if (inv.period_start === null || inv.period_end === null) return undefined;
  const start = Date.parse(inv.period_start);
  const end = Date.parse(inv.period_end);
  if (!Number.isFinite(start) || !Number.isFinite(end)) return undefined;
  const midnight = end % DAY_MS === 0;
  const lastOfMonth = new Date(end + DAY_MS).getUTCDate() === 1;
  const lastMs = midnight && lastOfMonth ? end : end - 1;
  const first = new Date(start - (((start % DAY_MS) + DAY_MS) % DAY_MS)).toISOString().slice(0, 10);
  const last = new Date(lastMs).toISOString().slice(0, 10);
  return last < first ? undefined : { first, last };
}

/** The days of a month (`YYYY-MM`). */
export function daysInMonth(month: string): number {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** The days of a month (`YYYY-MM`) in order, as YYYY-MM-DD. */
export function monthDays(month: string): string[] {
  return Array.from({ length: daysInMonth(month) }, (_, i) => `${month}-${String(i + 1).padStart(2, '0')}`);
}

/** The last day of a month (`YYYY-MM`), as YYYY-MM-DD. */
export const lastDayOf = (month: string): string => `${month}-${String(daysInMonth(month)).padStart(2, '0')}`;

/**
 * Whether an invoice bills a day of `range` (instants, or open): a day of its period, or of
 * the month it counts in without one (`month`: where its period starts, or it was issued).
 */
export function invoiceMeets(inv: Pick<InvoicePeriod, 'period_start' | 'period_end'> & { month: string }, range: { since?: string; until?: string }): boolean {
  const span = invoiceDays(inv);
  const first = span?.first ?? `${inv.month}-01`;
  const last = span?.last ?? lastDayOf(inv.month);
  return (range.since === undefined || Date.parse(`${last}T00:00:00.000Z`) + DAY_MS > Date.parse(range.since)) && (range.until === undefined || `${first}T00:00:00.000Z` < range.until);
}

/** The day after `day` (YYYY-MM-DD). */
export const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00.000Z`) + DAY_MS).toISOString().slice(0, 10);

/** The calendar months (`YYYY-MM`) an invoice bills days of, in order: its period's, else the month it counts in. */
export function invoiceMonthsOf(inv: Pick<InvoicePeriod, 'period_start' | 'period_end'> & { month: string }): string[] {
  const span = invoiceDays(inv);
  if (span === undefined) return [inv.month];
  const out: string[] = [];
  for (let month = span.first.slice(0, 7); month <= span.last.slice(0, 7); month = nextDay(lastDayOf(month)).slice(0, 7)) out.push(month);
  return out;
}

/** The month an invoice without a usable period counts in: where its period starts, or it was issued. */
const monthOf = (inv: InvoicePeriod) => (inv.period_start ?? inv.issued_at ?? '').slice(0, 7);

/**
 * Invoice usage per provider and calendar month, from the invoices' periods (see the
 * module comment); `range` (whole months, or open) keeps the months inside it.
 */
export function invoiceMonths(invoices: readonly InvoicePeriod[], range: { since?: string; until?: string } = {}): InvoiceUsage[] {
  const out = new Map<string, { usage: InvoiceUsage; whole: boolean; days: Set<string> }>();
  const add = (provider: string, month: string, ticks: bigint, days: readonly string[] | undefined) => {
    const key = `${provider}\u0000${month}`;
    let m = out.get(key);
    if (m === undefined) out.set(key, (m = { usage: { provider, month, usage_ticks: 0n, invoices: 0 }, whole: false, days: new Set() }));
    m.usage.usage_ticks += ticks;
    m.usage.invoices += 1;
    if (days === undefined) m.whole = true;
    else for (const d of days) m.days.add(d);
  };
  for (const inv of invoices) {
    const span = invoiceDays(inv);
    if (span === undefined) {
      add(inv.provider, monthOf(inv), inv.usage_ticks, undefined);
      continue;
    }
    // The days of each month the period covers, in order.
    const months: { month: string; days: string[] }[] = [];
    for (let d = span.first; d <= span.last; d = nextDay(d)) {
      const month = d.slice(0, 7);
      if (months[months.length - 1]?.month !== month) months.push({ month, days: [] });
      months[months.length - 1]!.days.push(d);
    }
    const shares = allocateTicks(inv.usage_ticks, months.map((m) => BigInt(m.days.length)));
    months.forEach((m, i) => add(inv.provider, m.month, shares[i]!, m.days.length === daysInMonth(m.month) ? undefined : m.days));
  }
  const inRange = (month: string) => (range.since === undefined || month >= range.since.slice(0, 7)) && (range.until === undefined || `${month}-01T00:00:00.000Z` < range.until);
  return [...out.values()]
    .filter((m) => inRange(m.usage.month))
    .map(({ usage, whole, days }) => (whole || days.size === daysInMonth(usage.month) ? usage : { ...usage, days: [...days].sort() }));
}
