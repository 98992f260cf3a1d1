// A forecast's money is rounded half up on its decimal text, as formatUsd and `report` round
// it, not Math.round on the binary product (1.005 × 100 = 100.49999999999999).
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { ledgerOf } from '../reports/rows-ledger.js';

describe('forecast figures rounded from history', () => {
  it('prints a group\'s $1.005 as $1.01, in the table and in JSON, as report does', async () => {
    // One day of $1.005 billed: the last 28 days and the one-day run rate are $1.005. Math.round(1.005 × 100)
    // is 100 (1.005 × 100 = 100.49999999999999 in binary): it printed $1.00 where report printed $1.01.
    // A request: $1.005 / 10 = $0.1005, $0.101 to three digits.
    const db = await ledgerOf([{ id: 'y', ts: '2026-10-01T00:00:00Z', provider: 'openai', model: 'gpt-4o', provenance: 'billed', cost_usd: '1.005', requests: 10, feature: 'y' }]);
    const args = ['forecast', '--db', db, '--since', '2026-10-01', '--until', '2026-10-02', '--horizon', '1'];
    const j = JSON.parse((await runCli([...args, '--format', 'json'])).stdout) as { rows: Array<{ last_28d_cost_usd: number; p50_cost_usd: number }> };
    expect(j.rows[0]).toMatchObject({ last_28d_cost_usd: 1.01, p50_cost_usd: 1.01 });
    const table = await runCli(args);
    expect(table.stdout).toMatch(/^y +\$1\.01 +10 +– +\$0\.101 +\$1\.01 +\$1\.01 +\$1\.01 +run rate \(1d\)$/m);
  });

  it('rounds a sum of days as its decimal, not its float noise: $0.01 + $0.02 + $0.005 is $0.04', async () => {
    // Three days of one feature: $0.035 over the last 28 days, which as floats added in day
    // order is 0.034999999999999996 and read $0.03. Half up on 0.035: $0.04.
    const db = await ledgerOf(['0.01', '0.02', '0.005'].map((usd, i) => ({ id: `z-${i}`, ts: `2026-10-0${i + 1}T00:00:00Z`, provider: 'openai', model: 'gpt-4o', provenance: 'billed', cost_usd: usd, requests: 1, feature: 'z' })));
    const r = await runCli(['forecast', '--db', db, '--since', '2026-10-01', '--until', '2026-10-04', '--horizon', '1', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { rows: Array<{ last_28d_cost_usd: number }> }).rows[0]!.last_28d_cost_usd).toBe(0.04);
  });
});
