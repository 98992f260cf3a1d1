/**
 * Reads the ledger's usage rows for an export as a stream: ONE query whose rows are
 * handed over as the database produces them (better-sqlite3's `iterate()` under
 * Kysely's `stream()`), so memory stays constant on a ten-million-row ledger. One
 * statement is one read snapshot, so the export is consistent even while a proxy or an
 * import writes. Keyset pages were the alternative, but with a provenance filter SQLite
 * picks the provenance index and re-sorts every page, which is quadratic on a big
 * ledger; a single ordered statement sorts at most once. Plain Kysely, so a PostgreSQL
 * store can run it too (as a cursor).
 */
import type { Kysely, SelectQueryBuilder } from 'kysely';
import { DIMENSION_COLUMNS, isDimensionName } from '../ledger/ledger-schema.js';
import type { LedgerDatabase, Provenance, UsageEntry } from '../ledger/ledger-schema.js';
import type { LedgerStore } from '../ledger/ledger-store.js';
import { UnknownDimensionError } from '../ledger/ledger-errors.js';
import { isoUtc } from '../ledger/queries/iso-utc.js';
import { UNATTRIBUTED } from '../ledger/queries/spend-summary.js';
import { isRecordedOnlyDimension, RECORDED_ONLY_ABSENT, type CATALOGUE_MODEL } from '../attribution/recorded-only-dimensions.js';
import { dimensionsMatching } from '../reports/dimension-matches.js';

/** Which rows an export holds; every part is optional and they combine with AND. */
export interface ExportFilter {
  /** Inclusive start (ISO date or UTC time). */
  since?: string | Date | undefined;
  /** Exclusive end. */
  until?: string | Date | undefined;
  /** Layers to keep; all when omitted. */
  provenance?: readonly Provenance[] | undefined;
  /**
   * Dimension → value; `(unattributed)` keeps rows where the dimension is missing. A
   * report-only dimension (service_tier) too: `standard` keeps the rows that record none.
   * A model keeps the rows recorded under it or priced as it (reports/dimension-matches.ts).
   */
  where?: Readonly<Record<string, string>> | undefined;
}

/** Rows per fetch where the dialect batches a stream (PostgreSQL cursors); SQLite hands over rows one by one. */
const EXPORT_STREAM_CHUNK = 1000;

type UsageQuery = SelectQueryBuilder<LedgerDatabase, 'usage_entries', UsageEntry>;

function filtered(db: Kysely<LedgerDatabase>, filter: ExportFilter): UsageQuery {
  let q = db.selectFrom('usage_entries').selectAll();
  if (filter.since !== undefined) q = q.where('ts', '>=', isoUtc(filter.since, 'since'));
  if (filter.until !== undefined) q = q.where('ts', '<', isoUtc(filter.until, 'until'));
  if (filter.provenance !== undefined) q = q.where('provenance', 'in', [...filter.provenance]);
  for (const [name, value] of Object.entries(filter.where ?? {})) {
    if (isRecordedOnlyDimension(name)) {
      // A row that records no tier was on the standard tier, as reports show it.
      const absent = RECORDED_ONLY_ABSENT[name];
      q = q.where((eb) => (value === absent ? eb.or([eb(name, 'is', null), eb(name, '=', absent)]) : value === UNATTRIBUTED ? eb(name, 'is', null) : eb(name, '=', value)));
      continue;
    }
    if (!isDimensionName(name)) throw new UnknownDimensionError(name);
    // A model is matched by the catalogue model its rows were priced as too, as in reports
    // and budgets: that dimension is the row's matched_model column.
    const columns = dimensionsMatching(name, value).map((d) => (isDimensionName(d) ? DIMENSION_COLUMNS[d] : (d as typeof CATALOGUE_MODEL)));
    q = q.where((eb) => (value === UNATTRIBUTED ? eb(DIMENSION_COLUMNS[name], 'is', null) : eb.or(columns.map((c) => eb(c, '=', value)))));
  }
  return q;
}

/**
 * The rows `filter` selects, oldest first (ties by id). Stop early by breaking out of
 * the loop: the statement is released either way.
 * @throws UnknownDimensionError for a `where` name that is not a dimension.
 */
export async function* exportRows(ledger: LedgerStore, filter: ExportFilter = {}): AsyncGenerator<UsageEntry> {
  yield* filtered(ledger.db, filter).orderBy('ts').orderBy('id').stream(EXPORT_STREAM_CHUNK);
}
