/**
 * Writes a batch of proxy rows in one short transaction: the entry columns every
 * importer writes (insert-batch.ts) plus the proxy's own (latency, time to first byte,
 * status, prompt hash). `batch_id` is null: proxy rows are not an import, so
 * `llmfin import --list` is not flooded by a flush every 250 ms. Idempotent on
 * (source, dedupe_key) like every ledger write, so a retried flush cannot duplicate.
 * Rows arrive as value arrays in ROW_COLUMNS order (attempt-entry.ts); the columns
 * every proxy row has the same value in are literals in the statement.
 *
 * A background response's row (background-responses.ts) is written twice: when it is
 * created, as an estimate, and once more when the proxy sees it finish, as an update
 * (`proxyReplaceSql`) of its pricing columns — only while the row in the ledger still
 * says the response is pending, so a replacement retried, or sent twice, changes nothing
 * the second time. Replacements run after the batch's inserts, in the same transaction;
 * the ledger's update trigger marks the row's day for the rollup.
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

/**
 * The columns a replacement rewrites: what the usage decides (model served, tokens, cost,
 * raw usage, description). The request's own facts (time, attribution, latency, status,
 * prompt hash) and `created_at` stay as they were written.
 */
export const REPLACED_COLUMNS = [
  'model', 'matched_model', 'offering', 'input_tokens', 'uncached_input_tokens', 'cache_read_tokens', 'cache_write_5m_tokens', 'cache_write_1h_tokens',
  'input_audio_tokens', 'input_image_tokens', 'output_tokens', 'reasoning_tokens', 'output_audio_tokens', 'output_image_tokens', 'service_tier',
  'raw_usage', 'cost_usd', 'cost_ticks', 'cost_status', 'price_ref', 'catalogue_version', 'description', 'web_search_requests',
] as const;

/** The raw_usage statuses of a background response still running (attempt-entry.ts writes `background.status`). */
const PENDING_STATUSES = "('queued', 'in_progress')";

const replaceCache = new WeakMap<Kysely<LedgerDatabase>, string>();

/**
 * The UPDATE that replaces a background response's row: REPLACED_COLUMNS set, matched by
 * dedupe key, only while the row's response is pending. A plain UPDATE, not an upsert: the
 * ledger's rollup trigger inserts with OR IGNORE, which an upsert's own conflict clause
 * would override. Its parameters are `replaceParameters(row)`.
 */
export function proxyReplaceSql(db: Kysely<LedgerDatabase>): string {
  let text = replaceCache.get(db);
  if (text === undefined) {
    const set = Object.fromEntries(REPLACED_COLUMNS.map((c) => [c, 0])) as never;
    const compiled = db
      .updateTable('usage_entries')
      .set(set)
      .where('source', '=', sql.lit('proxy') as never)
      .where('dedupe_key', '=', '')
      .where(sql<boolean>`json_extract(raw_usage, '$.background.status') in ${sql.raw(PENDING_STATUSES)}`)
      .compile();
    if (compiled.parameters.length !== REPLACE_AT.length) throw new Error('proxy replace: unexpected parameter layout');
    text = compiled.sql;
    replaceCache.set(db, text);
  }
  return text;
}

/** Where proxyReplaceSql's parameters are in a row: REPLACED_COLUMNS, then the dedupe key. */
export const REPLACE_AT: readonly number[] = [...REPLACED_COLUMNS, 'dedupe_key'].map((c) => ROW_COLUMNS.indexOf(c));

/** proxyReplaceSql's parameters for `row` (the writer thread, which does not load this module, is given REPLACE_AT). */
export function replaceParameters(row: readonly unknown[]): unknown[] {
  return REPLACE_AT.map((i) => row[i]);
}

/** The chunk size for `left` rows still to write. */
export function chunkFor(left: number): number {
  for (const size of CHUNK_SIZES) if (size <= left) return size;
  return 1;
}

/**
 * Inserts `rows` with a null batch, then applies `replacements` (proxyReplaceSql), in one
 * transaction on this thread; returns the rows inserted.
 */
export async function insertProxyRows(ledger: LedgerStore, rows: readonly ProxyRow[], replacements: readonly ProxyRow[] = []): Promise<number> {
  if (rows.length === 0 && replacements.length === 0) return 0;
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
    for (const row of replacements) await trx.executeQuery(CompiledQuery.raw(proxyReplaceSql(ledger.db), replaceParameters(row)));
    return inserted;
  });
}
