/** Where the ledger's LLM usage begins and ends: its first and latest usage rows (credits, tax and fees aside). */
import { sql } from 'kysely';
import type { LedgerStore } from '../ledger-store.js';

/** The latest usage row's `ts` (ISO UTC), or null when the ledger has no usage. */
export async function latestUsageAt(ledger: LedgerStore): Promise<string | null> {
  const r = await sql<{ last: string | null }>`select max(ts) as last from usage_entries where charge_category = 'usage'`.execute(ledger.db);
  return r.rows[0]?.last ?? null;
}

/** The first and latest usage rows' `ts` (ISO UTC), in one read; both null when the ledger has no usage. */
export async function usageSpan(ledger: LedgerStore): Promise<{ first: string | null; last: string | null }> {
  const r = await sql<{ first: string | null; last: string | null }>`select min(ts) as first, max(ts) as last from usage_entries where charge_category = 'usage'`.execute(ledger.db);
  return { first: r.rows[0]?.first ?? null, last: r.rows[0]?.last ?? null };
}
