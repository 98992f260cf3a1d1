/**
 * Ledger schema 8: a FOCUS row's dedupe key is its UTC day, then the first 24 of the
 * identity hash's 32 hex digits ("20260101" + "9f3c…", then "#2" as before for a
 * repeated row), as the FOCUS importer now writes it. A bill comes mostly in time
 * order, so an import's keys then reach the unique (source, dedupe_key) index nearly in
 * order instead of at a random page each (bare content hashes), which made a large
 * FOCUS import slower the larger the ledger's key index grew.
 *
 * The day is the row's own ts (the importer takes the same characters of the same
 * canonical text) and the hash digits are the old key's first 24, so a re-import of a
 * file imported before this migration finds its rows by key as before: re-import stays
 * idempotent and a corrected export still replaces them. The update marks the rows'
 * days for the daily rollup to recompute (the update trigger); nothing the rollup sums
 * changes.
 */
import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  // Old keys are 32 hex digits, then "#n" for a repeated row (kept: substr from 33).
  await sql`update usage_entries
    set dedupe_key = substr(ts, 1, 4) || substr(ts, 6, 2) || substr(ts, 9, 2) || substr(dedupe_key, 1, 24) || substr(dedupe_key, 33)
    where source = 'focus'`.execute(db);
}
