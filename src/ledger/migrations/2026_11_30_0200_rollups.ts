/**
 * Ledger schema 3: a daily rollup of usage_entries so that reports stay interactive on
 * tens of millions of rows (PRODUCT.md, Scale). One rollup row per UTC day, layer,
 * charge category and combination of the identifiers attribution rules match on;
 * per-request identifiers (customer, user, trace, request) are left out on purpose —
 * they would make the rollup as large as the ledger — and reports that need them read
 * the rows themselves.
 *
 * The rollup is maintained incrementally (rollups/refresh-rollups.ts): rows appended
 * after the watermark are added; a deleted row (a replaced export slice, an undone
 * batch) marks its day dirty through a trigger, and dirty days are recomputed. Missing
 * identifiers are stored as '' so that the UNIQUE key can absorb additions (NULLs are
 * all distinct to SQLite).
 */
import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

// Frozen copy of ROLLUP_KEY_COLUMNS as of this migration.
const KEY_COLUMNS = ['provider', 'source', 'account', 'model', 'project', 'api_key', 'workspace', 'team', 'feature', 'agent', 'environment', 'tags'] as const;
const SUM_COLUMNS = [
  'rows',
  'requests',
  'input_tokens',
  'uncached_input_tokens',
  'cache_read_tokens',
  'cache_write_tokens',
  'output_tokens',
  'reasoning_tokens',
  'cost_ticks',
  'estimated_cost_ticks',
  'unpriced_rows',
] as const;

export async function up(db: AnyDb): Promise<void> {
  let table = db.schema
    .createTable('rollup_daily')
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('provenance', 'text', (c) => c.notNull())
    .addColumn('charge_category', 'text', (c) => c.notNull());
  for (const column of KEY_COLUMNS) table = table.addColumn(column, 'text', (c) => c.notNull().defaultTo(''));
  for (const column of SUM_COLUMNS) table = table.addColumn(column, 'integer', (c) => c.notNull().defaultTo(0));
  await table.execute();
  await db.schema
    .createIndex('rollup_daily_key')
    .unique()
    .on('rollup_daily')
    .columns(['day', 'provenance', 'charge_category', ...KEY_COLUMNS])
    .execute();

  await db.schema.createTable('rollup_dirty_days').addColumn('day', 'text', (c) => c.primaryKey()).execute();
  // Appends are rolled forward by id; only a delete can change a day already rolled up.
  await sql`create trigger usage_entries_rollup_dirty after delete on usage_entries
    begin insert or ignore into rollup_dirty_days (day) values (substr(old.ts, 1, 10)); end`.execute(db);
}
