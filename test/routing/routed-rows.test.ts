import { describe, expect, it } from 'vitest';
import type { NewUsageEntry } from '../../src/ledger/ledger-schema.js';
import { recordImport } from '../../src/ledger/queries/insert-batch.js';
import { routedRows } from '../../src/routing/routed-rows.js';
import { freshLedger } from '../helpers/import.js';

function row(n: number, ts: string): NewUsageEntry {
  return {
    source: 'proxy', dedupe_key: `row-${n}`, account: null, provider: 'openai', provenance: 'metered', model: 'gpt-4o', ts, granularity: 'request',
    requests: 1, cost_status: 'priced', cost_usd: '0', request_id: `req-${n}`, created_at: ts,
  } as NewUsageEntry;
}

describe('routedRows', () => {
  it('reads every row once, in time order (ties by id), across pages that split rows of the same time', async () => {
    const ledger = await freshLedger();
    try {
      // Written out of time order, as several proxies sharing a ledger or an unsorted import write them:
      // the later second's 1,003 rows first (lower ids), then 4,000 rows of the earlier second.
      const late = Array.from({ length: 1003 }, (_, i) => row(i, '2026-11-19T10:00:01.000Z'));
      const early = Array.from({ length: 4000 }, (_, i) => row(10_000 + i, '2026-11-19T10:00:00.000Z'));
      const batch = { source: 'proxy', file_name: null, file_hash: null, file_size: null, account: null, period_start: null, period_end: null, llmfin_version: 'test', catalogue_version: null };
      await recordImport(ledger, batch, [...late, ...early]);
      const seen: Array<{ id: number; ts: string; request_id: string | null }> = [];
      for await (const r of routedRows(ledger, new Date('2026-11-19T00:00:00Z'), new Date('2026-11-20T00:00:00Z'))) seen.push(r);
      expect(seen).toHaveLength(5003);
      expect(new Set(seen.map((r) => r.id)).size).toBe(5003);
      // The early second first, each second's rows by id; a page of 5,000 ends inside the later second.
      expect(seen.slice(0, 4000).every((r) => r.ts === '2026-11-19T10:00:00.000Z')).toBe(true);
      expect(seen.slice(4000).every((r) => r.ts === '2026-11-19T10:00:01.000Z')).toBe(true);
      for (let i = 1; i < seen.length; i++) if (seen[i]!.ts === seen[i - 1]!.ts) expect(seen[i]!.id).toBeGreaterThan(seen[i - 1]!.id);
      expect(seen[0]!.request_id).toBe('req-10000');
      expect(seen.at(-1)!.request_id).toBe('req-1002');
    } finally {
      await ledger.close();
    }
  });
});
