/**
 * Ledger schema: `rollup_daily.failed_attempts`, the proxy's attempts that failed before
 * the model ran (an error status and not a token: a 429 or 503 the SDK retried). They are
 * no requests: the rollup's `requests` and `unpriced_requests` now leave them out, as
 * `check` and `route simulate` do, and a report says how many it left out
 * (queries/usage-facts.ts, FAILED_ATTEMPT).
 *
 * Rollup rows written before counted them as requests and hold 0 here: every rolled-up
 * day is marked dirty, so the next refresh recomputes it from its ledger rows
 * (rollups/refresh-rollups.ts), as it does after a delete or a re-pricing.
 */
import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('rollup_daily').addColumn('failed_attempts', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await sql`insert or ignore into rollup_dirty_days (day) select distinct day from rollup_daily`.execute(db);
}

export async function down(db: AnyDb): Promise<void> {
  // The older code counts failed attempts as requests: its days are recomputed that way.
  await sql`insert or ignore into rollup_dirty_days (day) select distinct day from rollup_daily`.execute(db);
  await db.schema.alterTable('rollup_daily').dropColumn('failed_attempts').execute();
}
