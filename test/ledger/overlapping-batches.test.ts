// The same usage under another grouping is told from other usage by its totals per day and
// model: tokens exactly, money within a cent (README, "The same usage under another grouping").
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { NewUsageEntry } from '../../src/ledger/ledger-schema.js';
import type { LedgerStore } from '../../src/ledger/ledger-store.js';
import { recordImportStream } from '../../src/ledger/queries/record-import-stream.js';
import { openLedger } from '../../src/ledger/sqlite/open-sqlite-ledger.js';
import { batch, entry, tempDir, entryBlocks as stream } from './ledger-fixtures.js';

// Daily buckets of Oct 1.
const ts = new Date(Date.UTC(2026, 9, 1)).toISOString();
const tsEnd = new Date(Date.UTC(2026, 9, 2)).toISOString();
const row = (key: string, account: string | null, tokens: number, usd: string) => entry({ dedupe_key: key, account, ts, ts_end: tsEnd, source: 'usage', provenance: 'provider_usage', input_tokens: tokens, cost_usd: usd });

async function record(ledger: LedgerStore, file: string, rows: NewUsageEntry[], rollback = false) {
  return recordImportStream(ledger, batch({ source: 'usage', file_name: file, file_hash: file }), stream(rows), () => rows.length, {
    replacePeriod: true,
    overlaps: { groupedAccounts: true, kindInAccount: false, groupOwnsUsage: false, refuse: false },
    rollback,
  });
}

describe('overlappingBatches', () => {
  it('takes totals within a cent for the same usage grouped otherwise, and a larger gap for other usage', async () => {
    const ledger = await openLedger(join(tempDir(), 'l.db'));
    // Oct 1 by model: 1,000 tokens, $10.00.
    await record(ledger, 'by-model', [row('m', null, 1000, '10.00')]);
    // The same day by project: 600 + 400 tokens, $6.004 + $4.00 = $10.004, $0.004 apart (rounding).
    const near = await record(ledger, 'by-project', [row('a', 'A', 600, '6.004'), row('b', 'B', 400, '4.00')], true);
    expect(near.overlaps).toEqual([{ batchId: 1, fileName: 'by-model', kind: 'same-usage', firstDay: '2026-10-01', lastDay: '2026-10-01' }]);
    // $10.02: two cents apart, not the same usage for sure.
    const far = await record(ledger, 'other', [row('a2', 'A', 600, '6.02'), row('b2', 'B', 400, '4.00')]);
    expect(far.overlaps).toEqual([{ batchId: 1, fileName: 'by-model', kind: 'maybe', firstDay: '2026-10-01', lastDay: '2026-10-01' }]);
    await ledger.close();
  });
});
