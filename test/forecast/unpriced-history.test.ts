// A history with rows the catalogue cannot price (an unknown model): the forecast, the
// anomaly scan and the insights count those rows' tokens but not their cost, and each
// says so instead of showing a silent $0.
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { unpricedLedger } from '../helpers/unpriced-ledger.js';

describe('forecast over a history with unpriced rows', () => {
  let db: string;
  beforeAll(async () => {
    db = await unpricedLedger();
  });

  it('forecasts the priced spend and says the unpriced rows are left out, not that the history is short', async () => {
    const r = await runCli(['forecast', '--db', db, '--by', 'team', '--since', '2026-10-01', '--until', '2026-10-31', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    // Team a: a flat $10.00 a day for 30 days → $300.00 over the next 30; team b has no known cost.
    expect(j.rows.map((x: { team: string; history_days: number; p50_cost_usd: number }) => [x.team, x.history_days, x.p50_cost_usd])).toEqual([
      ['a', 30, 300],
      ['b', 30, 0],
    ]);
    expect(j.notes).toContain(
      '30 ledger rows in this history have no price: their tokens are counted, their cost is not, so the forecast leaves that spend out — `llmfin report --by model` names their models; add a model the catalogue lacks under pricing.custom_models (rows under "(unattributed)" have none: export the usage grouped by model)',
    );
    // Thirty days is enough for bands: team b's $0 band is for want of a price, not of history.
    expect(j.notes.some((n: string) => n.startsWith('fewer than'))).toBe(false);
  });

  it('divides the priced cost by the priced requests only, so the unknown model does not lower cost per request', async () => {
    const r = await runCli(['forecast', '--db', db, '--by', 'team', '--since', '2026-10-01', '--until', '2026-10-31', '--format', 'json']);
    const j = JSON.parse(r.stdout);
    const cpr = (x: { cost_per_request_usd: number | null }) => x.cost_per_request_usd;
    // Team a: $10.00 over 100 requests a day = $0.10; team b has no price: no figure, not $0.
    expect(j.rows.map(cpr)).toEqual([0.1, null]);
    // The total: $10.00 a day over team a's 100 priced requests, not over 150 ($0.0667).
    expect(cpr(j.total)).toBe(0.1);
    expect(j.total.requests_per_day).toBe(150);
  });

  it('prints the same warning under the table', async () => {
    const r = await runCli(['forecast', '--db', db, '--by', 'team', '--since', '2026-10-01', '--until', '2026-10-31']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('30 ledger rows in this history have no price');
  });
});
