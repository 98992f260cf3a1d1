/**
 * The proxy rows written after a given row id, in id order: how a running proxy sees the
 * spend other proxies sharing its ledger record (proxy/ledger/other-proxies-spend.ts).
 * Reads by the primary key, so each call costs what it returns.
 */
import { sql } from 'kysely';
import type { LedgerStore } from '../ledger-store.js';

export interface ProxySpendRow {
  id: number;
  ts: string;
  request_id: string | null;
  cost_ticks: bigint | null;
  provider: string;
  model: string | null;
  matched_model: string | null;
  team: string | null;
  feature: string | null;
  customer: string | null;
  agent: string | null;
  environment: string | null;
  project: string | null;
  tags: string | null;
}

/** The id of the ledger's last usage row, 0 when it has none. */
export async function lastEntryId(ledger: LedgerStore): Promise<number> {
  const r = await ledger.db.selectFrom('usage_entries').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
  return Number(r?.id ?? 0);
}

/**
 * Up to `limit` proxy rows with an id in (`afterId`, `upToId`], oldest first, leaving out
 * those whose request id begins with `notPrefix` (the reading proxy's own: SQLite skips
 * them without building a row, which matters when they are most of what was written).
 */
export async function proxyRowsAfter(ledger: LedgerStore, range: { afterId: number; upToId: number; notPrefix: string }, limit: number): Promise<ProxySpendRow[]> {
  return ledger.db
    .selectFrom('usage_entries')
    .select(['id', 'ts', 'request_id', 'cost_ticks', 'provider', 'model', 'matched_model', 'team', 'feature', 'customer', 'agent', 'environment', 'project', 'tags'])
    .where('id', '>', range.afterId)
    .where('id', '<=', range.upToId)
    .where('source', '=', 'proxy')
    .where(sql<string>`substr(request_id, 1, ${range.notPrefix.length})`, '!=', range.notPrefix)
    .orderBy('id')
    .limit(limit)
    .execute();
}
