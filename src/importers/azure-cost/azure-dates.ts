/**
 * The order of an Azure export's slash dates. Cost Management writes `Date` as MM/DD/YYYY
 * in EA and MCA CSVs and as ISO in others, but a file downloaded or re-saved in a non-US
 * locale has DD/MM/YYYY, and `09/04/2026` is then April 9, not September 4. One file has
 * one order, so the order is the file's, decided by its dates:
 *
 * - A date with a number past 12 reads one way only (`09/30/2026` is MM/DD, `30/09/2026`
 *   DD/MM). Every slash date of a row is looked at, the billing and service period
 *   columns too: a real export's `BillingPeriodEndDate` (the 28th–31st) decides the order
 *   on its first row, whatever its `Date`.
 * - A date that contradicts the order earlier rows decided (a file that mixes the two,
 *   from pasting parts of exports together) is refused at its line, naming the line and
 *   cell that decided the other order.
 * - A date that reads as two different days (both numbers 12 or less, and not equal) waits
 *   for a date that decides. If none ever does, each such row is refused with its two
 *   readings rather than imported under a guess: a guess that is wrong files a month's
 *   charges across the year, and no report would show it. Waiting rows are kept in
 *   memory, up to MAX_WAITING; past that the file is refused at the first of them.
 * - ISO dates, and slash dates that read the same both ways (`10/10/2026`), need no order.
 */
import { columnFinder } from '../aws-cur/checked-csv.js';
import { AZURE_FIELDS } from './azure-columns.js';

export type DateOrder = 'mdy' | 'dmy';

/** A day that reads the same either way, or the order it reads in only. */
type Reading = { kind: 'both' } | { kind: 'only'; order: DateOrder } | { kind: 'ambiguous' } | { kind: 'none' };

/** A slash date as parseUsageDay reads one. */
const SLASH = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;

/** Rows kept while the order is undecided, at most. */
export const MAX_WAITING = 100_000;

/** The name of an order as messages write it. */
export function orderName(order: DateOrder): string {
  return order === 'mdy' ? 'MM/DD/YYYY' : 'DD/MM/YYYY';
}

function validDay(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day));
  return month >= 1 && month <= 12 && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/** How a cell reads: not a slash date ('none'), or the orders it reads in. */
export function readingOf(text: string): Reading {
  const m = SLASH.exec(text.trim());
  if (!m) return { kind: 'none' };
  const [a, b, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const mdy = validDay(year, a, b);
  const dmy = validDay(year, b, a);
  if (mdy && dmy) return a === b ? { kind: 'both' } : { kind: 'ambiguous' };
  if (mdy) return { kind: 'only', order: 'mdy' };
  if (dmy) return { kind: 'only', order: 'dmy' };
  // Neither (13/13/2026, 02/30/2026): the row's date check says what is wrong.
  return { kind: 'none' };
}

/** `text` (a slash date) read in `order`, as YYYY-MM-DD. */
export function isoDay(text: string, order: DateOrder): string {
  const m = SLASH.exec(text.trim())!;
  const [a, b, year] = [m[1]!.padStart(2, '0'), m[2]!.padStart(2, '0'), m[3]!];
  return order === 'mdy' ? `${year}-${a}-${b}` : `${year}-${b}-${a}`;
}

/** The slash-date columns a row is read for its order: the usage day and the periods. */
const DATE_COLUMNS = [...AZURE_FIELDS.date, 'BillingPeriodStartDate', 'BillingPeriodEndDate', 'ServicePeriodStartDate', 'ServicePeriodEndDate'];

interface Evidence {
  order: DateOrder;
  line: number;
  column: string;
  text: string;
}

export type DateVerdict =
  /** Read the row's date in this order. */
  | { kind: 'read'; order: DateOrder }
  /** Its date reads as two days and nothing decided yet: keep the row until something does. */
  | { kind: 'wait' }
  /** It contradicts the order decided before, or its own cells contradict each other. */
  | { kind: 'refuse'; column: string; message: string };

/** The file's date order, learnt row by row. */
export class AzureDateOrder {
  private readonly columns: string[];
  private readonly dateColumn: string | undefined;
  private decided: Evidence | undefined;

  constructor(header: readonly string[]) {
    const find = columnFinder(header);
    this.dateColumn = find(AZURE_FIELDS.date);
    this.columns = [...new Set(DATE_COLUMNS.map((c) => find([c])).filter((c): c is string => c !== undefined))];
  }

  get order(): DateOrder | undefined {
    return this.decided?.order;
  }

  /** What to do with the row at `line`. */
  see(record: Record<string, string>, line: number): DateVerdict {
    for (const column of this.columns) {
      const text = (record[column] ?? '').trim();
      const reading = readingOf(text);
      if (reading.kind !== 'only') continue;
      const seen = this.decided;
      if (seen === undefined) this.decided = { order: reading.order, line, column, text };
      else if (seen.order !== reading.order) {
        const where = seen.line === line ? `this line's ${seen.column}` : `line ${seen.line}'s ${seen.column}`;
        return {
          kind: 'refuse',
          column,
          message: `expected ${orderName(seen.order)}, the order ${where} ${JSON.stringify(seen.text)} can only be read in, got ${JSON.stringify(text)}, which reads only as ${orderName(reading.order)}: the file mixes two date orders (parts of exports saved in different locales?)`,
        };
      }
    }
    if (this.decided) return { kind: 'read', order: this.decided.order };
    const date = this.dateColumn === undefined ? '' : (record[this.dateColumn] ?? '');
    return readingOf(date).kind === 'ambiguous' ? { kind: 'wait' } : { kind: 'read', order: 'mdy' };
  }

  /** Why a row that waited cannot be read: its date reads as two days and no date of the file decides. */
  undecided(record: Record<string, string>): { column: string; message: string } {
    const column = this.dateColumn ?? AZURE_FIELDS.date[0];
    const text = (record[column] ?? '').trim();
    return {
      column,
      message:
        `expected a date that reads one way, got ${JSON.stringify(text)}: ${isoDay(text, 'mdy')} as MM/DD/YYYY (Azure's order) or ${isoDay(text, 'dmy')} as DD/MM/YYYY ` +
        "(a spreadsheet's in other locales), and no date in the file has a day past the 12th to tell which; write the file's dates as YYYY-MM-DD, or download the export from Azure again",
    };
  }
}
