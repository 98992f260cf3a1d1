// /metrics reports each budget's spend, limit and state; the state is green below the
// budget's own soft limit (soft_limit_percent), amber from it and red at the limit, as
// `llmfin budget status` and the soft-limit alert have it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BudgetGuard } from '../../src/budgets/budget-guard.js';
import { ConfigSchema } from '../../src/config/config-schema.js';
import { startHarness, type Harness } from './proxy-harness.js';

const USD = 10_000_000_000n;
let h: Harness;
beforeAll(async () => {
  const budgets = ConfigSchema.parse({
    budgets: [
      // $6 of $9 (66.7%), amber from 50%: amber.
      { name: 'early', limit_usd: 9, soft_limit_percent: 50 },
      // $7 of $10 (70%), amber from the default 80%: green.
      { name: 'default', limit_usd: 10 },
      // $8 of $10, amber from 80%: amber, at exactly the soft limit.
      { name: 'at-soft', limit_usd: 10 },
      // $9.50 of $10, amber from 96%: green.
      { name: 'late', limit_usd: 10, soft_limit_percent: 96 },
      // $10 of $10: red.
      { name: 'full', limit_usd: 10, soft_limit_percent: 50 },
    ],
  }).budgets;
  const spent = new Map([
    ['early', 6n * USD],
    ['default', 7n * USD],
    ['at-soft', 8n * USD],
    ['late', (95n * USD) / 10n],
    ['full', 10n * USD],
  ]);
  h = await startHarness({ gate: new BudgetGuard(budgets, { spent }) });
});
afterAll(() => h.close());

describe('budget metrics', () => {
  it("state follows each budget's soft limit", async () => {
    const text = await (await fetch(`${h.proxy.url}/metrics`)).text();
    const gauge = (name: string) => Object.fromEntries([...text.matchAll(new RegExp(`^${name}\\{budget="([^"]+)"\\} (\\S+)$`, 'gm'))].map((m) => [m[1], Number(m[2])]));
    expect(gauge('llmfin_budget_spent_usd')).toEqual({ early: 6, default: 7, 'at-soft': 8, late: 9.5, full: 10 });
    expect(gauge('llmfin_budget_state')).toEqual({ early: 1, default: 0, 'at-soft': 1, late: 0, full: 2 });
  });
});
