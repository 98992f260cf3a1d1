// Which days an invoice bills and its money per calendar month (src/reports/invoice-months.ts).
import { describe, expect, it } from 'vitest';
import type { InvoicePeriod } from '../../src/ledger/queries/usage-facts.js';
import { invoiceDays, invoiceMeets, invoiceMonths, invoiceMonthsOf } from '../../src/reports/invoice-months.js';

const inv = (period_start: string | null, period_end: string | null, usage_ticks: bigint, more: Partial<InvoicePeriod> = {}): InvoicePeriod => ({
  provider: 'openai',
  number: 'INV-1',
  period_start,
  period_end,
  issued_at: null,
  usage_ticks,
  ...more,
});

describe('invoiceDays', () => {
  it('reads the end as where the period ends (exclusive), as the importer stores it', () => {
    // `period: { start: 2026-10-15, end: 2026-11-15 }` is stored as these instants.
    expect(invoiceDays(inv('2026-10-15T00:00:00.000Z', '2026-11-15T00:00:00.000Z', 0n))).toEqual({ first: '2026-10-15', last: '2026-11-14' });
    // The calendar month as the README writes it, and as Stripe does (period_end 1761955200).
    expect(invoiceDays(inv('2026-10-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z', 0n))).toEqual({ first: '2026-10-01', last: '2026-10-31' });
    expect(invoiceDays(inv(new Date(1759276800 * 1000).toISOString(), new Date(1761955200 * 1000).toISOString(), 0n))).toEqual({ first: '2025-10-01', last: '2025-10-31' });
  });

  it("counts an end on a month's last day at midnight as that whole day: a PDF's inclusive last day", () => {
    expect(invoiceDays(inv('2026-10-01T00:00:00.000Z', '2026-10-31T00:00:00.000Z', 0n))).toEqual({ first: '2026-10-01', last: '2026-10-31' });
    expect(invoiceDays(inv('2026-02-01', '2026-02-28', 0n))).toEqual({ first: '2026-02-01', last: '2026-02-28' });
    // Any other end at midnight is exclusive: Nov 14 is not billed.
    expect(invoiceDays(inv('2026-10-15T00:00:00.000Z', '2026-11-14T00:00:00.000Z', 0n))).toEqual({ first: '2026-10-15', last: '2026-11-13' });
  });

  it('counts the day an end within a day falls on, and the day a start within a day falls on', () => {
    expect(invoiceDays(inv('2026-10-15T08:00:00.000Z', '2026-11-14T23:59:59.000Z', 0n))).toEqual({ first: '2026-10-15', last: '2026-11-14' });
  });

  it('has no days without an end, or with an end not after the start: the whole month of the start', () => {
    expect(invoiceDays(inv('2026-10-15T00:00:00.000Z', null, 0n))).toBeUndefined();
    expect(invoiceDays(inv(null, null, 0n))).toBeUndefined();
    expect(invoiceDays(inv('2026-10-15T00:00:00.000Z', '2026-10-15T00:00:00.000Z', 0n))).toBeUndefined();
    expect(invoiceDays(inv('2026-10-15T00:00:00.000Z', '2026-10-01T00:00:00.000Z', 0n))).toBeUndefined();
  });
});

describe('invoiceMonths', () => {
  it('gives a calendar-month invoice all of its month, with no day list (as before)', () => {
    expect(invoiceMonths([inv('2026-10-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z', 1000n)])).toEqual([{ provider: 'openai', month: '2026-10', usage_ticks: 1000n, invoices: 1 }]);
    expect(invoiceMonths([inv('2026-10-01T00:00:00.000Z', '2026-10-31T00:00:00.000Z', 1000n)])).toEqual([{ provider: 'openai', month: '2026-10', usage_ticks: 1000n, invoices: 1 }]);
  });

  it('keeps the month of issue for an invoice with no period', () => {
    expect(invoiceMonths([inv(null, null, 7n, { issued_at: '2026-11-04' })])).toEqual([{ provider: 'openai', month: '2026-11', usage_ticks: 7n, invoices: 1 }]);
  });

  it('splits an invoice over the months it covers in proportion to their days, exact to the tick', () => {
    // Oct 15 – Nov 14 is 17 + 14 = 31 days: $372.00 = 3_720_000_000_000 ticks.
    // October 3.72e12 × 17 / 31 = 2.04e12 ($204.00); November 3.72e12 × 14 / 31 = 1.68e12 ($168.00).
    const months = invoiceMonths([inv('2026-10-15T00:00:00.000Z', '2026-11-15T00:00:00.000Z', 3_720_000_000_000n)]);
    expect(months.map((m) => [m.month, m.usage_ticks, m.days?.length, m.days?.[0], m.days?.at(-1)])).toEqual([
      ['2026-10', 2_040_000_000_000n, 17, '2026-10-15', '2026-10-31'],
      ['2026-11', 1_680_000_000_000n, 14, '2026-11-01', '2026-11-14'],
    ]);
    // 100 ticks over 17 and 14 days: 54.83… and 45.16…, largest remainder gives 55 + 45.
    expect(invoiceMonths([inv('2026-10-15', '2026-11-15', 100n)]).map((m) => m.usage_ticks)).toEqual([55n, 45n]);
  });

  it('adds invoices that share a month; two that cover it between them cover it whole', () => {
    const months = invoiceMonths([
      inv('2026-09-15', '2026-10-15', 300n, { number: 'A' }), // Sep 15 – Oct 14: 16 + 14 days
      inv('2026-10-15', '2026-11-15', 310n, { number: 'B' }), // Oct 15 – Nov 14: 17 + 14 days
    ]);
    // A: 300 × 16/30 = 160 (Sep), 140 (Oct). B: 310 × 17/31 = 170 (Oct), 140 (Nov).
    expect(months.map((m) => [m.month, m.usage_ticks, m.invoices, m.days?.length])).toEqual([
      ['2026-09', 160n, 1, 16],
      ['2026-10', 310n, 2, undefined],
      ['2026-11', 140n, 1, 14],
    ]);
  });

  it('keeps the months inside the range', () => {
    const months = invoiceMonths([inv('2026-10-15', '2026-11-15', 310n)], { since: '2026-11-01T00:00:00.000Z', until: '2026-12-01T00:00:00.000Z' });
    expect(months.map((m) => [m.month, m.usage_ticks])).toEqual([['2026-11', 140n]]);
  });

  it('says whether an invoice bills a day of a range: its period\'s days, or its month without one', () => {
    const nov = { since: '2026-11-01T00:00:00.000Z', until: '2026-12-01T00:00:00.000Z' };
    const at = (start: string | null, end: string | null, month: string) => ({ period_start: start && `${start}T00:00:00.000Z`, period_end: end && `${end}T00:00:00.000Z`, month });
    expect(invoiceMeets(at('2026-10-25', '2026-11-06', '2026-10'), nov)).toBe(true); // Oct 25 – Nov 5
    expect(invoiceMeets(at('2026-10-01', '2026-11-01', '2026-10'), nov)).toBe(false); // October: it stops where November starts
    expect(invoiceMeets(at('2026-10-01', '2026-10-31', '2026-10'), nov)).toBe(false); // October, its last day written as the end
    expect(invoiceMeets(at('2026-11-30', '2026-12-15', '2026-11'), nov)).toBe(true); // from Nov 30
    expect(invoiceMeets(at('2026-12-01', '2027-01-01', '2026-12'), nov)).toBe(false);
    expect(invoiceMeets(at(null, null, '2026-11'), nov)).toBe(true); // issued in November, no period
    expect(invoiceMeets(at('2026-10-20', '2026-10-10', '2026-10'), nov)).toBe(false); // an end before its start: its month, October
    expect(invoiceMeets(at('2026-10-25', '2026-11-06', '2026-10'), {})).toBe(true);
  });
});

describe('invoiceMonthsOf', () => {
  it("lists every calendar month an invoice's days touch, across a year's end", () => {
    // December 15 – February 14: three months, the middle one whole.
    expect(invoiceMonthsOf({ ...inv('2026-12-15T00:00:00.000Z', '2027-02-15T00:00:00.000Z', 0n), month: '2026-12' })).toEqual(['2026-12', '2027-01', '2027-02']);
    // A calendar month is that month alone: its end, November 1, bills no day of November.
    expect(invoiceMonthsOf({ ...inv('2026-10-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z', 0n), month: '2026-10' })).toEqual(['2026-10']);
  });

  it('is the month an invoice with no period counts in', () => {
    expect(invoiceMonthsOf({ ...inv(null, null, 0n, { issued_at: '2026-10-31T00:00:00.000Z' }), month: '2026-10' })).toEqual(['2026-10']);
  });
});
