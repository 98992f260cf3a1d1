// The insights window's start moved back to an invoice's money, never past it or for an invoice that is over.
import { describe, expect, it } from 'vitest';
import { invoiceAlignedSince, type InvoicePeriod } from '../../src/insights/invoice-aligned-since.js';

const inv = (start: string | null, end: string | null, month = (start ?? '').slice(0, 7)): InvoicePeriod => ({
  period_start: start === null ? null : `${start}T00:00:00.000Z`,
  period_end: end === null ? null : `${end}T00:00:00.000Z`,
  month,
});
const at = (day: string) => `${day}T00:00:00.000Z`;

describe('invoiceAlignedSince', () => {
  it('moves a start inside a calendar-month invoice back to the month\'s first day', () => {
    expect(invoiceAlignedSince([inv('2026-10-01', '2026-11-01')], at('2026-10-02'))).toBe(at('2026-10-01'));
    expect(invoiceAlignedSince([inv('2026-10-01', '2026-11-01')], '2026-10-20T13:30:00.000Z')).toBe(at('2026-10-01'));
  });

  it('keeps a start on the invoice\'s first day, after its end, or with no invoice', () => {
    expect(invoiceAlignedSince([inv('2026-10-01', '2026-11-01')], at('2026-10-01'))).toBe(at('2026-10-01'));
    expect(invoiceAlignedSince([inv('2026-09-01', '2026-10-01')], at('2026-10-02'))).toBe(at('2026-10-02'));
    expect(invoiceAlignedSince([], at('2026-10-02'))).toBe(at('2026-10-02'));
  });

  it('an invoice across two months puts money on its first day and on the next month\'s first day', () => {
    const mid = inv('2026-10-15', '2026-11-15');
    expect(invoiceAlignedSince([mid], at('2026-10-20'))).toBe(at('2026-10-15'));
    expect(invoiceAlignedSince([mid], at('2026-11-05'))).toBe(at('2026-11-01'));
    expect(invoiceAlignedSince([mid], at('2026-11-15'))).toBe(at('2026-11-15'));
  });

  it('an invoice without a period bills its month; the earliest of several wins', () => {
    expect(invoiceAlignedSince([inv(null, null, '2026-10')], at('2026-10-09'))).toBe(at('2026-10-01'));
    expect(invoiceAlignedSince([inv('2026-10-05', '2026-11-05'), inv('2026-10-01', '2026-11-01')], at('2026-10-09'))).toBe(at('2026-10-01'));
  });
});
