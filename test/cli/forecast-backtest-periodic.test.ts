// `llmfin forecast --backtest` on a group whose spend repeats exactly week on week says why
// it has no MASE and gives the error in $ and the band's coverage instead, in the table and
// in JSON, rather than leave the backtest out without a word.
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { ledgerOf } from '../reports/rows-ledger.js';

/** 70 days of daily rows from 2026-08-01 for `team`, `cost(i)` dollars on day i. */
function days(team: string, cost: (i: number) => number) {
  return Array.from({ length: 70 }, (_, i) => ({
    id: `${team}-${i}`, source: 'proxy', ts: `${new Date(Date.UTC(2026, 7, 1 + i)).toISOString().slice(0, 10)}T00:00:00Z`, granularity: 'day', provenance: 'metered',
    provider: 'openai', model: 'gpt-4o', requests: 100, input_tokens: 100_000, output_tokens: 10_000, cost_status: 'priced', cost_usd: String(cost(i)), team,
  }));
}

// 2026-10-10 is day 70: the history is the 70 days, origins 28, 35, 42, 49, 56, 63.
const WINDOW = ['--since', '2026-08-01', '--until', '2026-10-10'];

describe('llmfin forecast --backtest on an exactly periodic history', () => {
  it('says MASE is undefined and gives the error and coverage, in the table', async () => {
    const db = await ledgerOf(days('flat', () => 10));
    const r = await runCli(['forecast', '--db', db, '--by', 'team', ...WINDOW, '--backtest']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^flat .* n\/a \(periodic\) +100\.0%$/m);
    expect(r.stdout).toContain(
      'backtest on your history (6 origins): MASE is undefined, since the history repeats exactly week on week and seasonal naive makes no error to scale by; P50 was off by $0.00 a day on average and P10–P90 held 100.0% of days at h≤7 (target 80%)',
    );
    expect(r.stderr).toContain('--backtest: MASE is undefined for flat: the history repeats exactly week on week');
  });

  it('gives the backtest in JSON with null MASE, the periodic origins, their error and coverage, and the note', async () => {
    const week = [5, 10, 10, 10, 10, 10, 2];
    const db = await ledgerOf(days('weekly', (i) => week[i % 7]!));
    const r = await runCli(['forecast', '--db', db, '--by', 'team', ...WINDOW, '--backtest', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout) as { rows: Array<{ backtest?: Record<string, unknown> }>; total: { backtest?: Record<string, unknown> }; notes: string[] };
    for (const b of [json.rows[0]!.backtest, json.total.backtest]) {
      expect(b).toEqual({
        origins: 0, mase_h7: null, seasonal_naive_mase_h7: null, relative_mase_h7: null, coverage_h7: null, mase_h28: null, relative_mase_h28: null, coverage_h28: null, combination_mase_h7: null, combination_mase_h28: null,
        periodic_origins: 6, periodic_mae_h7_usd: 0, periodic_coverage_h7: 1,
      });
    }
    expect(json.notes.some((n) => n.startsWith('--backtest: MASE is undefined for weekly'))).toBe(true);
  });
});
