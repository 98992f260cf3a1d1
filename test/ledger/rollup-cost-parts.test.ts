// The daily rollup's parts of the cost — counted (the cost of the rows that count their
// requests) and tokened (of the rows that count their tokens) — equal the same sums over
// the rows, and a ledger rolled up before a part's column existed gets it filled when it
// is opened: its days are recomputed, not left at 0.
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openLedger, type LedgerStore } from '../../src/ledger/index.js';
import type { NewUsageEntry } from '../../src/ledger/ledger-schema.js';
import { recordImport } from '../../src/ledger/queries/insert-batch.js';
import { refreshRollups } from '../../src/ledger/rollups/refresh-rollups.js';
import { runCli } from '../helpers/cli.js';
import { rewindLedger } from '../helpers/rewind-ledger.js';
import { batch, entry, tempDir } from './ledger-fixtures.js';

interface Part {
  /** The rollup column, and what it is called below. */
  column: 'counted_cost_ticks' | 'tokened_cost_ticks';
  name: string;
  /** The same sum over the rows, written out here rather than taken from the code. */
  rowsSql: string;
  /** What the rows count (requests, tokens). */
  what: string;
  migration: string;
  rows: NewUsageEntry[];
  /** The report row of team search over the rows above, after the migration. */
  report: Record<string, number | string>;
}

const PARTS: Part[] = [
  {
    column: 'counted_cost_ticks',
    name: 'counted',
    rowsSql: 'case when requests > 0 then cost_ticks end',
    what: 'requests',
    migration: '2026_12_02_0400_rollup_counted_cost',
    // $0.25 over 2 requests and $0.50 over 1 (counted), $1.125 of an export with no request count.
    rows: [
      entry({ dedupe_key: 'a', team: 'search', cost_usd: '0.25', ts: '2026-10-01T10:00:00.000Z', requests: 2 }),
      entry({ dedupe_key: 'b', team: 'search', cost_usd: '0.5', ts: '2026-10-01T11:00:00.000Z' }),
      entry({ dedupe_key: 'c', team: 'search', provider: 'anthropic', model: 'claude-sonnet-4-5', provenance: 'provider_usage', granularity: 'day', cost_usd: '1.125', ts: '2026-10-01T00:00:00.000Z', requests: 0 }),
    ],
    // $0.75 counted over 3 requests = $0.25, the same as from the rows.
    report: { team: 'search', cost_usd: 1.875, requests: 3, cost_per_request_usd: 0.25 },
  },
  {
    column: 'tokened_cost_ticks',
    name: 'tokened',
    rowsSql: 'case when input_tokens + output_tokens > 0 then cost_ticks end',
    what: 'tokens',
    migration: '2026_12_02_0500_rollup_tokened_cost',
    // $0.25 over 100,000 tokens and $0.50 over 50,000 output tokens; $1.125 of a billed export
    // with no tokens (of another provider, so that on the default basis it adds to the team's
    // spend rather than stand above the metered rows).
    rows: [
      entry({ dedupe_key: 'a', team: 'search', cost_usd: '0.25', ts: '2026-10-01T10:00:00.000Z', input_tokens: 100_000, output_tokens: 0 }),
      entry({ dedupe_key: 'b', team: 'search', cost_usd: '0.5', ts: '2026-10-01T11:00:00.000Z', input_tokens: 0, output_tokens: 50_000 }),
      entry({ dedupe_key: 'c', team: 'search', provider: 'anthropic', model: 'claude-sonnet-4-5', provenance: 'billed', granularity: 'day', cost_usd: '1.125', ts: '2026-10-01T00:00:00.000Z', requests: 0, input_tokens: 0, output_tokens: 0 }),
    ],
    // $0.75 over 150,000 tokens = $5.00 per 1M, the same as from the rows.
    report: { team: 'search', cost_usd: 1.875, input_tokens: 100_000, output_tokens: 50_000, cost_per_1m_tokens_usd: 5 },
  },
];

/** Per day: cost and the part in ticks, from the rollup and from the rows. */
async function both(ledger: LedgerStore, part: Part) {
  const rollup = await sql<{ day: string; cost: number; part: number }>`
    select day, sum(cost_ticks) as cost, sum(${sql.ref(part.column)}) as part from rollup_daily group by 1 order by 1`.execute(ledger.db);
  const rows = await sql<{ day: string; cost: number; part: number }>`
    select substr(ts, 1, 10) as day, coalesce(sum(cost_ticks), 0) as cost, coalesce(sum(${sql.raw(part.rowsSql)}), 0) as part
    from usage_entries group by 1 order by 1`.execute(ledger.db);
  return { rollup: rollup.rows, rows: rows.rows };
}

describe.each(PARTS)('rollup_daily.$column', (part) => {
  it(`sums the cost of the rows that count their ${part.what}, as the rows do`, async () => {
    const ledger = await openLedger(join(tempDir(), 'l.db'));
    await recordImport(ledger, batch(), part.rows);
    await refreshRollups(ledger);
    const state = await both(ledger, part);
    expect(state.rollup).toEqual(state.rows);
    // 0.25 + 0.5 = 0.75 USD of 1.875 USD: 7,500,000,000 of 18,750,000,000 ticks.
    expect(state.rollup).toEqual([{ day: '2026-10-01', cost: 18_750_000_000, part: 7_500_000_000 }]);
    await ledger.close();
  });

  it('is filled for a ledger rolled up before the column existed', async () => {
    const path = join(tempDir(), 'old.db');
    const ledger = await openLedger(path);
    await recordImport(ledger, batch(), part.rows);
    await refreshRollups(ledger);
    // Back to the schema before the migration: no column, it (and any later one) not applied.
    await rewindLedger(ledger, { first: part.migration });
    await ledger.close();

    // The report migrates, recomputes the rolled-up day and reads the rollup.
    const viaRollup = await runCli(['report', '--db', path, '--by', 'team', '--format', 'json']);
    expect(viaRollup.code, viaRollup.stderr).toBe(0);
    expect(JSON.parse(viaRollup.stdout).rows).toMatchObject([part.report]);
    const viaRows = await runCli(['report', '--db', path, '--by', 'team', '--format', 'json', '--no-rollup']);
    expect(viaRows.stdout).toBe(viaRollup.stdout);

    const reopened = await openLedger(path);
    const state = await both(reopened, part);
    expect(state.rollup).toEqual(state.rows);
    await reopened.close();
  });
});
