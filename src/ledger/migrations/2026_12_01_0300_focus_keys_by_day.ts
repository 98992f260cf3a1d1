/**
 * Ledger schema 8: a FOCUS row's dedupe key begins with its UTC day
 * ("2026-01-01/9f3c…#2"), as the FOCUS importer now writes it. A bill comes mostly in
 * time order, so an import's keys then reach the unique (source, dedupe_key) index
 * nearly in order instead of at a random page each (bare content hashes), which made a
 * large FOCUS import slower the larger the ledger's key index grew.
 *
 * The day is the row's own ts (the importer takes the same first ten characters of the
 * same canonical text), so a re-import of a file imported before this migration finds its
 * rows by key as before: re-import stays idempotent and a corrected export still
 * replaces them. The update marks the rows' days for the daily rollup to recompute
 * (the update trigger); nothing the rollup sums changes.
 */
import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await sql`update usage_entries set dedupe_key = substr(ts, 1, 10) || '/' || dedupe_key where source = 'focus'`.execute(db);
}
