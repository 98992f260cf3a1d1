import { describe, expect, it } from 'vitest';
import { budgetChanges } from '../../src/budgets/budget-changes.js';
import { ConfigSchema } from '../../src/config/config-schema.js';

const budgets = (b: unknown[]) => ConfigSchema.parse({ budgets: b }).budgets;

describe('budgetChanges', () => {
  it('names each budget added, removed or changed, with the options that changed', () => {
    const running = budgets([
      { name: 'search', scope: { team: 'search' }, limit_usd: 3, action: 'block' },
      { name: 'org', limit_usd: 100 },
      { name: 'old', limit_usd: 1 },
    ]);
    const fresh = budgets([
      { name: 'search', scope: { team: 'search' }, limit_usd: 10, action: 'throttle', throttle_rpm: 5 },
      { name: 'org', limit_usd: 100, timezone: 'UTC' },
      { name: 'labs', scope: { team: 'labs' }, limit_usd: 5 },
    ]);
    expect(budgetChanges(running, fresh)).toEqual(['search (limit_usd, action, throttle_rpm)', 'labs (added)', 'old (removed)']);
    // Written differently, the same budgets: no change (timezone UTC is the default).
    expect(budgetChanges(running, budgets([{ name: 'old', limit_usd: 1 }, { name: 'org', limit_usd: 100, timezone: 'UTC' }, { name: 'search', scope: { team: 'search' }, limit_usd: 3, action: 'block', soft_limit_percent: 80 }]))).toEqual([]);
  });
});
