/**
 * Ledger schema: `import_batches.invoices_replaced`, the invoices a batch's corrected
 * versions replaced (JSON: provider, number and the batch that had recorded each). A
 * replaced invoice is deleted, so `import --undo` of the correcting batch removes the
 * invoice altogether; this says so, and which file to import again, rather than letting
 * a month's bill vanish without a word. Null for a batch that replaced none (and for
 * batches written before).
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('import_batches').addColumn('invoices_replaced', 'text').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('import_batches').dropColumn('invoices_replaced').execute();
}
