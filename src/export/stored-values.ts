/**
 * The values a dimension's column holds in the ledger, as stored (no attribution rule
 * applied): what `llmfin export --where` filters on, so what it can name when a value
 * matched no row. A missing value reads as `(unattributed)`, and a row that records no
 * service tier as `standard`, as --where selects them.
 */
import { DIMENSION_COLUMNS, isDimensionName } from '../ledger/ledger-schema.js';
import type { LedgerStore } from '../ledger/ledger-store.js';
import { UnknownDimensionError } from '../ledger/ledger-errors.js';
import { UNATTRIBUTED } from '../ledger/queries/spend-summary.js';
import { isRecordedOnlyDimension, RECORDED_ONLY_ABSENT } from '../attribution/recorded-only-dimensions.js';

/**
 * Up to `limit` distinct values of the dimension's column, in order.
 * @throws UnknownDimensionError for a name that is no column.
 */
export async function storedValues(ledger: LedgerStore, name: string, limit: number): Promise<string[]> {
  const column = isRecordedOnlyDimension(name) ? name : isDimensionName(name) ? DIMENSION_COLUMNS[name] : undefined;
  if (column === undefined) throw new UnknownDimensionError(name);
  const absent = isRecordedOnlyDimension(name) ? RECORDED_ONLY_ABSENT[name] : UNATTRIBUTED;
  const rows = await ledger.db
    .selectFrom('usage_entries')
    .select((eb) => eb.ref(column).as('value'))
    .distinct()
    .orderBy('value')
    .limit(limit)
    .execute();
  return [...new Set(rows.map((r) => (r.value === null ? absent : String(r.value))))];
}
