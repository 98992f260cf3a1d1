// A forecast with one group on the run rate (under 14 days) and another under 28 days says
// why each has no band: the run rate's note did not cover the 20-day group's missing band.
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { ledgerOf } from '../reports/rows-ledger.js';

/** `n` days to 2026-10-20 of $2.80 a day (gpt-4.1, 1M input and 100k output tokens) for `team`. */
function days(team: string, n: number) {
  return Array.from({ length: n }, (_, i) => ({
    id: `${team}-${i}`, source: 'proxy', ts: `${new Date(Date.UTC(2026, 9, 21 - n + i)).toISOString().slice(0, 10)}T00:00:00Z`, granularity: 'day', provenance: 'metered',
    provider: 'openai', model: 'gpt-4.1', requests: 1000, input_tokens: 1_000_000, output_tokens: 100_000, cost_status: 'priced', cost_usd: '2.8', team,
  }));
}

describe('forecast notes for young groups', () => {
  it('says both: the 5-day group is on the run rate, the 20-day group has no band yet', async () => {
    const db = await ledgerOf([...days('run', 5), ...days('young', 20)]);
    const r = await runCli(['forecast', '--db', db, '--by', 'team', '--since', '2026-10-01', '--until', '2026-10-21', '--horizon', '10', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as { rows: Array<{ team: string; method: string; p10_cost_usd: number; p50_cost_usd: number; p90_cost_usd: number }>; notes: string[] };
    // 10 days × $2.80 = $28.00 each, with no band.
    expect(j.rows.map((x) => [x.team, x.method, x.p10_cost_usd, x.p50_cost_usd, x.p90_cost_usd]).sort()).toEqual([
      ['run', 'run-rate', 28, 28, 28],
      ['young', 'combination', 28, 28, 28],
    ]);
    expect(j.notes).toContain('fewer than 14 days of history for some groups: their forecast is the run rate of their last 7 days');
    expect(j.notes).toContain('fewer than 28 days of history for some groups: no P10/P90 band for them yet');
  });
});
