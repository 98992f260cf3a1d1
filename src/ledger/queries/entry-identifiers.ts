/** One ledger row's identifiers, for `llmfin attribute --explain ROW`. */
import type { LedgerStore } from '../ledger-store.js';

export interface EntryIdentifiers {
  id: number;
  ts: string;
  provenance: string;
  source: string;
  ids: Record<string, string | null>;
}

/**
 * The ledger rows whose dedupe key is `key`: the `id` that `llmfin export` writes for a row.
 * A key is unique within its source, so this is one row unless two sources share it.
 */
export async function entryIdsByKey(ledger: LedgerStore, key: string): Promise<Array<{ id: number; source: string }>> {
  return ledger.db.selectFrom('usage_entries').select(['id', 'source']).where('dedupe_key', '=', key).orderBy('id').limit(10).execute();
}

export async function entryIdentifiers(ledger: LedgerStore, id: number): Promise<EntryIdentifiers | undefined> {
  const row = await ledger.db
    .selectFrom('usage_entries')
    .select(['id', 'ts', 'provenance', 'source', 'provider', 'account', 'model', 'project', 'api_key', 'workspace', 'user', 'customer', 'team', 'feature', 'agent', 'environment', 'trace_id', 'tags'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  const { id: rowId, ts, provenance, trace_id, ...rest } = row;
  return { id: rowId, ts, provenance, source: row.source, ids: { ...rest, trace: trace_id } };
}
