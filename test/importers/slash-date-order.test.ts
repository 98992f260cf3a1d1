// The per-file slash-date order shared by the Azure and FOCUS importers.
import { describe, expect, it } from 'vitest';
import { isoDay, orderName, readingOf, SlashDateOrder, slashDay } from '../../src/importers/slash-date-order.js';
import { FOCUS_SLASH } from '../../src/importers/focus/focus-dates.js';

describe('slash-date-order', () => {
  it('tells a date that reads one way from one that reads two, or the same day both ways', () => {
    expect(readingOf('09/30/2026')).toEqual({ kind: 'only', order: 'mdy' });
    expect(readingOf('30/09/2026')).toEqual({ kind: 'only', order: 'dmy' });
    expect(readingOf('04/10/2026')).toEqual({ kind: 'ambiguous' });
    expect(readingOf('10/10/2026')).toEqual({ kind: 'both' });
    // Neither reading is a day, or not a slash date at all: the row's own check says what is wrong.
    expect(readingOf('13/13/2026')).toEqual({ kind: 'none' });
    expect(readingOf('02/30/2026')).toEqual({ kind: 'none' });
    expect(readingOf('2026-10-04')).toEqual({ kind: 'none' });
    // Azure's pattern is four-digit years only; FOCUS's takes two, and a time of day.
    expect(readingOf('4/13/25')).toEqual({ kind: 'none' });
    expect(readingOf('4/13/25', FOCUS_SLASH)).toEqual({ kind: 'only', order: 'mdy' });
    expect(readingOf('13/4/25 10:00', FOCUS_SLASH)).toEqual({ kind: 'only', order: 'dmy' });
    // 29 February exists in 2028 only: the year counts.
    expect(readingOf('29/2/27', FOCUS_SLASH)).toEqual({ kind: 'none' });
    expect(readingOf('29/2/28', FOCUS_SLASH)).toEqual({ kind: 'only', order: 'dmy' });
  });

  it('writes both readings and the order as the date writes its year', () => {
    expect(isoDay('4/10/2026', 'mdy')).toBe('2026-04-10');
    expect(isoDay('4/10/2026', 'dmy')).toBe('2026-10-04');
    expect(isoDay('1/5/25 10:00', 'dmy', FOCUS_SLASH)).toBe('2025-05-01');
    expect(slashDay('1/5/25', 'mdy', FOCUS_SLASH)).toEqual({ year: 2025, month: 1, day: 5 });
    expect(orderName('mdy')).toBe('MM/DD/YYYY');
    expect(orderName('dmy', '1/5/25', FOCUS_SLASH)).toBe('DD/MM/YY');
  });

  it('keeps the first order a date decides and refuses a date that contradicts it, naming where it was decided', () => {
    const order = new SlashDateOrder();
    expect(order.cell('Date', '04/10/2026', 2)).toBeUndefined();
    expect(order.order).toBeUndefined();
    expect(order.cell('Date', '10/31/2026', 3)).toBeUndefined();
    expect(order.order).toBe('mdy');
    expect(order.cell('Date', '11/30/2026', 4)).toBeUndefined();
    expect(order.cell('BillingPeriodEndDate', '31/10/2026', 5)).toBe(
      'expected MM/DD/YYYY, the order line 3\'s Date "10/31/2026" can only be read in, got "31/10/2026", which reads only as DD/MM/YYYY: the file mixes two date orders (parts of exports saved in different locales?)',
    );
    expect(order.cell('Date', '31/10/2026', 3)).toContain('the order this line\'s Date "10/31/2026" can only be read in');
    expect(order.order).toBe('mdy');
  });
});
