// A row without a price (a model the catalogue does not know) has no cost in any
// numerator, so cost per request and per 1M tokens leave its requests and tokens out of
// their divisors too: a group mixing it with priced rows shows the priced rows' figures,
// not their cost spread over traffic whose cost is missing.
// Prices: gpt-4o $2.50 input and $10 output per 1M.
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { openLedger } from '../../src/ledger/index.js';
import { runCli } from '../helpers/cli.js';
import { rewindLedger } from '../helpers/rewind-ledger.js';
import { ledgerOf } from './rows-ledger.js';

interface Row {
  [dim: string]: unknown;
  cost_usd: number;
  requests: number;
  input_tokens: number;
  output_tokens: number;
  cost_per_request_usd: number | null;
  cost_per_1m_tokens_usd: number | null;
  unpriced_rows: number;
}

async function report(db: string, args: string[]): Promise<{ rows: Row[]; total: Row }> {
  const r = await runCli(['report', '--db', db, ...args, '--format', 'json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as { rows: Row[]; total: Row };
}

const ROWS = [
  // search, priced: 10 requests, 400k input + 50k output = $1.00 + $0.50 = $1.50.
  { id: 'a', ts: '2026-10-01T10:00:00Z', provider: 'openai', model: 'gpt-4o', requests: 10, input_tokens: 400_000, output_tokens: 50_000, team: 'search' },
  // search, no price: 30 requests and 1.55M tokens whose cost is unknown.
  { id: 'b', ts: '2026-10-01T11:00:00Z', provider: 'openai', model: 'in-house-llm-7', requests: 30, input_tokens: 1_500_000, output_tokens: 50_000, team: 'search' },
  // chat, priced: 5 requests, 200k input = $0.50.
  { id: 'c', ts: '2026-10-02T09:00:00Z', provider: 'openai', model: 'gpt-4o', requests: 5, input_tokens: 200_000, output_tokens: 0, team: 'chat' },
];

describe('report: rows without a price are left out of the per-unit divisors', () => {
  let db: string;
  beforeAll(async () => {
    db = await ledgerOf(ROWS);
  });

  it('divides the priced cost by the priced requests and tokens only', async () => {
    const r = await report(db, ['--by', 'team']);
    expect(r.rows).toMatchObject([
      // $1.50 over 10 requests = $0.15 (not over 40: $0.0375); over 450,000 tokens = $3.333… per 1M (not over 2M: $0.75).
      { team: 'search', cost_usd: 1.5, requests: 40, input_tokens: 1_900_000, output_tokens: 100_000, cost_per_request_usd: 0.15, cost_per_1m_tokens_usd: 3.3333333333, unpriced_rows: 1 },
      // $0.50 over 5 requests = $0.10; over 200,000 tokens = $2.50 per 1M.
      { team: 'chat', cost_usd: 0.5, requests: 5, cost_per_request_usd: 0.1, cost_per_1m_tokens_usd: 2.5, unpriced_rows: 0 },
    ]);
    // The total: $2.00 over 15 priced requests = $0.1333…; over 650,000 priced tokens = $3.0769… per 1M.
    expect(r.total).toMatchObject({ cost_usd: 2, requests: 45, cost_per_request_usd: 0.1333333333, cost_per_1m_tokens_usd: 3.0769230769, unpriced_rows: 1 });
  });

  it('gives the same figures from the rollup and from the rows, per day and by model', async () => {
    for (const by of ['team', 'day', 'model', 'team,day']) {
      expect(await report(db, ['--by', by, '--no-rollup'])).toEqual(await report(db, ['--by', by]));
    }
    // The unknown model alone has no figure rather than $0.
    const byModel = await report(db, ['--by', 'model']);
    expect(byModel.rows.find((x) => x.model === 'in-house-llm-7')).toMatchObject({ cost_usd: 0, requests: 30, cost_per_request_usd: null, cost_per_1m_tokens_usd: null });
  });

  it('says in the table note that the unpriced rows are left out of the per-unit figures', async () => {
    const table = await runCli(['report', '--db', db, '--by', 'team']);
    expect(table.code).toBe(0);
    expect(table.stderr).toContain('1 ledger row has no price: its tokens are counted, its cost is not, and cost per request and per 1M tokens leave it out');
  });

  it('fills the counts for a ledger rolled up before they existed', async () => {
    const path = await ledgerOf(ROWS);
    expect((await runCli(['report', '--db', path, '--by', 'team', '--format', 'json'])).code).toBe(0);
    const ledger = await openLedger(path);
    await rewindLedger(ledger, { first: '2026_12_02_0600_rollup_unpriced_counts' });
    await ledger.close();
    // Migrated on open, its rolled-up days recomputed: the same figures as a new ledger's.
    expect(await report(path, ['--by', 'team'])).toEqual(await report(db, ['--by', 'team']));
    const reopened = await openLedger(path);
    const sums = await sql<{ r: number; t: number }>`select sum(unpriced_requests) as r, sum(unpriced_tokens) as t from rollup_daily`.execute(reopened.db);
    expect(sums.rows[0]).toEqual({ r: 30, t: 1_550_000 });
    await reopened.close();
  });
});
