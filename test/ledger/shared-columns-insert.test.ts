// The streamed import binds columns that are the same in a whole chunk once
// (sharedColumnsInsert); the rows stored must be exactly those of the plain insert.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { NewUsageEntry } from '../../src/ledger/ledger-schema.js';
import type { LedgerStore } from '../../src/ledger/ledger-store.js';
import { recordImport, rowValues } from '../../src/ledger/queries/insert-batch.js';
import { packEntryChunk } from '../../src/ledger/queries/entry-chunk.js';
import { CODE_DICTIONARIES } from '../../src/ledger/queries/dictionary-code.js';
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

/** Rows in which some twenty columns each take a few values: dictionaries past one code of thirteen. */
function manyDictionaries(n: number): NewUsageEntry[] {
  const few = (i: number, k: number) => `v${(i + k) % (2 + (k % 15))}`;
  return Array.from({ length: n }, (_, i) =>
    entry({
      dedupe_key: `m${i}`,
      ts: new Date(Date.UTC(2026, 10, 1) + i * 60_000).toISOString(),
      provider: `p${i % 3}`, account: few(i, 1), model: few(i, 2), model_requested: few(i, 3), matched_model: few(i, 4), region: few(i, 5),
      description: few(i, 6), price_ref: few(i, 7), team: few(i, 8), feature: few(i, 9), customer: few(i, 10), agent: few(i, 11),
      project: few(i, 12), environment: few(i, 13), api_key: few(i, 14), workspace: few(i, 15), user: few(i, 16), trace_id: few(i, 17),
      request_id: few(i, 18), prompt_hash: few(i, 19),
      input_tokens: i % 9, output_tokens: i % 13, reasoning_tokens: i % 2, cache_read_tokens: i % 5,
      cost_usd: `0.0${i % 11}`, cost_ticks: BigInt(i % 11) * 1_000_000_000n,
    }),
  );
}

describe('shared-column chunk inserts', () => {
  it('store the same rows as the one-placeholder-per-value insert, in chunks of any shape', async () => {
    // The many-dictionary rows do need more than one code a row.
    const flat: unknown[] = [];
    manyDictionaries(250).forEach((e, i) => rowValues(e, 0, i, flat));
    expect(packEntryChunk(flat, 250).dictionaries.length).toBeGreaterThan(CODE_DICTIONARIES);
    for (const [make, n] of [[entries, 1], [entries, 2], [entries, 9], [entries, 1203], [manyDictionaries, 700]] as const) {
      const dir = tempDir();
      const plain = await openLedger(join(dir, 'plain.db'));
      const shared = await openLedger(join(dir, 'shared.db'));
      const a = await recordImport(plain, batch(), make(n));
      const b = await recordImportStream(shared, batch(), stream(make(n)), () => n, { replacePeriod: false });
      expect({ imported: b.rowsImported, skipped: b.rowsSkipped }).toEqual({ imported: a.rowsImported, skipped: a.rowsSkipped });
      expect(await stored(shared)).toEqual(await stored(plain));
      await plain.close();
      await shared.close();
    }
  });
});
