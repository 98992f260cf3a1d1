// The daily rollup's tokened cost (the cost of the rows that count their tokens) equals
// the same sum over the rows, and a ledger rolled up before the column existed gets it
// filled when it is opened: its days are recomputed, not left at 0.
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openLedger, type LedgerStore } from '../../src/ledger/index.js';
import { recordImport } from '../../src/ledger/queries/insert-batch.js';
import { refreshRollups } from '../../src/ledger/rollups/refresh-rollups.js';
import { runCli } from '../helpers/cli.js';
import { rewindLedger } from '../helpers/rewind-ledger.js';
import { batch, entry, tempDir } from './ledger-fixtures.js';

/** Per day: cost and tokened cost in ticks, from the rollup and from the rows. */
async function both(ledger: LedgerStore) {
  const rollup = await sql<{ day: string; cost: number; tokened: number }>`
    select day, sum(cost_ticks) as cost, sum(tokened_cost_ticks) as tokened from rollup_daily group by 1 order by 1`.execute(ledger.db);
  const rows = await sql<{ day: string; cost: number; tokened: number }>`
    select substr(ts, 1, 10) as day, coalesce(sum(cost_ticks), 0) as cost,
      coalesce(sum(case when input_tokens + output_tokens > 0 then cost_ticks end), 0) as tokened
    from usage_entries group by 1 order by 1`.execute(ledger.db);
  return { rollup: rollup.rows, rows: rows.rows };
}

// $0.25 over 100,000 tokens and $0.50 over 50,000 output tokens; $1.125 of a billed export
// with no tokens (of another provider, so that on the default basis it adds to the team's
// spend rather than stand above the metered rows).
const ROWS = [
  entry({ dedupe_key: 'a', team: 'search', cost_usd: '0.25', ts: '2026-10-01T10:00:00.000Z', input_tokens: 100_000, output_tokens: 0 }),
  entry({ dedupe_key: 'b', team: 'search', cost_usd: '0.5', ts: '2026-10-01T11:00:00.000Z', input_tokens: 0, output_tokens: 50_000 }),
  entry({ dedupe_key: 'c', team: 'search', provider: 'anthropic', model: 'claude-sonnet-4-5', provenance: 'billed', granularity: 'day', cost_usd: '1.125', ts: '2026-10-01T00:00:00.000Z', requests: 0, input_tokens: 0, output_tokens: 0 }),
];

describe('rollup_daily.tokened_cost_ticks', () => {
  it('sums the cost of the rows that count their tokens, as the rows do', async () => {
    const ledger = await openLedger(join(tempDir(), 'l.db'));
    await recordImport(ledger, batch(), ROWS);
    await refreshRollups(ledger);
    const state = await both(ledger);
    expect(state.rollup).toEqual(state.rows);
    // 0.25 + 0.5 = 0.75 USD with tokens of 1.875 USD: 7,500,000,000 of 18,750,000,000 ticks.
    expect(state.rollup).toEqual([{ day: '2026-10-01', cost: 18_750_000_000, tokened: 7_500_000_000 }]);
    await ledger.close();
  });

  it('is filled for a ledger rolled up before the column existed', async () => {
    const path = join(tempDir(), 'old.db');
    const ledger = await openLedger(path);
    await recordImport(ledger, batch(), ROWS);
    await refreshRollups(ledger);
    // Back to the schema before the migration: no column, it (and any later one) not applied.
    await rewindLedger(ledger, { first: '2026_12_02_0500_rollup_tokened_cost' });
    await ledger.close();

    // The report migrates, recomputes the rolled-up day and reads the rollup:
    // $0.75 over 150,000 tokens = $5.00 per 1M, the same as from the rows.
    const viaRollup = await runCli(['report', '--db', path, '--by', 'team', '--format', 'json']);
    expect(viaRollup.code, viaRollup.stderr).toBe(0);
    expect(JSON.parse(viaRollup.stdout).rows).toMatchObject([{ team: 'search', cost_usd: 1.875, input_tokens: 100_000, output_tokens: 50_000, cost_per_1m_tokens_usd: 5 }]);
    const viaRows = await runCli(['report', '--db', path, '--by', 'team', '--format', 'json', '--no-rollup']);
    expect(viaRows.stdout).toBe(viaRollup.stdout);

    const reopened = await openLedger(path);
    const state = await both(reopened);
    expect(state.rollup).toEqual(state.rows);
    await reopened.close();
  });
});
