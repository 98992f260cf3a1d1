// `llmfin top`'s budget bar for a budget of a tenth of a cent: the projection (P50) is read
// from the budget's status, which keeps sub-cent amounts, and shown with enough digits.
import { describe, expect, it } from 'vitest';
import { periodWindow } from '../../src/budgets/budget-period.js';
import { budgetStatus } from '../../src/budgets/budget-status.js';
import { budgetFigures } from '../../src/tui/components/BudgetBar.js';

describe('budget bar figures', () => {
  it('a $0.001 budget with $0.00106 spent is heading for $0.003286, not $0.00', () => {
    const now = new Date('2026-10-11T00:00:00Z');
    const config = { name: 'tiny', scope: { team: 'tiny' }, period: 'monthly' as const, limit_usd: 0.001, soft_limit_percent: 80, action: 'alert' as const, timezone: 'UTC' };
    // $0.00106 = 10,600,000 ticks (1 tick = 1e-10 USD); 10 of October's 31 days gone: x3.1.
    const s = budgetStatus(config, periodWindow('monthly', now), 10_600_000n, now);
    expect(s).toMatchObject({ spent_usd: 0.00106, projected_usd: 0.003286, projected_p50_usd: 0.003286, projected_p90_usd: 0.003286, percent: 106, state: 'red' });
    expect(budgetFigures({ ...s, unpriced_rows: 0 }, true)).toBe('106.0% OVER $0.00106/$0.001 → $0.00329 by month end');
  });

  it('a budget spent a hundred times over shows its percentage whole, not cut to "10230…"', () => {
    const now = new Date('2026-12-02T19:04:00Z');
    const config = { name: 'org-daily', scope: {}, period: 'daily' as const, limit_usd: 0.05, soft_limit_percent: 80, action: 'alert' as const, timezone: 'UTC' };
    // $5.1151 of $0.05 = 10,230.2%.
    const s = { ...budgetStatus(config, periodWindow('daily', now), 51_151_000_000n, now), unpriced_rows: 0 };
    expect(s.percent).toBe(10230.2);
    expect(budgetFigures(s, false)).toBe('10230% OVER $5.12/$0.05');
    // A million percent is wider than the column: wider, never cut.
    expect(budgetFigures({ ...s, percent: 1_000_000 }, false)).toBe('1000000% OVER $5.12/$0.05');
    expect(budgetFigures({ ...s, percent: 999.9 }, false)).toBe('999.9% OVER $5.12/$0.05');
  });
});
