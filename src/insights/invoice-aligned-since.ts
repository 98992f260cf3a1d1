/**
 * Where the insights window should start so that no invoice is cut. An invoice's money
 * the ledger's rows do not explain sits on the first day its period covers in each month
 * (reports/layer-rule.ts); a window starting a day later (the default "30 days up to the
 * last usage" after a 31-day October) would leave all of it out of the monthly spend.
 */
export interface InvoicePeriod {
  /** ISO instants as recorded; an invoice without a period bills its month. */
  period_start: string | null;
  period_end: string | null;
  /** `YYYY-MM` its period starts in (or it was issued in). */
  month: string;
}

const DAY_MS = 86_400_000;

const monthStartOf = (ms: number, plus = 0) => {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + plus, 1);
};

/**
 * `since` moved back to the earliest day an invoice that also bills `since` places its
 * money on in `since`'s month (its period's first day, or the month's first day);
 * `since` itself when no invoice is cut. ISO in, ISO out.
 */
export function invoiceAlignedSince(invoices: readonly InvoicePeriod[], since: string): string {
  const at = Date.parse(since);
  let earliest = at;
  for (const inv of invoices) {
    const start = Date.parse(inv.period_start ?? `${inv.month}-01T00:00:00.000Z`);
    const end = inv.period_end !== null ? Date.parse(inv.period_end) : monthStartOf(start, 1);
    if (start >= at || end <= at) continue;
    const day = Math.max(Math.floor(start / DAY_MS) * DAY_MS, monthStartOf(at));
    if (day < earliest) earliest = day;
  }
  return earliest === at ? since : new Date(earliest).toISOString();
}
