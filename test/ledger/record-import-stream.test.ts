// A replacing import (a corrected bill) replaces what the earlier version of the same
// export said about its period: rows it re-sends, rows it no longer has, and whole
// accounts it no longer has. Imports that share nothing with it are left alone.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { NewUsageEntry } from '../../src/ledger/ledger-schema.js';
import type { LedgerStore } from '../../src/ledger/ledger-store.js';
import { recordImportStream } from '../../src/ledger/queries/record-import-stream.js';
import { openLedger } from '../../src/ledger/sqlite/open-sqlite-ledger.js';
import { batch, entry, tempDir, entryBlocks as stream } from './ledger-fixtures.js';


const day = (d: number) => new Date(Date.UTC(2026, 9, d, 12)).toISOString();
const row = (key: string, account: string | null, d: number, source = 'bill') => entry({ dedupe_key: key, account, ts: day(d), source, provenance: 'billed', cost_status: 'billed' });

async function record(ledger: LedgerStore, source: string, file: string, rows: NewUsageEntry[]) {
  return recordImportStream(ledger, batch({ source, file_name: file, file_hash: file }), stream(rows), () => rows.length, { replacePeriod: true });
}

async function keys(ledger: LedgerStore): Promise<string[]> {
  const rows = await ledger.db.selectFrom('usage_entries').select(['source', 'dedupe_key']).orderBy('source').orderBy('dedupe_key').execute();
  return rows.map((r) => `${r.source}:${r.dedupe_key}`);
}

describe('recordImportStream with replacePeriod', () => {
  it('a corrected export without an account removes that account, and the rows without one, for its period only', async () => {
    const ledger = await openLedger(join(tempDir(), 'l.db'));
    // v1 of the bill: accounts A and B and an account-less line over Oct 1-10, and one B line on Oct 20.
    await record(ledger, 'bill', 'v1', [row('a1', 'A', 1), row('a2', 'A', 5), row('b1', 'B', 2), row('b2', 'B', 10), row('n1', null, 3), row('b-late', 'B', 20)]);
    // Another source's rows for account B in the same days: not the same export.
    await record(ledger, 'other', 'o1', [row('o1', 'B', 4, 'other')]);
    // v2 covers Oct 1-10 and has only account A: a1 again, a2 gone, a3 new.
    const v2 = await record(ledger, 'bill', 'v2', [row('a1', 'A', 1), row('a3', 'A', 10)]);
    // a1 re-sent (1), a2 no longer there (1), B's and the account-less rows inside Oct 1-10 (3).
    expect(v2.rowsReplaced).toBe(5);
    expect(await keys(ledger)).toEqual(['bill:a1', 'bill:a3', 'bill:b-late', 'other:o1']);
    await ledger.close();
  });

  it("an export covering the end of an earlier one's period replaces every account's rows in its whole span, not only from each account's first row", async () => {
    const ledger = await openLedger(join(tempDir(), 'l.db'));
    // v1 covers Oct 5-7: A on the 5th and 7th, B on the 5th and 7th.
    await record(ledger, 'bill', 'v1', [row('a5', 'A', 5), row('b5', 'B', 5), row('a7', 'A', 7), row('b7', 'B', 7)]);
    // v2 covers Oct 7-8: A's Oct 7 row again, and B only on the 8th. B had nothing on the 7th.
    const v2 = await record(ledger, 'bill', 'v2', [row('a7', 'A', 7), row('b8', 'B', 8)]);
    // a7 re-sent (1) and b7, inside v2's span though before B's first row in it (1).
    expect(v2.rowsReplaced).toBe(2);
    expect(await keys(ledger)).toEqual(['bill:a5', 'bill:a7', 'bill:b5', 'bill:b8']);
    await ledger.close();
  });

  it('names the earlier batches it replaced rows of, with how many of each, whichever step replaced them', async () => {
    const ledger = await openLedger(join(tempDir(), 'l.db'));
    // Batch 1: A on Oct 1, 5 and 9. Batch 2: B on Oct 2 and 6. Batch 3: another source.
    await record(ledger, 'bill', 'v1', [row('a1', 'A', 1), row('a5', 'A', 5), row('a9', 'A', 9)]);
    await record(ledger, 'bill', 'o1', [row('b2', 'B', 2), row('b6', 'B', 6)]);
    await record(ledger, 'other', 'x1', [row('x2', 'B', 2, 'other')]);
    // Batch 4 covers Oct 1-6: a1 again (batch 1, by key), B on Oct 6 (batch 2's b6, by the
    // sweep of B's span) and C on Oct 3. Batches 1 and 2 are thereby earlier versions of it,
    // so their rows inside Oct 1-6 go too: a5 (batch 1) and b2 (batch 2). a9 is after the span.
    const v2 = await record(ledger, 'bill', 'v2', [row('a1', 'A', 1), row('b6x', 'B', 6), row('c3', 'C', 3)]);
    expect(v2).toMatchObject({ rowsImported: 3, rowsReplaced: 4, replacedBatches: [{ batchId: 1, rows: 2 }, { batchId: 2, rows: 2 }] });
    expect(await keys(ledger)).toEqual(['bill:a1', 'bill:a9', 'bill:b6x', 'bill:c3', 'other:x2']);
    // A file sharing nothing with the ledger's rows replaces nothing, and names no batch.
    const apart = await record(ledger, 'bill', 'p2', [row('d1', 'D', 1)]);
    expect(apart).toMatchObject({ rowsReplaced: 0, replacedBatches: [] });
    await ledger.close();
  });

  it("a batch of another source (a ledger's export read back) is not an earlier version: only its rows the file re-sends or whose account it covers go", async () => {
    const ledger = await openLedger(join(tempDir(), 'l.db'));
    // Batch 1, source llmfin (no replacement of its own): bill rows of accounts A and B over Oct 1-5, as an export restores them.
    const restored = [row('a1', 'A', 1), row('a5', 'A', 5), row('b2', 'B', 2), row('b4', 'B', 4)];
    await recordImportStream(ledger, batch({ source: 'llmfin', file_name: 'all.jsonl', file_hash: 'all' }), stream(restored), () => 4, { replacePeriod: false });
    // A corrected bill for account A over Oct 1-5: a1 again, a5 gone, a5x new.
    const v2 = await record(ledger, 'bill', 'v2', [row('a1', 'A', 1), row('a5x', 'A', 5)]);
    // a1 by its key and a5 by A's span (2); B's b2 and b4, inside Oct 1-5 in the same batch,
    // are no earlier version of this bill and stay (before, all 4 of batch 1 went).
    expect(v2).toMatchObject({ rowsImported: 2, rowsReplaced: 2, replacedBatches: [{ batchId: 1, rows: 2 }] });
    expect(await keys(ledger)).toEqual(['bill:a1', 'bill:a5x', 'bill:b2', 'bill:b4']);
    await ledger.close();
  });

  it("keeps an earlier row whose bucket ends after the file's period, and names its batch as a coarser export", async () => {
    const ledger = await openLedger(join(tempDir(), 'l.db'));
    const at = (iso: string) => new Date(iso).toISOString();
    const bucket = (key: string, account: string, from: string, to: string) => entry({ dedupe_key: key, account, ts: at(from), ts_end: at(to), source: 'bill', provenance: 'billed', cost_status: 'billed' });
    // Batch 1, daily: A on Sep 30 and Oct 1, B on Oct 1.
    await record(ledger, 'bill', 'daily', [bucket('a-0930', 'A', '2026-09-30T00:00Z', '2026-10-01T00:00Z'), bucket('a-1001', 'A', '2026-10-01T00:00Z', '2026-10-02T00:00Z'), bucket('b-1001', 'B', '2026-10-01T00:00Z', '2026-10-02T00:00Z')]);
    // Batch 2, hourly, stating Sep 30 00:00 to Oct 1 02:00: it speaks for Sep 30 whole, and
    // for Oct 1's first two hours only, so the daily Oct 1 rows also hold hours it does not.
    const hourly = [bucket('a-0930T06', 'A', '2026-09-30T06:00Z', '2026-09-30T07:00Z'), bucket('a-1001T01', 'A', '2026-10-01T01:00Z', '2026-10-01T02:00Z')];
    const r = await recordImportStream(ledger, batch({ source: 'bill', file_name: 'hourly', file_hash: 'hourly' }), stream(hourly), () => 2, {
      replacePeriod: true,
      statedPeriod: () => ({ from: at('2026-09-30T00:00Z'), to: at('2026-10-01T02:00Z') }),
      overlaps: { groupedAccounts: false, kindInAccount: false, groupOwnsUsage: false, refuse: false },
    });
    // Only Sep 30's daily row is inside the period; before, both Oct 1 rows went too (A's by
    // its span, B's as batch 1's row in the file's span) and their 22 later hours with them.
    expect(r).toMatchObject({ rowsReplaced: 1, replacedBatches: [{ batchId: 1, rows: 1 }] });
    expect(r.overlaps).toEqual([{ batchId: 1, fileName: 'daily', kind: 'coarser', edge: 'end', firstDay: '2026-10-01', lastDay: '2026-10-01' }]);
    expect(await keys(ledger)).toEqual(['bill:a-0930T06', 'bill:a-1001', 'bill:a-1001T01', 'bill:b-1001']);
    await ledger.close();
  });

  it('an export sharing no row and no account with an earlier one leaves it alone', async () => {
    const ledger = await openLedger(join(tempDir(), 'l.db'));
    await record(ledger, 'bill', 'payer-1', [row('p1-a', 'A', 1), row('p1-b', 'B', 5)]);
    const other = await record(ledger, 'bill', 'payer-2', [row('p2-c', 'C', 1), row('p2-d', 'D', 5)]);
    expect(other.rowsReplaced).toBe(0);
    expect(await keys(ledger)).toEqual(['bill:p1-a', 'bill:p1-b', 'bill:p2-c', 'bill:p2-d']);
    await ledger.close();
  });

  it("a source's first import skips the per-chunk DELETE but still replaces a key it repeats in a later chunk, and keeps a chunk's first duplicate", async () => {
    const ledger = await openLedger(join(tempDir(), 'l.db'));
    // 1,201 rows in three chunks of 500: k0 again in the second chunk, k7 twice in the first.
    const rows = Array.from({ length: 1201 }, (_, i) => entry({ dedupe_key: i === 600 ? 'k0' : i === 8 ? 'k7' : `k${i}`, account: 'A', ts: day(1 + (i % 20)), source: 'bill', provenance: 'billed', cost_status: 'billed', description: `row ${i}` }));
    const result = await record(ledger, 'bill', 'v1', rows);
    expect(result).toMatchObject({ rowsImported: 1200, rowsSkipped: 1, rowsReplaced: 1 });
    const described = async (key: string) => (await ledger.db.selectFrom('usage_entries').select('description').where('dedupe_key', '=', key).executeTakeFirstOrThrow()).description;
    // The repeat in a later chunk replaced the first row; the repeat within a chunk was skipped.
    expect([await described('k0'), await described('k7')]).toEqual(['row 600', 'row 7']);
    expect((await keys(ledger)).length).toBe(1199);
    // The next import of the same source takes the DELETE path: re-sent rows are replaced.
    const again = await record(ledger, 'bill', 'v2', rows.slice(0, 3));
    expect(again.rowsImported).toBe(3);
    expect(again.rowsReplaced).toBeGreaterThanOrEqual(3);
    expect(await described('k0')).toBe('row 0');
    await ledger.close();
  });
});
