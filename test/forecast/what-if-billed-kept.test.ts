// A what-if re-prices the tokens it knows. Money a group was billed with no token counts
// (a provider's bill on another model) has nothing to move to
// another model or to grow: it stays at its level, and a note says so. Before, the ratio of
// the group's tokens (haiku → sonnet, ×3) was put on its whole spend, the bill included.
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { ledgerOf } from '../reports/rows-ledger.js';

interface Forecast {
  rows: Array<{ team: string; what_if_factor: number; p50_cost_usd: number }>;
  total: { what_if_factor: number; p50_cost_usd: number };
  notes: string[];
}

/**
 * Team c, 2026-10-01 to 2026-10-03: $10.00 a day billed on openai gpt-4o (money, no tokens),
 * and claude-haiku-4-5 metered, 1,000,000 input and 100,000 output tokens a day ($1 and $5
 * per 1M: $1.00 + $0.50 = $1.50 a day).
 */
async function teamC(): Promise<string> {
  const rows: object[] = [];
  for (const day of ['01', '02', '03']) {
    rows.push({ id: `c-billed-${day}`, ts: `2026-10-${day}T00:00:00Z`, provider: 'openai', model: 'gpt-4o', provenance: 'billed', cost_usd: '10.00', requests: 100, team: 'c' });
    rows.push({ id: `c-metered-${day}`, ts: `2026-10-${day}T00:00:00Z`, provider: 'anthropic', model: 'claude-haiku-4-5', provenance: 'metered', requests: 100, input_tokens: 1_000_000, output_tokens: 100_000, team: 'c' });
  }
  return ledgerOf(rows);
}

async function forecast(db: string, whatIf: string[]): Promise<Forecast> {
  const r = await runCli(['forecast', '--db', db, '--by', 'team', '--since', '2026-10-01', '--until', '2026-10-04', ...whatIf, '--format', 'json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Forecast;
}

describe('a what-if on a group with tokens on one model and money billed on another', () => {
  it('--model moves the tokens to another model and keeps the bill at its level, with a note', async () => {
    const j = await forecast(await teamC(), ['--model', 'team=c:claude-sonnet-4-5']);
    // Haiku's tokens on sonnet ($3 and $15 per 1M): $3.00 + $1.50 = $4.50 a day, ×3. The bill
    // stays $10.00: $14.50 a day against $11.50, ×1.2609 (14.5 / 11.5 = 1.260869…), and over
    // 30 days at the run rate 30 × $14.50 = $435.00. Before: 30 × $11.50 × 3 = $1,035.00.
    expect(j.rows[0]).toMatchObject({ team: 'c', what_if_factor: 1.2609, p50_cost_usd: 435 });
    expect(j.total.p50_cost_usd).toBe(435);
    expect(j.notes).toContain(
      "what-if: c's spend on gpt-4o (openai), 87.0% of its last 7 days, is billed money with no token counts, which --model cannot re-price: it stays at its level",
    );
  });

  it('--traffic scales the bill too (more requests, more bill); --prompt-growth grows only the tokens', async () => {
    const j = await forecast(await teamC(), ['--prompt-growth', '30%', '--traffic', 'x2']);
    // Haiku with 30% more input: $1.30 + $0.50 = $1.80 a day; the bill $10.00: $11.80 a day,
    // × 2 traffic = $23.60, 30 × $23.60 = $708.00 (factor 23.6 / 11.5 = 2.052173…). Before:
    // 30 × $11.50 × 2 × 1.2 = $828.00.
    expect(j.rows[0]).toMatchObject({ team: 'c', what_if_factor: 2.0522, p50_cost_usd: 708 });
    expect(j.notes).toContain(
      "what-if: c's spend on gpt-4o (openai), 87.0% of its last 7 days, is billed money with no token counts, which --prompt-growth cannot re-price: it stays at its level (× the --traffic)",
    );
  });
});
