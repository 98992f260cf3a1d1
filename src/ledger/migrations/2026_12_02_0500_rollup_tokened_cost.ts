/**
 * Ledger schema: `rollup_daily.tokened_cost_ticks`, the cost of the rows that count their
 * tokens (`input_tokens + output_tokens > 0`). Billed exports (cost exports, CUR, FOCUS,
 * Azure, GCP…) carry cost but no token counts; a report's cost per 1M tokens divides this
 * sum, not the whole cost, by the tokens, so those dollars no longer inflate it
 * (reports/report-metrics.ts).
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
  await db.schema
    .alterTable('rollup_daily')
    .addColumn('tokened_cost_ticks', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`insert or ignore into rollup_dirty_days (day) select distinct day from rollup_daily`.execute(db);
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('rollup_daily').dropColumn('tokened_cost_ticks').execute();
}
