/**
 * Finds earlier imports of the same file by the same importer, so that `llmfin import`
 * can say "already imported" without reading the file's rows again.
 */
import type { ImportBatch } from '../ledger-schema.js';
import type { LedgerStore } from '../ledger-store.js';

/**
 * The complete batches of `source` whose file had sha256 `fileHash`, newest first: under
 * `import --account` one file's bytes may be in more than one batch (a download with no
 * rows, which two organisations' are alike).
 */
export async function batchesByHash(ledger: LedgerStore, source: string, fileHash: string): Promise<ImportBatch[]> {
  return ledger.db
    .selectFrom('import_batches')
    .selectAll()
    .where('source', '=', source)
    .where('file_hash', '=', fileHash)
    .where('status', '=', 'complete')
    .orderBy('id', 'desc')
    .execute();
}

/**
 * Whether a complete batch of `source` read a file of `size` bytes: a file of any other
 * size is not one already imported, whatever its hash.
 */
export async function sizeImportedBefore(ledger: LedgerStore, source: string, size: number): Promise<boolean> {
  const row = await ledger.db.selectFrom('import_batches').select('id').where('source', '=', source).where('file_size', '=', size).where('status', '=', 'complete').limit(1).executeTakeFirst();
  return row !== undefined;
}

/** The latest complete batch of `source` whose file had sha256 `fileHash`, if any. */
export async function findBatchByHash(ledger: LedgerStore, source: string, fileHash: string): Promise<ImportBatch | undefined> {
  return (await batchesByHash(ledger, source, fileHash))[0];
}
