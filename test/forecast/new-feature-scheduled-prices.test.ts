// `forecast --new-feature` prices a horizon that crosses a price change the catalogue has
// scheduled for its model at the new rates from that day: gemini-3.6-flash's double on
// 2027-01-01 (input $0.75 → $1.50, output $3.75 → $7.50 per 1M). Before, every day was at
// today's price. Today is 2026-12-04; the horizon's days run from today.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';

interface Estimate {
  cost_per_day_usd: number;
  p10_cost_usd: number;
  p50_cost_usd: number;
  p90_cost_usd: number;
  recommended_budget_usd: number;
  price_changes: Array<{ from: string; cost_per_request_usd: number; cost_per_day_usd: number; models: Array<{ model: string; rates_after: Record<string, number> | null }> }>;
}

const ARGS = ['forecast', '--new-feature', '--requests-per-day', '1000', '--input-tokens', '1000', '--output-tokens', '100', '--model', 'gemini-3.6-flash', '--provider', 'google'];

describe('forecast --new-feature across a scheduled price change', () => {
  const cwd = tempDir();
  beforeAll(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-04T10:00:00Z'));
  });
  afterAll(() => {
    vi.useRealTimers();
  });
  const estimate = async (horizon: string) => {
    const r = await runCli([...ARGS, '--horizon', horizon, '--format', 'json'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as Estimate;
  };

  it('prices the days from 2027-01-01 at the new rates', async () => {
    const e = await estimate('30');
    // A request: 1,000 × $0.75/1M + 100 × $3.75/1M = $0.001125, $1.125 a day at 1,000; from
    // 2027-01-01, $0.00225 and $2.25. 4–31 December is 28 days, 1–2 January 2: 28 × $1.125 +
    // 2 × $2.25 = $31.50 + $4.50 = $36.00 (before: 30 × $1.125 = $33.75). P10 × 0.6 = $21.60,
    // P90 × 1.6 = $57.60, the budget P90 × 1.2 = $69.12.
    expect(e.cost_per_day_usd).toBe(1.125);
    expect([e.p10_cost_usd, e.p50_cost_usd, e.p90_cost_usd, e.recommended_budget_usd]).toEqual([21.6, 36, 57.6, 69.12]);
    expect(e.price_changes.map((p) => [p.from, p.cost_per_request_usd, p.cost_per_day_usd, p.models.map((m) => [m.model, m.rates_after])])).toEqual([
      ['2027-01-01', 0.00225, 2.25, [['gemini-3.6-flash', { input: 1.5, output: 7.5, cache_read: 0.15 }]]],
    ]);
  });

  it('a horizon that ends before the change is at today\'s price, with no change named', async () => {
    // 4–31 December: 28 × $1.125 = $31.50.
    const e = await estimate('28');
    expect(e.p50_cost_usd).toBe(31.5);
    expect(e.price_changes).toEqual([]);
  });

  it('names the change in the table', async () => {
    const r = await runCli([...ARGS, '--horizon', '30'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('  from 2027-01-01    $2.25 a day, $0.00225 a request: price change, gemini-3.6-flash (google) input $0.75 → $1.5 · output $3.75 → $7.5 · cache_read $0.075 → $0.15 per 1M tokens');
    expect(r.stdout).toContain('P50 $36.00');
  });

  it('prints today\'s $1.125 a day as $1.13 and $0.001125 a request as $0.00113: half up, not half-even', async () => {
    const r = await runCli([...ARGS, '--horizon', '30'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    // 1,000 × $0.75/1M + 100 × $3.75/1M = $0.001125 a request, × 1,000 = $1.125 a day.
    expect(r.stdout).toContain('  cost per request   $0.00113  (1,000 in + 100 out)');
    expect(r.stdout).toContain('  per day            $1.13  at 1,000 requests');
  });
});

describe('forecast --new-feature JSON to the micro-dollar', () => {
  it('rounds half up: 25 requests of one $0.10/1M token on one day are $0.0000025, 0.000003', async () => {
    // gpt-4.1-nano, $0.10 per 1M input tokens: a request of 1 token is $0.0000001; 25 a day
    // over 1 day is $0.0000025 (P50), × 0.6 = $0.0000015 (P10), × 1.6 = $0.000004 (P90),
    // × 1.2 headroom = $0.0000048. To six places, half up: 0.000003, 0.000002, 0.000004,
    // 0.000005 (the Dec's own half-even made P50 0.000002).
    const r = await runCli(['forecast', '--new-feature', '--requests-per-day', '25', '--input-tokens', '1', '--output-tokens', '0', '--model', 'gpt-4.1-nano', '--horizon', '1', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const e = JSON.parse(r.stdout) as Estimate;
    expect([e.p10_cost_usd, e.p50_cost_usd, e.p90_cost_usd, e.recommended_budget_usd]).toEqual([0.000002, 0.000003, 0.000004, 0.000005]);
  });
});
