/**
 * Finds an earlier import of the same file by the same importer, so that `llmfin
 * import` can say "already imported" without reading the file's rows again.
 */
import type { ImportBatch } from '../ledger-schema.js';
import type { LedgerStore } from '../ledger-store.js';

/** The latest complete batch of `source` whose file had sha256 `fileHash`, if any. */
export async function findBatchByHash(ledger: LedgerStore, source: string, fileHash: string): Promise<ImportBatch | undefined> {
  return ledger.db
    .selectFrom('import_batches')
    .selectAll()
    .where('source', '=', source)
    .where('file_hash', '=', fileHash)
    .where('status', '=', 'complete')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}
