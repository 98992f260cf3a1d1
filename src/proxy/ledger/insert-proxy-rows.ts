/**
 * Writes a batch of proxy rows in one short transaction: the entry columns every
 * importer writes (insert-batch.ts) plus the proxy's own (latency, time to first byte,
 * status, prompt hash). `batch_id` is null: proxy rows are not an import, so
 * `llmfin import --list` is not flooded by a flush every 250 ms. Idempotent on
 * (source, dedupe_key) like every ledger write, so a retried flush cannot duplicate.
 * Rows arrive as value arrays in ROW_COLUMNS order (attempt-entry.ts); the columns
 * every proxy row has the same value in are literals in the statement.
 */
import { CompiledQuery, sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { LedgerDatabase } from '../../ledger/ledger-schema.js';
import type { LedgerStore } from '../../ledger/ledger-store.js';
import { CONSTANT_COLUMNS, ROW_COLUMNS, ROW_WIDTH, type ProxyRow } from './attempt-entry.js';

export { PROXY_COLUMNS } from './proxy-columns.js';

/**
 * Rows per statement, largest first. A flush holds however many rows arrived in 250 ms;
 * cutting it into these fixed sizes keeps the set of SQL texts (and so of prepared
 * statements the store caches) to a few small ones, instead of a new statement of
 * tens of thousands of parameters for every remainder — which held hundreds of MB.
 */
export const CHUNK_SIZES = [64, 16, 4, 1] as const;

const sqlCache = new WeakMap<Kysely<LedgerDatabase>, Map<number, string>>();

/** The INSERT … ON CONFLICT DO NOTHING text for `rows` rows, compiled once per row count by Kysely (the dialect's quoting). */
export function proxyInsertSql(db: Kysely<LedgerDatabase>, rows: number): string {
  let byRows = sqlCache.get(db);
  if (byRows === undefined) sqlCache.set(db, (byRows = new Map()));
  let text = byRows.get(rows);
  if (text === undefined) {
    // A bound parameter for each column that varies, then the constant ones as literals.
    const template = Object.fromEntries([
      ...ROW_COLUMNS.map((c) => [c, 0]),
      ...Object.entries(CONSTANT_COLUMNS).map(([c, v]) => [c, sql.lit(v)]),
    ]) as never;
    const compiled = db
      .insertInto('usage_entries')
      .values(Array.from({ length: rows }, () => template))
      .onConflict((oc) => oc.columns(['source', 'dedupe_key']).doNothing())
      .compile();
    if (compiled.parameters.length !== rows * ROW_WIDTH) throw new Error('proxy insert: unexpected parameter layout');
    text = compiled.sql;
    byRows.set(rows, text);
  }
  return text;
}

/** The chunk size for `left` rows still to write. */
export function chunkFor(left: number): number {
  for (const size of CHUNK_SIZES) if (size <= left) return size;
  return 1;
}

/** Inserts `rows` with a null batch in one transaction on this thread; returns the rows inserted. */
export async function insertProxyRows(ledger: LedgerStore, rows: readonly ProxyRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  return ledger.db.transaction().execute(async (trx) => {
    let inserted = 0;
    let start = 0;
    while (start < rows.length) {
      const size = chunkFor(rows.length - start);
      const parameters: unknown[] = [];
      for (let i = start; i < start + size; i++) for (const v of rows[i]!) parameters.push(v);
      const result = await trx.executeQuery(CompiledQuery.raw(proxyInsertSql(ledger.db, size), parameters));
      inserted += Number(result.numAffectedRows ?? 0n);
      start += size;
    }
    return inserted;
  });
}
