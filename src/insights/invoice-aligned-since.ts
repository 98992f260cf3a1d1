/**
 * Where the insights window should start so that no invoice is cut. An invoice's money
 * the ledger's rows do not explain sits on the first day its period covers in each month
 * (reports/layer-rule.ts); a window starting a day later (the default "30 days up to the
 * last usage" after a 31-day October) would leave all of it out of the monthly spend.
 * Which days an invoice covers is the layer rule's own reading (invoice-months.ts).
 */
import type { RecordedInvoice } from '../ledger/queries/invoice-list.js';
import { invoiceDays, lastDayOf } from '../reports/invoice-months.js';

export type InvoicePeriod = Pick<RecordedInvoice, 'period_start' | 'period_end' | 'month'>;

/**
 * `since` moved back to the earliest day an invoice that also bills `since`'s day places
 * its money on in that month (its period's first day, or the month's first day); `since`
 * itself when no invoice is cut. ISO in, ISO out.
 */
export function invoiceAlignedSince(invoices: readonly InvoicePeriod[], since: string): string {
  const day = since.slice(0, 10);
  const monthStart = `${day.slice(0, 7)}-01`;
  let earliest: string | undefined;
  for (const inv of invoices) {
    const { first, last } = invoiceDays(inv) ?? { first: `${inv.month}-01`, last: lastDayOf(inv.month) };
    if (day > last || first > day) continue;
    const placed = first > monthStart ? first : monthStart;
    if (Date.parse(`${placed}T00:00:00.000Z`) < Date.parse(since) && (earliest === undefined || placed < earliest)) earliest = placed;
  }
  return earliest === undefined ? since : `${earliest}T00:00:00.000Z`;
}
