/**
 * Records an import whose entries arrive as a stream, in ONE transaction: the batch
 * row, the entries in chunks as they come (constant memory), and — for sources whose
 * export is the whole truth for a period — the replacement of what an earlier export
 * of the same source and account said about that period. An error anywhere (a bad row,
 * a full disk, the process killed) leaves the ledger exactly as it was.
 *
 * Replacement is "upsert, then sweep": a row whose (source, dedupe_key) is already
 * there is replaced by the new one, and afterwards rows of the same source and account
 * inside the new file's time span that the new file no longer has are deleted.
 */
import { CompiledQuery, sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { LedgerDatabase, NewImportBatch, NewUsageEntry } from '../ledger-schema.js';
import type { LedgerStore } from '../ledger-store.js';
import { CHUNK_ROWS, insertSql, rowValues } from './insert-batch.js';
import { isoUtc } from './iso-utc.js';

export interface StreamBatch extends Omit<NewImportBatch, 'id' | 'rows_imported' | 'rows_skipped' | 'rows_replaced' | 'rows_read' | 'imported_at'> {
  imported_at?: string;
}

export interface StreamImportResult {
  batchId: number;
  rowsImported: number;
  rowsSkipped: number;
  rowsReplaced: number;
}

export interface StreamImportOptions {
  /** Replace earlier rows of the same source/account/period (see the module comment). */
  replacePeriod: boolean;
  /** Called with the running count after each chunk (progress display). */
  onProgress?: (rows: number) => void;
  /** More writes that belong to the same batch and transaction (an invoice file's invoices). */
  afterEntries?: (trx: Kysely<LedgerDatabase>, batchId: number) => Promise<void>;
}

/**
 * `entries` yields rows; `rowsRead()` is asked at the end for the batch's `rows_read`
 * (the reader knows how many source rows it saw, including skipped ones).
 */
export async function recordImportStream(
  ledger: LedgerStore,
  batch: StreamBatch,
  entries: AsyncIterable<NewUsageEntry>,
  rowsRead: () => number,
  options: StreamImportOptions,
): Promise<StreamImportResult> {
  return ledger.db.transaction().execute(async (trx) => {
    const { id: batchId } = await trx
      .insertInto('import_batches')
      .values({ ...batch, rows_read: 0, imported_at: batch.imported_at ?? new Date().toISOString() })
      .returning('id')
      .executeTakeFirstOrThrow();

    let seen = 0;
    let imported = 0;
    let replaced = 0;
    // Per account: the time span this file covers, for the sweep.
    const spans = new Map<string | null, { source: string; from: string; to: string }>();
    let chunk: NewUsageEntry[] = [];

    const flush = async () => {
      if (chunk.length === 0) return;
      if (options.replacePeriod) {
        const bySource = new Map<string, string[]>();
        for (const e of chunk) bySource.set(e.source, [...(bySource.get(e.source) ?? []), e.dedupe_key]);
        for (const [source, keys] of bySource) {
          const deleted = await trx.deleteFrom('usage_entries').where('source', '=', source).where('dedupe_key', 'in', keys).executeTakeFirst();
          replaced += Number(deleted.numDeletedRows);
        }
      }
      const parameters: unknown[] = [];
      chunk.forEach((entry, i) => rowValues(entry, batchId, seen - chunk.length + i, parameters));
      const result = await trx.executeQuery(CompiledQuery.raw(insertSql(ledger.db, chunk.length), parameters));
      imported += Number(result.numAffectedRows ?? 0n);
      chunk = [];
      options.onProgress?.(seen);
    };

    for await (const entry of entries) {
      seen++;
      chunk.push(entry);
      if (options.replacePeriod) {
        const ts = isoUtc(entry.ts, `entry ${seen} ts`);
        const end = entry.ts_end == null ? ts : isoUtc(entry.ts_end, `entry ${seen} ts_end`);
        const key = entry.account ?? null;
        const span = spans.get(key);
        if (!span) spans.set(key, { source: entry.source, from: ts, to: end > ts ? end : ts });
        else {
          if (ts < span.from) span.from = ts;
          const last = end > ts ? end : ts;
          if (last > span.to) span.to = last;
        }
      }
      if (chunk.length === CHUNK_ROWS) await flush();
    }
    await flush();

    if (options.replacePeriod) {
      for (const [account, span] of spans) {
        // Rows of an earlier export for this account and period that this export no longer has.
        const swept = await trx
          .deleteFrom('usage_entries')
          .where('source', '=', span.source)
          .where((eb) => (account === null ? eb('account', 'is', null) : eb('account', '=', account)))
          .where('ts', '>=', span.from)
          .where(sql<boolean>`(ts < ${span.to} OR (ts = ${span.to} AND ts_end IS NULL))`)
          .where('batch_id', '!=', batchId)
          .executeTakeFirst();
        replaced += Number(swept.numDeletedRows);
      }
    }

    if (options.afterEntries) await options.afterEntries(trx, batchId);
    const counts = { rows_read: rowsRead(), rows_imported: imported, rows_skipped: seen - imported, rows_replaced: replaced };
    await trx.updateTable('import_batches').set(counts).where('id', '=', batchId).execute();
    return { batchId, rowsImported: imported, rowsSkipped: counts.rows_skipped, rowsReplaced: replaced };
  });
}
