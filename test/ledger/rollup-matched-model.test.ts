// The daily rollup is keyed by the catalogue model a row was priced as (`matched_model`), so
// that a budget on `gpt-4o` reads the days of `gpt-4o-2024-08-06` from it too; a ledger
// rolled up before the column existed has its days recomputed when it is opened, not left
// with the column empty.
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { Attributor } from '../../src/attribution/attributor.js';
import { scopedReports } from '../../src/budgets/scoped-reports.js';
import { openLedger, type LedgerStore } from '../../src/ledger/index.js';
import { recordImport } from '../../src/ledger/queries/insert-batch.js';
import { refreshRollups } from '../../src/ledger/rollups/refresh-rollups.js';
import { rewindLedger } from '../helpers/rewind-ledger.js';
import { batch, entry, tempDir } from './ledger-fixtures.js';

const MIGRATION = '2026_12_03_0200_rollup_matched_model';

// $0.10 of the dated snapshot and $0.20 of gpt-4o itself, both priced as gpt-4o.
const ROWS = [
  entry({ dedupe_key: 'a', model: 'gpt-4o-2024-08-06', matched_model: 'gpt-4o', cost_usd: '0.1', ts: '2026-10-05T10:00:00.000Z' }),
  entry({ dedupe_key: 'b', model: 'gpt-4o', matched_model: 'gpt-4o', cost_usd: '0.2', ts: '2026-10-06T10:00:00.000Z' }),
];

/** A budget on gpt-4o's spend by day over whole days, which the rollup answers. */
async function byDay(ledger: LedgerStore) {
  const [report] = await scopedReports(ledger, new Attributor([]), ['day'], [{ where: { model: 'gpt-4o' }, since: '2026-10-01T00:00:00.000Z', until: '2026-11-01T00:00:00.000Z' }]);
  return report!.rows.map((r) => [r.dims.day, r.sums.cost_ticks]);
}

const EXPECTED = [
  ['2026-10-05', 1_000_000_000n],
  ['2026-10-06', 2_000_000_000n],
];

describe('rollup_daily.matched_model', () => {
  it('keys the rollup, so a budget on a model reads its dated rows from it', async () => {
    const ledger = await openLedger(join(tempDir(), 'l.db'));
    await recordImport(ledger, batch(), ROWS);
    await refreshRollups(ledger);
    const rollup = await sql<{ model: string; matched_model: string }>`select model, matched_model from rollup_daily order by model`.execute(ledger.db);
    expect(rollup.rows).toEqual([
      { model: 'gpt-4o', matched_model: 'gpt-4o' },
      { model: 'gpt-4o-2024-08-06', matched_model: 'gpt-4o' },
    ]);
    expect(await byDay(ledger)).toEqual(EXPECTED);
    await ledger.close();
  });

  it('is filled for a ledger rolled up before the column existed', async () => {
    const path = join(tempDir(), 'old.db');
    const ledger = await openLedger(path);
    await recordImport(ledger, batch(), ROWS);
    await refreshRollups(ledger);
    await rewindLedger(ledger, { first: MIGRATION });
    // The rollup as the llmfin before the migration left it: its days rolled up, none dirty.
    await sql`delete from rollup_dirty_days`.execute(ledger.db);
    await sql`insert into rollup_daily (day, provenance, charge_category, provider, source, model, rows, requests, cost_ticks)
      select substr(ts, 1, 10), provenance, charge_category, provider, source, model, count(*), sum(requests), sum(cost_ticks) from usage_entries group by 1, 2, 3, 4, 5, 6`.execute(ledger.db);
    await ledger.close();

    const reopened = await openLedger(path);
    expect(await byDay(reopened)).toEqual(EXPECTED);
    await reopened.close();
  });
});
