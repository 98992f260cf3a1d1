/**
 * Imports one file into the ledger: read, hash, parse with an importer, and record
 * everything in one transaction. The same file imported twice is recognised by its
 * hash and changes nothing; a file with bad rows imports nothing and says which rows.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import type { ImportContext, ImportIssue, Importer } from './importer.js';
import type { LedgerStore } from '../ledger/ledger-store.js';
import { findBatchByHash } from '../ledger/queries/find-batch-by-hash.js';
import { recordImport } from '../ledger/queries/insert-batch.js';
import { InputError } from '../shared/errors.js';

export interface ImportFileResult {
  file: string;
  source: string;
  status: 'imported' | 'already-imported';
  rowsRead: number;
  rowsImported: number;
  rowsSkipped: number;
  unpricedRows: number;
  batchId: number | undefined;
}

export async function importFile(
  ledger: LedgerStore,
  file: string,
  importer: Importer,
  ctx: Omit<ImportContext, 'fileName'> & { llmfinVersion: string },
): Promise<ImportFileResult> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (cause) {
    throw new InputError(file, undefined, `cannot read file (${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message})`);
  }
  const hash = createHash('sha256').update(bytes).digest('hex');
  const previous = await findBatchByHash(ledger, importer.id, hash);
  if (previous) {
    return { file, source: importer.id, status: 'already-imported', rowsRead: previous.rows_read, rowsImported: 0, rowsSkipped: previous.rows_read, unpricedRows: 0, batchId: previous.id };
  }
  const parsed = importer.parse(bytes.toString('utf8'), { ...ctx, fileName: file });
  if (parsed.issues.length > 0) throw issuesError(file, parsed.issues);
  const result = await recordImport(
    ledger,
    {
      source: importer.id,
      file_name: file,
      file_hash: hash,
      file_size: statSync(file).size,
      rows_read: parsed.rowsRead,
      llmfin_version: ctx.llmfinVersion,
      catalogue_version: ctx.catalogueVersion,
    },
    parsed.entries,
  );
  return {
    file,
    source: importer.id,
    status: 'imported',
    rowsRead: parsed.rowsRead,
    rowsImported: result.rowsImported,
    rowsSkipped: result.rowsSkipped,
    unpricedRows: parsed.entries.filter((e) => e.cost_status === 'unpriced').length,
    batchId: result.batchId,
  };
}

function issuesError(file: string, issues: ImportIssue[]): InputError {
  const first = issues[0]!;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more row${issues.length > 2 ? 's' : ''})` : '';
  return new InputError(file, first.line, `${first.message}${more}`, { hint: 'nothing was imported from this file; fix the rows and import it again' });
}
