/**
 * Ledger schema: drops two usage_entries indexes that every imported row paid for.
 * `(provider, ts)` and `(provenance, provider, ts)` only sped up report scans, and
 * reports read the daily rollup instead of scanning usage_entries; nothing relies on
 * them for correctness. Kept: `ts` (period sweeps, time ranges), `batch_id` (undo) and
 * the unique `(source, dedupe_key)` (idempotent re-import).
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('usage_entries_provider_ts').ifExists().execute();
  await db.schema.dropIndex('usage_entries_provenance_provider_ts').ifExists().execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.createIndex('usage_entries_provider_ts').ifNotExists().on('usage_entries').columns(['provider', 'ts']).execute();
  await db.schema.createIndex('usage_entries_provenance_provider_ts').ifNotExists().on('usage_entries').columns(['provenance', 'provider', 'ts']).execute();
}
