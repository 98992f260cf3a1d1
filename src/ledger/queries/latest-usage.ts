/** When the ledger's LLM usage ends: the time of its latest usage row (credits, tax and fees aside). */
import { sql } from 'kysely';
import type { LedgerStore } from '../ledger-store.js';

/** The latest usage row's `ts` (ISO UTC), or null when the ledger has no usage. */
export async function latestUsageAt(ledger: LedgerStore): Promise<string | null> {
  const r = await sql<{ last: string | null }>`select max(ts) as last from usage_entries where charge_category = 'usage'`.execute(ledger.db);
  return r.rows[0]?.last ?? null;
}
