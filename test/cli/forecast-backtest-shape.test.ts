// `llmfin forecast --backtest --format json`: a group too young to replay carries
// `backtest: null`, so every row has the same keys as one that was replayed; without
// --backtest no row has the key.
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { ledgerOf } from '../reports/rows-ledger.js';

/** `n` days of $2.80 a day (1M input + 100k output tokens of gpt-4.1) for `team`, the last on 2026-10-09. */
function days(team: string, n: number) {
  return Array.from({ length: n }, (_, i) => ({
    id: `${team}-${i}`, source: 'proxy', ts: `${new Date(Date.UTC(2026, 9, 10 - n + i)).toISOString().slice(0, 10)}T00:00:00Z`, granularity: 'day', provenance: 'metered',
    provider: 'openai', model: 'gpt-4.1', requests: 1000, input_tokens: 1_000_000, output_tokens: 100_000, cost_status: 'priced', cost_usd: '2.8', team,
  }));
}

const WINDOW = ['--since', '2026-08-01', '--until', '2026-10-10'];

describe('llmfin forecast --backtest JSON shape', () => {
  it('gives every row and the total a backtest key, null for a group with too little history', async () => {
    const db = await ledgerOf([...days('old', 70), ...days('young', 10)]);
    const r = await runCli(['forecast', '--db', db, '--by', 'team', ...WINDOW, '--horizon', '7', '--backtest', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout) as { rows: Array<Record<string, unknown>>; total: Record<string, unknown> };
    const old = json.rows.find((row) => row.team === 'old')!;
    const young = json.rows.find((row) => row.team === 'young')!;
    // $2.80 a day for 7 days: $19.60 each.
    expect(old.p50_cost_usd).toBe(19.6);
    expect(young.p50_cost_usd).toBe(19.6);
    expect(young.backtest).toBeNull();
    expect(old.backtest).toMatchObject({ origins: 0, periodic_origins: 6 });
    expect(Object.keys(young)).toEqual(Object.keys(old));
    expect(json.total).toHaveProperty('backtest');

    const csv = await runCli(['forecast', '--db', db, '--by', 'team', ...WINDOW, '--horizon', '7', '--backtest', '--format', 'csv']);
    const header = csv.stdout.split('\n')[0]!.split(',');
    expect(header).not.toContain('backtest');
    expect(header).toContain('backtest.periodic_origins');
  });

  it('leaves the key out of every row without --backtest', async () => {
    const db = await ledgerOf(days('old', 70));
    const r = await runCli(['forecast', '--db', db, '--by', 'team', ...WINDOW, '--format', 'json']);
    const json = JSON.parse(r.stdout) as { rows: Array<Record<string, unknown>>; total: Record<string, unknown> };
    expect(json.rows[0]).not.toHaveProperty('backtest');
    expect(json.total).not.toHaveProperty('backtest');
  });
});
