// A what-if re-prices the models a group's forecast stands on: its last week's, not the
// blend of its 28-day mix. A feature moved from gpt-4.1 to gpt-4.1-mini nine days ago is
// forecast at mini's cost; switching it back to gpt-4.1 is ×5 (its tokens at gpt-4.1's
// prices), not ×2.24 (the blend of four gpt-4.1 days and nine mini days).
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { ledgerOf } from '../reports/rows-ledger.js';

/**
 * From 2026-10-01, 1,000 requests a day of 1,000,000 input and 100,000 output tokens:
 * gpt-4.1 ($2 and $8 per 1M: $2.80 a day) for `big` days, then gpt-4.1-mini ($0.40 and
 * $1.60: $0.56 a day) for `small` days.
 */
function rows(big: number, small: number) {
  return Array.from({ length: big + small }, (_, i) => ({
    id: `switch-${i}`, source: 'proxy', ts: `2026-10-${String(1 + i).padStart(2, '0')}T00:00:00Z`, granularity: 'day', provenance: 'metered',
    provider: 'openai', model: i < big ? 'gpt-4.1' : 'gpt-4.1-mini', requests: 1000, input_tokens: 1_000_000, output_tokens: 100_000,
    cost_status: 'priced', cost_usd: i < big ? '2.8' : '0.56', feature: 'switch',
  }));
}

async function forecast(big: number, small: number, extra: string[]) {
  const db = await ledgerOf(rows(big, small));
  const dir = dirname(db);
  writeFileSync(join(dir, 'llmfin.yaml'), 'budgets:\n  - { name: switch, scope: { feature: switch }, limit_usd: 100 }\n');
  const until = `2026-10-${String(1 + big + small).padStart(2, '0')}`;
  const r = await runCli(['forecast', '--db', db, '--since', '2026-10-01', '--until', until, '--format', 'json', ...extra], { cwd: dir });
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as { rows: Array<Record<string, unknown>>; budgets: Array<Record<string, number>> };
}

describe('what-ifs on a group that changed model', () => {
  it('--model re-prices the last week\'s models: 30 days × $0.56 = $16.80 on mini, × 5 = $84.00 on gpt-4.1', async () => {
    expect((await forecast(4, 9, [])).rows[0]).toMatchObject({ feature: 'switch', method: 'run-rate', p50_cost_usd: 16.8 });
    const j = await forecast(4, 9, ['--model', 'feature=switch:gpt-4.1']);
    expect(j.rows[0]).toMatchObject({ feature: 'switch', what_if_factor: 5, p50_cost_usd: 84 });
    // Under two weeks of history the budget is projected at its period's run rate, four
    // gpt-4.1 days and nine mini days, so the whole mix weighs the switch: $16.24 spent
    // (4 × $2.80 + 9 × $0.56) and the 18 days left of October at gpt-4.1's $2.80.
    const budget = j.budgets[0]!;
    expect(budget.spent_usd).toBe(16.24);
    expect(budget.what_if_factor).toBeCloseTo(36.4 / 16.24, 12);
    expect(budget.projected_p50_usd).toBeCloseTo(16.24 + 18 * 2.8, 9);
  });

  it('a budget forecast from two weeks or more takes the last week\'s models too: ×5', async () => {
    // Six gpt-4.1 days, fourteen mini days: the last week and the budget's forecast are mini's.
    const j = await forecast(6, 14, ['--model', 'feature=switch:gpt-4.1']);
    expect(j.rows[0]!.what_if_factor).toBe(5);
    expect(j.budgets[0]!.projection_method).toBe('forecast');
    expect(j.budgets[0]!.what_if_factor).toBeCloseTo(5, 12);
  });
});
