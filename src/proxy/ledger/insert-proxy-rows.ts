/**
 * Writes a batch of proxy rows in one short transaction: the entry columns every
 * importer writes (insert-batch.ts) plus the proxy's own (latency, time to first byte,
 * status, prompt hash). `batch_id` is null: proxy rows are not an import, so
 * `llmfin import --list` is not flooded by a flush every 250 ms. Idempotent on
 * (source, dedupe_key) like every ledger write, so a retried flush cannot duplicate.
 */
import { CompiledQuery } from 'kysely';
import type { Kysely } from 'kysely';
import type { LedgerDatabase, NewUsageEntry } from '../../ledger/ledger-schema.js';
import type { LedgerStore } from '../../ledger/ledger-store.js';
import { ENTRY_COLUMNS, rowValues } from '../../ledger/queries/insert-batch.js';

export const PROXY_COLUMNS = ['latency_ms', 'ttfb_ms', 'status_code', 'prompt_hash'] as const;
const WIDTH = ENTRY_COLUMNS.length + PROXY_COLUMNS.length;
const BATCH_ID = ENTRY_COLUMNS.indexOf('batch_id');
/**
 * Rows per statement, largest first. A flush holds however many rows arrived in 250 ms;
 * cutting it into these fixed sizes keeps the set of SQL texts (and so of prepared
 * statements the store caches) to seven small ones, instead of a new statement of
 * tens of thousands of parameters for every remainder — which held hundreds of MB.
 */
const CHUNK_SIZES = [64, 32, 16, 8, 4, 2, 1] as const;

const sqlCache = new WeakMap<Kysely<LedgerDatabase>, Map<number, string>>();

function insertText(db: Kysely<LedgerDatabase>, rows: number): string {
  let byRows = sqlCache.get(db);
  if (byRows === undefined) sqlCache.set(db, (byRows = new Map()));
  let text = byRows.get(rows);
  if (text === undefined) {
    // Compiled once per row count by Kysely, so the dialect's quoting is right; values are bound.
    const template = Object.fromEntries([...ENTRY_COLUMNS, ...PROXY_COLUMNS].map((c) => [c, 0])) as never;
    const compiled = db
      .insertInto('usage_entries')
      .values(Array.from({ length: rows }, () => template))
      .onConflict((oc) => oc.columns(['source', 'dedupe_key']).doNothing())
      .compile();
    if (compiled.parameters.length !== rows * WIDTH) throw new Error('proxy insert: unexpected parameter layout');
    text = compiled.sql;
    byRows.set(rows, text);
  }
  return text;
}

/** Inserts `entries` with a null batch in one transaction; returns the rows inserted. */
export async function insertProxyRows(ledger: LedgerStore, entries: readonly NewUsageEntry[]): Promise<number> {
  if (entries.length === 0) return 0;
  return ledger.db.transaction().execute(async (trx) => {
    let inserted = 0;
    let start = 0;
    while (start < entries.length) {
      const left = entries.length - start;
      const rows = CHUNK_SIZES.find((size) => size <= left)!;
      const parameters: unknown[] = [];
      for (let i = start; i < start + rows; i++) {
        const e = entries[i]!;
        const base = parameters.length;
        rowValues(e, 0, i, parameters);
        parameters[base + BATCH_ID] = null;
        parameters.push(e.latency_ms ?? null, e.ttfb_ms ?? null, e.status_code ?? null, e.prompt_hash ?? null);
      }
      const result = await trx.executeQuery(CompiledQuery.raw(insertText(ledger.db, rows), parameters));
      inserted += Number(result.numAffectedRows ?? 0n);
      start += rows;
    }
    return inserted;
  });
}
