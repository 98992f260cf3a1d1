// The streamed import binds columns that are the same in a whole chunk once
// (sharedColumnsInsert); the rows stored must be exactly those of the plain insert.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { NewUsageEntry } from '../../src/ledger/ledger-schema.js';
import type { LedgerStore } from '../../src/ledger/ledger-store.js';
import { recordImport } from '../../src/ledger/queries/insert-batch.js';
import { recordImportStream } from '../../src/ledger/queries/record-import-stream.js';
import { openLedger } from '../../src/ledger/sqlite/open-sqlite-ledger.js';
import { batch, entry, tempDir, entryBlocks as stream } from './ledger-fixtures.js';


async function stored(ledger: LedgerStore): Promise<unknown[]> {
  const rows = await ledger.db.selectFrom('usage_entries').selectAll().orderBy('id').execute();
  return rows.map(({ id: _id, batch_id: _b, ...rest }) => rest);
}

function entries(n: number): NewUsageEntry[] {
  return Array.from({ length: n }, (_, i) =>
    entry({
      // A key repeated within a chunk: the first row stays.
      dedupe_key: i === 7 ? 'k3' : `k${i}`,
      // Few values in a chunk (a dictionary), many (one per row), or a copy of another column.
      team: i % 3 === 0 ? null : `t${i % 3}`,
      input_tokens: 1000 + (i % 4),
      model: `m${i % 17}`,
      output_tokens: i % 16,
      cost_usd: i % 5 === 0 ? null : `0.00${i}`,
      cost_ticks: i % 5 === 0 ? null : BigInt(i) * 10_000_000n + 9_007_199_254_740_993n,
      reported_cost_usd: i % 5 === 0 ? null : `0.00${i}`,
      estimated_cost_ticks: i % 5 === 0 ? null : BigInt(i) * 10_000_000n + 9_007_199_254_740_993n,
      tags: i % 2 === 0 ? `{"n":${i}}` : null,
      cost_status: i % 5 === 0 ? 'unpriced' : 'priced',
      ts: new Date(Date.UTC(2026, 10, 1) + i * 1000).toISOString(),
    }),
  );
}

describe('shared-column chunk inserts', () => {
  it('store the same rows as the one-placeholder-per-value insert, in chunks of any shape', async () => {
    for (const n of [1, 2, 9, 1203]) {
      const dir = tempDir();
      const plain = await openLedger(join(dir, 'plain.db'));
      const shared = await openLedger(join(dir, 'shared.db'));
      const a = await recordImport(plain, batch(), entries(n));
      const b = await recordImportStream(shared, batch(), stream(entries(n)), () => n, { replacePeriod: false });
      expect({ imported: b.rowsImported, skipped: b.rowsSkipped }).toEqual({ imported: a.rowsImported, skipped: a.rowsSkipped });
      expect(await stored(shared)).toEqual(await stored(plain));
      await plain.close();
      await shared.close();
    }
  });
});
