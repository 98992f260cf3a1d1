/** `llmfin import --list` and `--undo`: the batches in the ledger, and removing one. */
import { sql } from 'kysely';
import { replacedInvoicesOf } from './insert-invoice.js';
import type { LedgerStore } from '../ledger-store.js';
import type { Provenance } from '../ledger-schema.js';
import { ticksToUsd } from '../../shared/money.js';

export interface BatchListing {
  id: number;
  source: string;
  file_name: string | null;
  /** The organisation the file was imported under (`import --account`), or null. */
  account: string | null;
  imported_at: string;
  rows_read: number;
  rows_imported: number;
  rows_skipped: number;
  rows_replaced: number;
  /** Rows of this batch still in the ledger (a later corrected export may have replaced some). */
  rows_now: number;
  /** The priced and billed rows' cost; `unpriced_rows` of rows_now have no price and are not in it. */
  cost_usd: string;
  unpriced_rows: number;
  /**
   * The invoices the batch holds now (an invoice file's batch has no rows, and its money
   * is in these; a later corrected file takes over an invoice it replaces).
   */
  invoices: number;
}

export async function listBatches(ledger: LedgerStore): Promise<BatchListing[]> {
  const rows = await ledger.db
    .selectFrom('import_batches as b')
    .leftJoin('usage_entries as e', 'e.batch_id', 'b.id')
    .select([
      'b.id',
      'b.source',
      'b.file_name',
      'b.account',
      'b.imported_at',
      'b.rows_read',
      'b.rows_imported',
      'b.rows_skipped',
      'b.rows_replaced',
      sql<number>`count(e.id)`.as('rows_now'),
      sql<bigint>`coalesce(sum(e.cost_ticks), 0)`.as('cost_ticks'),
      sql<number>`count(case when e.cost_status = 'unpriced' then 1 end)`.as('unpriced_rows'),
    ])
    .groupBy('b.id')
    .orderBy('b.id')
    .execute();
  const invoices = new Map<number, number>();
  const counted = await ledger.db.selectFrom('invoices').select((eb) => ['batch_id', eb.fn.countAll<number>().as('n')]).where('batch_id', 'is not', null).groupBy('batch_id').execute();
  for (const c of counted) invoices.set(c.batch_id!, Number(c.n));
  return rows.map((r) => ({
    id: r.id,
    source: r.source,
    file_name: r.file_name,
    account: r.account,
    imported_at: r.imported_at,
    rows_read: r.rows_read,
    rows_imported: r.rows_imported,
    rows_skipped: r.rows_skipped,
    rows_replaced: r.rows_replaced,
    rows_now: Number(r.rows_now),
    cost_usd: ticksToUsd(BigInt(r.cost_ticks as unknown as bigint)).toFixed(),
    unpriced_rows: Number(r.unpriced_rows),
    invoices: invoices.get(r.id) ?? 0,
  }));
}

/** Removes a batch and its rows (the foreign key cascades); returns the rows removed, or undefined if no such batch. */
export async function undoBatch(ledger: LedgerStore, id: number): Promise<number | undefined> {
  return ledger.db.transaction().execute(async (trx) => {
    const batch = await trx.selectFrom('import_batches').select('id').where('id', '=', id).executeTakeFirst();
    if (!batch) return undefined;
    const deleted = await trx.deleteFrom('usage_entries').where('batch_id', '=', id).executeTakeFirst();
    await trx.deleteFrom('invoices').where('batch_id', '=', id).execute();
    await trx.deleteFrom('import_batches').where('id', '=', id).execute();
    return Number(deleted.numDeletedRows);
  });
}

/**
 * The batches holding rows of `source` dated in [from, to) (ISO UTC text), by id.
 * `unnamed`: only rows imported without `import --account`, whose dedupe keys do not start
 * with the "@NAME|" it puts before them (import-account.ts), whichever batch holds them now
 * (a ledger's export read back keeps its rows' keys, not their batches' accounts).
 * `provenances`: only rows of these layers.
 */
export async function batchesOfSourceBetween(
  ledger: LedgerStore,
  source: string,
  from: string,
  to: string,
  options: { unnamed?: boolean; provenances?: readonly Provenance[] } = {},
): Promise<number[]> {
  let query = ledger.db
    .selectFrom('usage_entries')
    .select('batch_id')
    .distinct()
    .where('ts', '>=', from)
    .where('ts', '<', to)
    .where(sql`+source`, '=', source)
    .where('batch_id', 'is not', null);
  if (options.unnamed === true) query = query.where(sql`substr(dedupe_key, 1, 1)`, '!=', '@');
  if (options.provenances !== undefined) query = query.where('provenance', 'in', [...options.provenances]);
  const rows = await query.orderBy('batch_id').execute();
  return rows.map((r) => r.batch_id!);
}

/** The invoices batch `id` recorded (or replaced): undo removes them with its rows. */
export async function invoicesOfBatch(ledger: LedgerStore, id: number): Promise<Array<{ provider: string; number: string }>> {
  return ledger.db.selectFrom('invoices').select(['provider', 'number']).where('batch_id', '=', id).orderBy('id').execute();
}

/**
 * What undoing batch `id` does not bring back: the rows it replaced of earlier imports of
 * its source (a corrected export's predecessors), and those earlier batches that now hold
 * fewer rows than they imported. Undefined when there is no such batch.
 */
export async function replacedByBatch(ledger: LedgerStore, id: number) {
  const batch = await ledger.db.selectFrom('import_batches').select(['source', 'rows_replaced', 'account', 'invoices_replaced']).where('id', '=', id).executeTakeFirst();
  if (batch === undefined) return undefined;
  const { account, invoices_replaced, ...rest } = batch;
  // The invoices its corrected versions replaced (deleted then), with the file that had recorded each.
  const invoices = replacedInvoicesOf(invoices_replaced);
  const files = await batchFileNames(ledger, invoices.map((i) => i.batch_id).filter((b): b is number => b !== null));
  return {
    ...rest,
    short: batch.rows_replaced > 0 ? await earlierBatchesShort(ledger, batch.source, account, id) : [],
    invoices: invoices.map((i) => ({ ...i, file_name: i.batch_id === null ? null : (files.get(i.batch_id) ?? null) })),
  };
}

async function batchFileNames(ledger: LedgerStore, ids: readonly number[]): Promise<Map<number, string | null>> {
  if (ids.length === 0) return new Map();
  const rows = await ledger.db.selectFrom('import_batches').select(['id', 'file_name']).where('id', 'in', [...new Set(ids)]).execute();
  return new Map(rows.map((r) => [r.id, r.file_name]));
}

/**
 * Earlier batches of `source` (before batch `before`) and of its `import --account`
 * (or none) that hold fewer rows than they imported. Another organisation's rows are
 * keyed and accounted apart, so the batch never replaced them: its batches short of
 * rows are so by their own corrections, which undoing them would take back.
 */
async function earlierBatchesShort(ledger: LedgerStore, source: string, account: string | null, before: number) {
  const batches = await ledger.db
    .selectFrom('import_batches')
    .select(['id', 'file_name', 'rows_imported'])
    .where('source', '=', source)
    .where('account', 'is', account)
    .where('id', '<', before)
    .where('rows_imported', '>', 0)
    .execute();
  if (batches.length === 0) return [];
  const now = new Map<number, number>();
  const counts = await ledger.db
    .selectFrom('usage_entries')
    .select((eb) => ['batch_id', eb.fn.countAll<number>().as('n')])
    .where('batch_id', 'in', batches.map((b) => b.id))
    .groupBy('batch_id')
    .execute();
  for (const c of counts) if (c.batch_id !== null) now.set(c.batch_id, Number(c.n));
  return batches.map((b) => ({ ...b, rows_now: now.get(b.id) ?? 0 })).filter((b) => b.rows_now < b.rows_imported);
}

/** The file name and account of each of the batches `ids` (those that still exist), by id. */
export async function batchFiles(ledger: LedgerStore, ids: readonly number[]): Promise<Map<number, { file_name: string | null; account: string | null }>> {
  const out = new Map<number, { file_name: string | null; account: string | null }>();
  // Chunks far under SQLite's bound-variable limit.
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await ledger.db.selectFrom('import_batches').select(['id', 'file_name', 'account']).where('id', 'in', ids.slice(i, i + 500)).execute();
    for (const r of rows) out.set(r.id, { file_name: r.file_name, account: r.account });
  }
  return out;
}

/**
 * A fingerprint of the ledger's imports (every batch but the proxy's own): it changes when
 * an `llmfin import` lands a batch or `--undo` removes one. A running proxy compares it
 * about once a second to know when to read its budgets' spend again.
 */
export async function importsFingerprint(ledger: LedgerStore): Promise<string> {
  const r = await sql<{ last: number | null; n: number }>`select max(id) as last, count(*) as n from import_batches where source != 'proxy'`.execute(ledger.db);
  return `${r.rows[0]?.last ?? 0}:${r.rows[0]?.n ?? 0}`;
}
