/**
 * The order of a FOCUS file's slash dates. FOCUS asks for ISO 8601, but the spec's own
 * SaaS examples write `5/1/25` (M/D/YY), and a file re-saved in a non-US locale writes
 * `1/5/25` for the same day: read month-first it files May's charges in January. The
 * file's order is decided as slash-date-order.ts says, by any of a row's four dates, and
 * by its billing period: FOCUS billing periods are months (the spec's examples, and every
 * provider's export, run from the 1st of a month to the 1st of the next), so a period
 * such as `4/1/25`–`5/1/25` that runs from the 1st of a month to the 1st of another in one
 * reading only (April 1 to May 1, not January 4 to January 5) decides that reading.
 *
 * Only rows with a slash date come here (focus-charge.ts sends a row's period when one of
 * its cells has a `/`): an ISO file never does.
 */
import { isoDay, orderName, readingOf, SlashDateOrder, slashDay, type DateOrder } from '../slash-date-order.js';

/** A FOCUS slash date: M/D/YY or M/D/YYYY, with a time of day or not (parseFocusTime reads the time). */
export const FOCUS_SLASH = /^(\d{1,2})\/(\d{1,2})\/(\d{2}|\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$/;

/** The date columns of a row, in the order `see` takes their cells. */
export const DATE_COLUMNS = ['ChargePeriodStart', 'ChargePeriodEnd', 'BillingPeriodStart', 'BillingPeriodEnd'] as const;

/** A row's four date cells, in DATE_COLUMNS order. */
export type DateCells = readonly [start: string, end: string, billStart: string, billEnd: string];

export type DateVerdict =
  /** Read the row's slash dates in this order. */
  | { kind: 'read'; order: DateOrder }
  /** A date reads as two days and nothing decided yet: keep the row until something does. */
  | { kind: 'wait' }
  /** It contradicts the order decided before, or its own cells contradict each other. */
  | { kind: 'refuse'; column: string; message: string };

/** Whether start and end, read in `order`, are the 1st of a month and the 1st of a later one. */
function monthBounds(start: string, end: string, order: DateOrder): boolean {
  const s = slashDay(start, order, FOCUS_SLASH);
  const e = slashDay(end, order, FOCUS_SLASH);
  return s !== undefined && e !== undefined && s.day === 1 && e.day === 1 && e.year * 12 + e.month > s.year * 12 + s.month;
}

/** One file's slash-date order, and the ledger time of its last period with a slash date. */
export class FocusDates<Time = unknown> {
  readonly #dates = new SlashDateOrder(FOCUS_SLASH);
  /** The last period read with a slash date and its time: a bill's rows come in runs of one period. */
  last: { cells: DateCells; time: Time } | undefined;

  get order(): DateOrder | undefined {
    return this.#dates.order;
  }

  /** What to do with the row at `line`, whose date cells (trimmed) are `cells`. */
  see(cells: DateCells, line: number): DateVerdict {
    for (let k = 0; k < DATE_COLUMNS.length; k++) {
      const refused = this.#dates.cell(DATE_COLUMNS[k]!, cells[k]!, line);
      if (refused !== undefined) return { kind: 'refuse', column: DATE_COLUMNS[k]!, message: refused };
    }
    const [, , billStart, billEnd] = cells;
    const mdy = monthBounds(billStart, billEnd, 'mdy');
    const dmy = monthBounds(billStart, billEnd, 'dmy');
    if (mdy !== dmy) {
      const order: DateOrder = mdy ? 'mdy' : 'dmy';
      const name = orderName(order, billStart, FOCUS_SLASH);
      const period = `${JSON.stringify(billStart)} to ${JSON.stringify(billEnd)}`;
      const refused = this.#dates.learn(
        { order, line, name, columns: 'BillingPeriodStart and BillingPeriodEnd', because: (where) => `in which ${where} ${period} run from the 1st of a month to the 1st of another` },
        `the billing period ${period}, which runs from the 1st of a month to the 1st of another only as ${name}`,
      );
      if (refused !== undefined) return { kind: 'refuse', column: 'BillingPeriodStart', message: refused };
    }
    const order = this.#dates.order;
    if (order !== undefined) return { kind: 'read', order };
    for (const text of cells) if (this.#dates.ambiguous(text)) return { kind: 'wait' };
    // Every slash date reads the same both ways (4/4/25): the order does not matter.
    return { kind: 'read', order: 'mdy' };
  }

  /** Why a row that waited cannot be read: a date of it reads as two days and no date of the file decides. */
  undecided(cells: DateCells): { column: string; message: string } {
    const k = cells.findIndex((text) => readingOf(text, FOCUS_SLASH).kind === 'ambiguous');
    const column = DATE_COLUMNS[k]!;
    const text = cells[k]!;
    return {
      column,
      message:
        `expected a date that reads one way, got ${JSON.stringify(text)}: ${isoDay(text, 'mdy', FOCUS_SLASH)} as ${orderName('mdy', text, FOCUS_SLASH)} (the FOCUS examples' order) ` +
        `or ${isoDay(text, 'dmy', FOCUS_SLASH)} as ${orderName('dmy', text, FOCUS_SLASH)} (a spreadsheet's in other locales), and no date in the file has a day past the 12th, ` +
        "nor a billing period from the 1st of a month to the 1st of another, to tell which; write the file's dates as ISO 8601 (FOCUS's own format, such as 2025-05-01T00:00:00Z), or export the file again",
    };
  }
}
