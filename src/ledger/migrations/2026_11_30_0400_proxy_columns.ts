/**
 * Ledger schema: per-request facts the proxy measures, as columns rather than tags —
 * tags are part of the daily rollup's key, so a latency in them would make every row its
 * own rollup row. All nullable: only metered proxy rows carry them.
 * - `latency_ms`: request received → last byte sent to the client.
 * - `ttfb_ms`: request received → first byte of the upstream's response body.
 * - `status_code`: the HTTP status the upstream answered (502/504 when it did not).
 * - `prompt_hash`: sha256 hex of the prompt text (the text itself is never stored by default).
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('usage_entries').addColumn('latency_ms', 'integer').execute();
  await db.schema.alterTable('usage_entries').addColumn('ttfb_ms', 'integer').execute();
  await db.schema.alterTable('usage_entries').addColumn('status_code', 'integer').execute();
  await db.schema.alterTable('usage_entries').addColumn('prompt_hash', 'text').execute();
}

export async function down(db: AnyDb): Promise<void> {
  for (const column of ['prompt_hash', 'status_code', 'ttfb_ms', 'latency_ms']) {
    await db.schema.alterTable('usage_entries').dropColumn(column).execute();
  }
}
