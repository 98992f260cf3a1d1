/**
 * The order of an Azure export's slash dates. Cost Management writes `Date` as MM/DD/YYYY
 * in EA and MCA CSVs and as ISO in others, but a file downloaded or re-saved in a non-US
 * locale has DD/MM/YYYY. The file's order is decided by its dates (slash-date-order.ts):
 * every slash date of a row is looked at, the billing and service period columns too: a
 * real export's `BillingPeriodEndDate` (the 28th–31st) decides the order on its first
 * row, whatever its `Date`. A row waits for a decision only when its `Date` (the one date
 * it is filed under) reads as two days.
 */
import { columnFinder } from '../aws-cur/checked-csv.js';
import { isoDay, SlashDateOrder, type DateOrder } from '../slash-date-order.js';
import { AZURE_FIELDS } from './azure-columns.js';

export { MAX_WAITING, orderName, type DateOrder } from '../slash-date-order.js';

/** The slash-date columns a row is read for its order: the usage day and the periods. */
const DATE_COLUMNS = [...AZURE_FIELDS.date, 'BillingPeriodStartDate', 'BillingPeriodEndDate', 'ServicePeriodStartDate', 'ServicePeriodEndDate'];

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
  private readonly dates = new SlashDateOrder();

  constructor(header: readonly string[]) {
    const find = columnFinder(header);
    this.dateColumn = find(AZURE_FIELDS.date);
    this.columns = [...new Set(DATE_COLUMNS.map((c) => find([c])).filter((c): c is string => c !== undefined))];
  }

  get order(): DateOrder | undefined {
    return this.dates.order;
  }

  /** What to do with the row at `line`. */
  see(record: Record<string, string>, line: number): DateVerdict {
    for (const column of this.columns) {
      const refused = this.dates.cell(column, (record[column] ?? '').trim(), line);
      if (refused !== undefined) return { kind: 'refuse', column, message: refused };
    }
    const order = this.dates.order;
    if (order !== undefined) return { kind: 'read', order };
    const date = this.dateColumn === undefined ? '' : (record[this.dateColumn] ?? '');
    return this.dates.ambiguous(date) ? { kind: 'wait' } : { kind: 'read', order: 'mdy' };
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
