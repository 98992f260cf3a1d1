/**
 * How many of a window's cache writes per insight cell went to the 1-hour cache: report
 * rows add both lives into one count, and a 1-hour write costs more (at Anthropic 2× input
 * against 1.25×), so a cell priced as if every write lived five minutes would cost less than
 * the ledger says, and every saving measured against it would be short. Billed rows carry
 * no tokens and are left out; where two layers (provider usage and metered) both record a
 * cell's writes, the larger is kept rather than the sum, since they describe the same requests.
 */
import { sql } from 'kysely';
import type { Attributor } from '../attribution/attributor.js';
import type { LedgerStore } from '../ledger/ledger-store.js';
import { cellOfRow, identifierSql } from './tiered-usage.js';

export async function hourCacheWrites(ledger: LedgerStore, attributor: Attributor, period: { since: string; until: string }): Promise<Map<string, number>> {
  const { cols, groupBy } = identifierSql();
  const result = await sql<{ provenance: string; tokens: number; [column: string]: unknown }>`select provenance, ${cols}, sum(cache_write_1h_tokens) as tokens
    from usage_entries
    where charge_category = 'usage' and provenance <> 'billed' and model is not null and cache_write_1h_tokens > 0
      and ts >= ${period.since} and ts < ${period.until}
    group by provenance, ${groupBy}`.execute(ledger.db);
  // cell → provenance → tokens
  const byLayer = new Map<string, Map<string, number>>();
  for (const r of result.rows) {
    const { key } = cellOfRow(attributor, r);
    let layers = byLayer.get(key);
    if (!layers) byLayer.set(key, (layers = new Map()));
    layers.set(r.provenance, (layers.get(r.provenance) ?? 0) + Number(r.tokens));
  }
  return new Map([...byLayer].map(([key, layers]) => [key, Math.max(...layers.values())]));
}
