/**
 * Ledger schema: `rollup_daily.matched_model`, the catalogue model the rows were priced
 * as, in the rollup's key. A budget on `model: gpt-4o` counts the rows recorded as
 * `gpt-4o-2024-08-06` that were priced as gpt-4o (budgets/budget-scope.ts), and its
 * history of whole days is read from the rollup as any other budget's is.
 *
 * The unique key gains the column. Rollup rows written before hold '' in it: every
 * rolled-up day is marked dirty, so the next refresh recomputes it from its ledger rows
 * (rollups/refresh-rollups.ts), as it does after a delete or a re-pricing.
 */
import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

// Frozen copy of ROLLUP_KEY_COLUMNS before and after this migration.
const KEY_BEFORE = ['provider', 'source', 'account', 'model', 'project', 'api_key', 'workspace', 'team', 'feature', 'agent', 'environment', 'tags'] as const;
const KEY_AFTER = [...KEY_BEFORE, 'matched_model'] as const;

async function keyIndex(db: AnyDb, columns: readonly string[]): Promise<void> {
  await db.schema.dropIndex('rollup_daily_key').execute();
  await db.schema
    .createIndex('rollup_daily_key')
    .unique()
    .on('rollup_daily')
    .columns(['day', 'provenance', 'charge_category', ...columns])
    .execute();
}

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('rollup_daily').addColumn('matched_model', 'text', (c) => c.notNull().defaultTo('')).execute();
  await keyIndex(db, KEY_AFTER);
  await sql`insert or ignore into rollup_dirty_days (day) select distinct day from rollup_daily`.execute(db);
}

export async function down(db: AnyDb): Promise<void> {
  // Rows that differ only in matched_model would collide under the old key: recomputed instead.
  await sql`insert or ignore into rollup_dirty_days (day) select distinct day from rollup_daily`.execute(db);
  await sql`delete from rollup_daily`.execute(db);
  await keyIndex(db, KEY_BEFORE);
  await db.schema.alterTable('rollup_daily').dropColumn('matched_model').execute();
}
