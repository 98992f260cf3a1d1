// usageSpan reads where the ledger's LLM usage begins and ends. It walks the `ts` index from
// each end rather than scanning the table, so it must step past credits, tax and fees stamped
// before the first usage row or after the last one, and must not read the table to do it.
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LedgerStore } from '../../../src/ledger/ledger-store.js';
import { recordImport } from '../../../src/ledger/queries/insert-batch.js';
import { usageEndQuery, usageSpan } from '../../../src/ledger/queries/latest-usage.js';
import { openLedger } from '../../../src/ledger/sqlite/open-sqlite-ledger.js';
import { batch, entry, tempDir } from '../ledger-fixtures.js';

let ledger: LedgerStore;
beforeEach(async () => {
  ledger = await openLedger(join(tempDir(), 'ledger.db'));
});
afterEach(async () => {
  await ledger.close();
});

describe('usageSpan', () => {
  it('is the first and latest usage rows, past a credit before them and tax after them', async () => {
    await recordImport(ledger, batch(), [
      entry({ dedupe_key: 'credit', ts: '2026-10-01T00:00:00.000Z', charge_category: 'credit', cost_usd: '-5' }),
      entry({ dedupe_key: 'u1', ts: '2026-10-03T08:00:00.000Z', cost_usd: '1.25' }),
      entry({ dedupe_key: 'u2', ts: '2026-10-20T17:30:00.000Z', cost_usd: '2.5' }),
      entry({ dedupe_key: 'u3', ts: '2026-10-11T00:00:00.000Z', cost_usd: '0.5' }),
      entry({ dedupe_key: 'tax', ts: '2026-10-31T23:00:00.000Z', charge_category: 'tax', cost_usd: '0.42' }),
    ]);
    expect(await usageSpan(ledger)).toEqual({ first: '2026-10-03T08:00:00.000Z', last: '2026-10-20T17:30:00.000Z' });
  });

  it('says when a ledger with no usage holds other charges, and when it holds nothing', async () => {
    expect(await usageSpan(ledger)).toEqual({ first: null, last: null, otherCharges: false });
    await recordImport(ledger, batch(), [entry({ dedupe_key: 'tax', ts: '2026-10-31T23:00:00.000Z', charge_category: 'tax', cost_usd: '0.42' })]);
    expect(await usageSpan(ledger)).toEqual({ first: null, last: null, otherCharges: true });
  });

  it('reads each end down the ts index, not by scanning and sorting the table', async () => {
    const plan = async (query: Parameters<typeof sql>[1]) => (await sql<{ detail: string }>`explain query plan ${query}`.execute(ledger.db)).rows.map((r) => r.detail).join(' | ');
    for (const end of ['asc', 'desc'] as const) {
      const detail = await plan(usageEndQuery(end));
      expect(detail).toMatch(/^SCAN usage_entries USING INDEX usage_entries_ts$/);
    }
    // What it replaces: min and max with the filter read every row.
    expect(await plan(sql`select min(ts), max(ts) from usage_entries where charge_category = 'usage'`)).toBe('SCAN usage_entries');
  });
});
