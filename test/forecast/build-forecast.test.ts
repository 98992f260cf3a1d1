// The forecast's total on a short ledger: the total series starts on the first day any
// group spent, like each group's own series, not at --since (days before the ledger began
// are not days of zero spend).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';

describe('forecast total on three days of history', () => {
  const dir = tempDir();
  const db = join(dir, 'short.db');
  beforeAll(async () => {
    // Billed rows without tokens keep their cost when re-priced: team a $10.00 and 100
    // requests a day, team b $20.00 and 50 requests a day, 2026-10-01 to 2026-10-03.
    const lines: string[] = [];
    for (const day of ['01', '02', '03']) {
      for (const [team, cost, requests] of [['a', '10.00', 100], ['b', '20.00', 50]] as const) {
        lines.push(JSON.stringify({ id: `${team}-${day}`, ts: `2026-10-${day}T00:00:00Z`, provider: 'openai', model: 'gpt-4o', provenance: 'billed', cost_usd: cost, requests, team }));
      }
    }
    writeFileSync(join(dir, 'bill.jsonl'), lines.join('\n') + '\n');
    const r = await runCli(['import', '--db', db, join(dir, 'bill.jsonl')]);
    expect(r.code, r.stderr).toBe(0);
  });

  it('is the run rate of the three days, the sum of the groups, not diluted by the days before', async () => {
    const r = await runCli(['forecast', '--db', db, '--by', 'team', '--since', '2026-09-01', '--horizon', '30d', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    // Run rate: a $10 a day × 30 = $300; b $20 × 30 = $600; the total $30 × 30 = $900.
    expect(j.rows.map((x: { team: string; method: string; history_days: number; p50_cost_usd: number }) => [x.team, x.method, x.history_days, x.p50_cost_usd])).toEqual([
      ['b', 'run-rate', 3, 600],
      ['a', 'run-rate', 3, 300],
    ]);
    expect(j.total).toMatchObject({ method: 'run-rate', history_days: 3, last_28d_cost_usd: 90, requests_per_day: 150, p10_cost_usd: 900, p50_cost_usd: 900, p90_cost_usd: 900 });
    expect(j.total.history).toEqual([30, 30, 30]);
    expect(j.notes).toContain('fewer than 14 days of history for some groups: their forecast is the run rate of their last 7 days');
  });

  it('--backtest on three days says why there is nothing to replay, rather than printing dashes alone', async () => {
    const r = await runCli(['forecast', '--db', db, '--by', 'team', '--backtest', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    // Null, not absent: with --backtest every row and the total have the key.
    expect(j.total.backtest).toBeNull();
    expect(j.rows.map((x: { backtest: unknown }) => x.backtest)).toEqual([null, null]);
    expect(j.notes).toContain('--backtest: no group has the history to replay: it forecasts from day 28 of a group\'s history, so it needs more than 28 days');
  });

  it('billed rows count requests but no tokens: tokens per request is unknown (null, – in the table), not 0', async () => {
    const r = await runCli(['forecast', '--db', db, '--by', 'team', '--since', '2026-09-01', '--format', 'json']);
    const j = JSON.parse(r.stdout);
    expect([...j.rows.map((x: { tokens_per_request: number | null }) => x.tokens_per_request), j.total.tokens_per_request]).toEqual([null, null, null]);
    const text = await runCli(['forecast', '--db', db, '--by', 'team', '--since', '2026-09-01']);
    expect(text.stdout).toMatch(/^b +\$60\.00 +50 +– +\$0\.40 /m);
  });

  it('dates the history from its first day of spend, as the total\'s history array is', async () => {
    const j = JSON.parse((await runCli(['forecast', '--db', db, '--by', 'team', '--since', '2026-09-01', '--format', 'json'])).stdout);
    expect([j.history_since, j.history_until, j.forecast_since, j.forecast_until]).toEqual(['2026-10-01', '2026-10-03', '2026-10-04', '2026-11-02']);
  });

  it("--by '' forecasts the whole spend as one group, titled as report titles it", async () => {
    const r = await runCli(['forecast', '--db', db, '--by', '', '--since', '2026-09-01']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^Forecast by nothing · 2026-10-04 to 2026-11-02/);
  });

  it('refuses a time bucket in --where, naming the option', async () => {
    const r = await runCli(['forecast', '--db', db, '--by', 'team', '--where', 'day=2026-10-02']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--where: expected a dimension, not a time bucket (day)');
  });
});
