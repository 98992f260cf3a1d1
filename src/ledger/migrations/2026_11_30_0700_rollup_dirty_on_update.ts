/**
 * Ledger schema 7: an update to a ledger row (re-pricing, or any later correction) marks
 * its day for the daily rollup to recompute, as a delete already does. Keeping the rule in
 * the schema means no code that changes rows has to remember the rollup.
 */
import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await sql`create trigger usage_entries_rollup_dirty_update after update on usage_entries
    begin
      insert or ignore into rollup_dirty_days (day) values (substr(old.ts, 1, 10));
      insert or ignore into rollup_dirty_days (day) values (substr(new.ts, 1, 10));
    end`.execute(db);
}
