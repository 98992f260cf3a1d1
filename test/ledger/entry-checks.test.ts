// An import lets SQLite skip usage_entries' CHECKs for the chunks it has checked itself
// (ENTRY_CHECKS): the lists must be the schema's own, a chunk with any value outside
// them must still be refused by SQLite, and the CHECKs must be back on afterwards.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { NewUsageEntry } from '../../src/ledger/ledger-schema.js';
import type { LedgerStore } from '../../src/ledger/ledger-store.js';
import { ENTRY_CHECKS, ENTRY_COLUMNS, rowValues } from '../../src/ledger/queries/insert-batch.js';
import { packEntryChunk, passesEntryChecks } from '../../src/ledger/queries/entry-chunk.js';
import { recordImportStream } from '../../src/ledger/queries/record-import-stream.js';
import { openLedger } from '../../src/ledger/sqlite/open-sqlite-ledger.js';
import { batch, entry, tempDir, entryBlocks as stream } from './ledger-fixtures.js';


function chunkOf(entries: NewUsageEntry[]) {
  const flat: unknown[] = [];
  entries.forEach((e, i) => rowValues(e, 0, i, flat));
  return packEntryChunk(flat, entries.length);
}

const rows = (n: number, at: (i: number) => Partial<NewUsageEntry> = () => ({})) => Array.from({ length: n }, (_, i) => entry({ dedupe_key: `k${i}`, ...at(i) }));

async function count(ledger: LedgerStore): Promise<number> {
  return Number((await ledger.db.selectFrom('usage_entries').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
}

describe('ENTRY_CHECKS', () => {
  it("are exactly usage_entries' CHECK constraints", async () => {
    const ledger = await openLedger(join(tempDir(), 'l.db'));
    const { sql: ddl } = await ledger.db.selectFrom('sqlite_master' as never).select('sql' as never).where('name' as never, '=', 'usage_entries' as never).executeTakeFirstOrThrow() as { sql: string };
    await ledger.close();
    const checks = [...ddl.matchAll(/check \(((?:[^()]|\([^()]*\))*)\)/gi)].map((m) => m[1]!);
    const parsed = checks.map((text) => {
      const m = /^(\w+) in \(([^()]*)\)$/i.exec(text.trim());
      if (!m) throw new Error(`a CHECK of another form: ${text}`);
      return [m[1]!, m[2]!.split(',').map((v) => v.trim().replace(/^'|'$/g, '')).sort()];
    });
    expect(parsed.sort()).toEqual(ENTRY_CHECKS.map(([column, allowed]) => [column, [...allowed].sort()]).sort());
  });
});

describe('passesEntryChecks', () => {
  it('vouches only for chunks whose checked columns hold allowed values or NULL', () => {
    // Shared, dictionary and per-row (more than 16 values) provenance.
    expect(passesEntryChecks(chunkOf(rows(3)))).toBe(true);
    expect(passesEntryChecks(chunkOf(rows(3, (i) => ({ provenance: i === 1 ? 'billed' : 'metered', charge_category: i === 2 ? 'tax' : 'usage' }))))).toBe(true);
    expect(passesEntryChecks(chunkOf(rows(3, () => ({ provenance: 'bogus' as never }))))).toBe(false);
    expect(passesEntryChecks(chunkOf(rows(3, (i) => ({ provenance: i === 2 ? ('bogus' as never) : 'metered' }))))).toBe(false);
    const many = chunkOf(rows(40, (i) => ({ cost_status: (i === 39 ? 'bogus' : `x${i}`) as never })));
    expect(many.layout[ENTRY_COLUMNS.indexOf('cost_status')]).toBe('V');
    expect(passesEntryChecks(many)).toBe(false);
    // NULL passes a CHECK (NOT NULL is SQLite's to enforce); another type is left to SQLite.
    expect(passesEntryChecks(chunkOf(rows(2, () => ({ cost_status: null as never }))))).toBe(true);
    expect(passesEntryChecks(chunkOf(rows(2, () => ({ charge_category: 1 as never }))))).toBe(false);
  });
});

describe('recordImportStream and the CHECK constraints', () => {
  it('refuses a bad value in a later chunk with the CHECK error, leaves the ledger as it was, and keeps the CHECKs on afterwards', async () => {
    const ledger = await openLedger(join(tempDir(), 'l.db'));
    const good = rows(1200, (i) => ({ dedupe_key: `g${i}` }));
    await recordImportStream(ledger, batch(), stream(good), () => good.length, { replacePeriod: false });
    expect(await count(ledger)).toBe(1200);

    // Same statement shapes as the good import (500-row chunks), one bad row in the second chunk.
    for (const bad of [{ provenance: 'bogus' }, { cost_status: 'bogus' }, { charge_category: 'bogus' }] as unknown as Array<Partial<NewUsageEntry>>) {
      const entries = rows(1200, (i) => ({ dedupe_key: `b${i}`, ...(i === 700 ? bad : {}) }));
      await expect(recordImportStream(ledger, batch(), stream(entries), () => entries.length, { replacePeriod: true })).rejects.toThrow(/CHECK constraint failed/);
      expect(await count(ledger)).toBe(1200);
    }

    // Outside an import the CHECKs hold as before.
    const direct = ledger.db.insertInto('usage_entries').values({ ...entry({ dedupe_key: 'direct' }), provenance: 'bogus' as never });
    await expect(direct.execute()).rejects.toThrow(/CHECK constraint failed/);
    await ledger.close();
  });
});
