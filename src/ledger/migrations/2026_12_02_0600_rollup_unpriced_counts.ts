/**
 * Ledger schema: `rollup_daily.unpriced_requests` and `unpriced_tokens`, the requests and
 * the tokens (input + output) of the rows that have no price. Their cost is unknown, so it
 * is in no numerator; a report's cost per request and per 1M tokens now leave their
 * requests and tokens out of the divisors too, instead of spreading the priced rows' cost
 * over traffic whose cost is missing (reports/report-metrics.ts).
 *
 * Rollup rows written before hold 0 here: every rolled-up day is marked dirty, so the
 * next refresh recomputes it from its ledger rows (rollups/refresh-rollups.ts), as it
 * does after a delete or a re-pricing. Nothing else the rollup sums changes.
 */
import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('rollup_daily').addColumn('unpriced_requests', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('rollup_daily').addColumn('unpriced_tokens', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await sql`insert or ignore into rollup_dirty_days (day) select distinct day from rollup_daily`.execute(db);
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('rollup_daily').dropColumn('unpriced_tokens').execute();
  await db.schema.alterTable('rollup_daily').dropColumn('unpriced_requests').execute();
}
