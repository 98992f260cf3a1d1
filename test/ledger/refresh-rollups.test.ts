// The daily rollup must always equal a GROUP BY over the ledger rows it summarises,
// after appends, deletions (undo, replaced slices) and appends into dirty days.
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openLedger, type LedgerStore } from '../../src/ledger/index.js';
import { recordImport } from '../../src/ledger/queries/insert-batch.js';
import { undoBatch } from '../../src/ledger/queries/import-batches.js';
import { refreshRollups } from '../../src/ledger/rollups/refresh-rollups.js';
import { batch, entry, tempDir } from './ledger-fixtures.js';

/** Per day, layer and team: rows, requests and ticks, from the rollup and from the rows. */
async function both(ledger: LedgerStore) {
  const fromRollup = await sql<{ k: string; rows: number; requests: number; cost_ticks: bigint }>`
    select day || '|' || provenance || '|' || team as k, sum(rows) as rows, sum(requests) as requests, sum(cost_ticks) as cost_ticks
    from rollup_daily group by 1 having sum(rows) > 0 order by 1`.execute(ledger.db);
  const fromRows = await sql<{ k: string; rows: number; requests: number; cost_ticks: bigint }>`
    select substr(ts, 1, 10) || '|' || provenance || '|' || coalesce(team, '') as k, count(*) as rows, sum(requests) as requests,
      coalesce(sum(cost_ticks), 0) as cost_ticks
    from usage_entries group by 1 order by 1`.execute(ledger.db);
  return { rollup: fromRollup.rows, rows: fromRows.rows };
}

describe('refreshRollups', () => {
  it('adds appended rows, recomputes days whose rows were deleted, and stays equal to the rows', async () => {
    const ledger = await openLedger(join(tempDir(), 'l.db'));
    const first = await recordImport(ledger, batch(), [
      entry({ dedupe_key: 'a', team: 'search', cost_usd: '0.25', ts: '2026-10-01T10:00:00.000Z', requests: 2 }),
      entry({ dedupe_key: 'b', team: 'search', cost_usd: '0.5', ts: '2026-10-01T11:00:00.000Z' }),
      entry({ dedupe_key: 'c', cost_usd: '1.125', ts: '2026-10-02T00:00:00.000Z' }),
    ]);
    expect(await refreshRollups(ledger)).toEqual({ rolledForward: 3, recomputedDays: 0 });
    let state = await both(ledger);
    expect(state.rollup).toEqual(state.rows);
    // 0.25 + 0.5 = 0.75 USD = 7,500,000,000 ticks, in one rollup row.
    expect(state.rollup[0]).toEqual({ k: '2026-10-01|metered|search', rows: 2, requests: 3, cost_ticks: 7_500_000_000n });

    // Nothing new: nothing to do.
    expect(await refreshRollups(ledger)).toEqual({ rolledForward: 0, recomputedDays: 0 });

    const second = await recordImport(ledger, batch({ file_hash: 'h2' }), [
      entry({ dedupe_key: 'd', team: 'search', cost_usd: '2', ts: '2026-10-01T12:00:00.000Z' }),
      entry({ dedupe_key: 'e', team: 'ads', cost_usd: '3', ts: '2026-10-03T12:00:00.000Z' }),
    ]);
    await undoBatch(ledger, first.batchId);
    // Undo deleted rows of 10-01 and 10-02 (already rolled up); 10-01 also has a new row.
    expect(await refreshRollups(ledger)).toEqual({ rolledForward: 2, recomputedDays: 2 });
    state = await both(ledger);
    expect(state.rollup).toEqual(state.rows);
    expect(state.rollup).toEqual([
      { k: '2026-10-01|metered|search', rows: 1, requests: 1, cost_ticks: 20_000_000_000n },
      { k: '2026-10-03|metered|ads', rows: 1, requests: 1, cost_ticks: 30_000_000_000n },
    ]);

    await undoBatch(ledger, second.batchId);
    await refreshRollups(ledger);
    state = await both(ledger);
    expect(state.rollup).toEqual([]);
    expect(state.rows).toEqual([]);
    await ledger.close();
  });

  it('recomputes the day of a row that was updated in place', async () => {
    const ledger = await openLedger(join(tempDir(), 'u.db'));
    await recordImport(ledger, batch(), [entry({ dedupe_key: 'a', team: 'search', cost_usd: '0.25', ts: '2026-10-01T10:00:00.000Z' })]);
    await refreshRollups(ledger);
    // 0.25 -> 0.75 USD: 7,500,000,000 ticks, as re-pricing writes it.
    await ledger.db.updateTable('usage_entries').set({ cost_usd: '0.75', cost_ticks: 7_500_000_000n }).where('dedupe_key', '=', 'a').execute();
    expect(await refreshRollups(ledger)).toEqual({ rolledForward: 0, recomputedDays: 1 });
    const state = await both(ledger);
    expect(state.rollup).toEqual(state.rows);
    expect(state.rollup).toEqual([{ k: '2026-10-01|metered|search', rows: 1, requests: 1, cost_ticks: 7_500_000_000n }]);
    await ledger.close();
  });
});
