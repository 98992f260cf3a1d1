import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewUsageEntry } from '../../src/ledger/ledger-schema.js';
import type { LedgerStore } from '../../src/ledger/ledger-store.js';
import { findBatchByHash } from '../../src/ledger/queries/find-batch-by-hash.js';
import { recordImport } from '../../src/ledger/queries/insert-batch.js';
import { openLedger } from '../../src/ledger/sqlite/open-sqlite-ledger.js';
import { batch, entry, tempDir } from './ledger-fixtures.js';

let ledger: LedgerStore;
beforeEach(async () => {
  ledger = await openLedger(join(tempDir(), 'ledger.db'));
});
afterEach(async () => {
  await ledger.close();
});

async function counts(): Promise<{ entries: number; batches: number }> {
  const entries = await ledger.db.selectFrom('usage_entries').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const batches = await ledger.db.selectFrom('import_batches').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return { entries: entries.n, batches: batches.n };
}

async function keys(): Promise<string[]> {
  const rows = await ledger.db.selectFrom('usage_entries').select('dedupe_key').orderBy('dedupe_key').execute();
  return rows.map((r) => r.dedupe_key);
}

const three = [entry({ dedupe_key: 'a' }), entry({ dedupe_key: 'b' }), entry({ dedupe_key: 'c' })];

describe('recordImport', () => {
  it('inserts entries under a new batch and records the counts', async () => {
    const result = await recordImport(ledger, batch({ file_name: 'usage.csv', file_hash: 'h1', rows_read: 4 }), three);
    expect(result).toEqual({ batchId: 1, rowsImported: 3, rowsSkipped: 0, rowsReplaced: 0 });
    const stored = await ledger.db.selectFrom('import_batches').selectAll().executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ id: 1, source: 'test', file_name: 'usage.csv', rows_read: 4, rows_imported: 3, rows_skipped: 0, rows_replaced: 0, status: 'complete' });
    const rows = await ledger.db.selectFrom('usage_entries').selectAll().orderBy('id').execute();
    expect(rows.map((r) => r.batch_id)).toEqual([1, 1, 1]);
    expect(rows[0]).toMatchObject({ granularity: 'request', requests: 1, input_tokens: 0, currency: 'USD', cost_ticks: 100_000_000n, team: null });
  });

  it('skips entries already in the ledger, and duplicates within one call', async () => {
    await recordImport(ledger, batch(), three);
    const again = await recordImport(ledger, batch(), three);
    expect(again).toEqual({ batchId: 2, rowsImported: 0, rowsSkipped: 3, rowsReplaced: 0 });
    const mixed = await recordImport(ledger, batch(), [entry({ dedupe_key: 'd' }), entry({ dedupe_key: 'd' }), entry({ dedupe_key: 'a' })]);
    expect(mixed).toMatchObject({ rowsImported: 1, rowsSkipped: 2 });
    expect(await keys()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('dedupes per source: the same key from another source is another row', async () => {
    await recordImport(ledger, batch(), [entry({ dedupe_key: 'a' })]);
    const other = await recordImport(ledger, batch({ source: 'other' }), [entry({ dedupe_key: 'a', source: 'other' })]);
    expect(other.rowsImported).toBe(1);
  });

  it('replaces exactly the slice (source, account, [start, end)) and leaves the rest alone', async () => {
    const seed: NewUsageEntry[] = [
      entry({ dedupe_key: 'acme-oct', account: 'acme', ts: '2026-10-31T23:59:59.999Z' }),
      entry({ dedupe_key: 'acme-nov-1', account: 'acme', ts: '2026-11-01T00:00:00.000Z' }),
      entry({ dedupe_key: 'acme-nov-2', account: 'acme', ts: '2026-11-30T23:00:00.000Z' }),
      entry({ dedupe_key: 'acme-dec', account: 'acme', ts: '2026-12-01T00:00:00.000Z' }),
      entry({ dedupe_key: 'beta-nov', account: 'beta', ts: '2026-11-15T00:00:00.000Z' }),
      entry({ dedupe_key: 'none-nov', ts: '2026-11-15T00:00:00.000Z' }),
    ];
    await recordImport(ledger, batch(), seed);
    await recordImport(ledger, batch({ source: 'other' }), [entry({ dedupe_key: 'other-nov', source: 'other', account: 'acme' })]);

    const corrected = [
      entry({ dedupe_key: 'acme-nov-1', account: 'acme', ts: '2026-11-01T00:00:00.000Z', cost_usd: '2' }),
      entry({ dedupe_key: 'acme-nov-3', account: 'acme', ts: '2026-11-02T00:00:00.000Z' }),
    ];
    const result = await recordImport(ledger, batch({ account: 'acme', period_start: '2026-11-01', period_end: '2026-12-01' }), corrected, {
      replaceSlice: { source: 'test', account: 'acme', periodStart: '2026-11-01', periodEnd: '2026-12-01' },
    });
    expect(result).toMatchObject({ rowsImported: 2, rowsSkipped: 0, rowsReplaced: 2 });
    expect(await keys()).toEqual(['acme-dec', 'acme-nov-1', 'acme-nov-3', 'acme-oct', 'beta-nov', 'none-nov', 'other-nov']);
    const replaced = await ledger.db.selectFrom('usage_entries').select(['cost_usd', 'batch_id']).where('dedupe_key', '=', 'acme-nov-1').executeTakeFirstOrThrow();
    expect(replaced).toEqual({ cost_usd: '2', batch_id: 3 });

    // Without an account the slice is the rows that have none.
    const noAccount = await recordImport(ledger, batch(), [], {
      replaceSlice: { source: 'test', periodStart: '2026-11-01', periodEnd: '2026-12-01' },
    });
    expect(noAccount.rowsReplaced).toBe(1);
    expect(await keys()).not.toContain('none-nov');
  });

  it('rolls the whole import back when one entry fails', async () => {
    await recordImport(ledger, batch(), three);
    const before = await counts();
    const bad = [entry({ dedupe_key: 'x' }), entry({ dedupe_key: 'y', provenance: 'bogus' as never })];
    await expect(recordImport(ledger, batch(), bad)).rejects.toThrow(/CHECK constraint failed/);
    expect(await counts()).toEqual(before);

    // A failed replacement restores the slice it deleted.
    await expect(
      recordImport(ledger, batch(), bad, { replaceSlice: { source: 'test', periodStart: '2026-01-01', periodEnd: '2027-01-01' } }),
    ).rejects.toThrow();
    expect(await counts()).toEqual(before);
    expect(await keys()).toEqual(['a', 'b', 'c']);
  });

  it('rolls back on a bad timestamp before anything is written', async () => {
    await expect(recordImport(ledger, batch(), [entry({ dedupe_key: 'a', ts: 'yesterday' })])).rejects.toThrow(/entry 1 ts/);
    expect(await counts()).toEqual({ entries: 0, batches: 0 });
  });

  it('stores timestamps in canonical UTC form and derives ticks from cost_usd', async () => {
    await recordImport(ledger, batch(), [
      entry({ dedupe_key: 'a', ts: '2026-11-10T12:00:00Z', ts_end: '2026-11-10T13:00:00+01:00', cost_usd: '0.0000000001' }),
      entry({ dedupe_key: 'b', cost_usd: null, cost_status: 'unpriced' }),
    ]);
    const rows = await ledger.db.selectFrom('usage_entries').select(['ts', 'ts_end', 'cost_ticks']).orderBy('id').execute();
    expect(rows).toEqual([
      { ts: '2026-11-10T12:00:00.000Z', ts_end: '2026-11-10T12:00:00.000Z', cost_ticks: 1n },
      { ts: '2026-11-10T12:00:00.000Z', ts_end: null, cost_ticks: null },
    ]);
  });

  it('waits for another process that holds the write lock, then writes', async () => {
    // A second process takes the write lock for 400 ms, as a concurrent import would.
    const child = spawn(
      process.execPath,
      [
        '-e',
        `const db = require('better-sqlite3')(process.argv[1]);
         db.exec('begin immediate');
         db.prepare("insert into meta (key, value) values ('other', 'process')").run();
         process.stdout.write('locked\\n');
         Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 400);
         db.exec('commit');
         db.close();`,
        ledger.path,
      ],
      { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await once(child.stdout, 'data');
    const result = await recordImport(ledger, batch(), three);
    expect(result.rowsImported).toBe(3);
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).toBe(0);
    const other = await ledger.db.selectFrom('meta').select('value').where('key', '=', 'other').executeTakeFirst();
    expect(other?.value).toBe('process');
  });

  it('inserts 100,000 entries in one call', async () => {
    const many: NewUsageEntry[] = [];
    for (let i = 0; i < 100_000; i++) {
      many.push(entry({ dedupe_key: `k${i}`, input_tokens: 100, output_tokens: 20, cost_usd: '0.00045', cost_ticks: 4_500_000n, team: i % 2 ? 'search' : null }));
    }
    // Its speed is measured by bench:import, not timed here: a loaded CI machine is no measure.
    const result = await recordImport(ledger, batch(), many);
    expect(result).toMatchObject({ rowsImported: 100_000, rowsSkipped: 0 });
    expect((await counts()).entries).toBe(100_000);
  });
});

describe('findBatchByHash', () => {
  it('finds the latest complete batch of that source and file', async () => {
    await recordImport(ledger, batch({ file_hash: 'abc' }), three);
    await recordImport(ledger, batch({ file_hash: 'abc' }), three);
    await recordImport(ledger, batch({ source: 'other', file_hash: 'def' }), []);
    expect((await findBatchByHash(ledger, 'test', 'abc'))?.id).toBe(2);
    expect(await findBatchByHash(ledger, 'test', 'def')).toBeUndefined();
    expect(await findBatchByHash(ledger, 'other', 'abc')).toBeUndefined();
  });
});
