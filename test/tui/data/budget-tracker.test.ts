// Arriving rows added to the budgets whose scope they fall in: each row judged on its own identifiers.
import { describe, expect, it } from 'vitest';
import { Attributor } from '../../../src/attribution/attributor.js';
import type { BudgetConfig } from '../../../src/config/config-schema.js';
import { BudgetTracker } from '../../../src/tui/data/budget-tracker.js';
import type { LiveRow } from '../../../src/tui/data/live-row.js';

const NOW = new Date('2026-11-30T12:00:00.000Z');
const CENT = 100_000_000n;

function budget(name: string, scope: Record<string, string>): BudgetConfig {
  return { name, scope, period: 'monthly', limit_usd: 100, soft_limit_percent: 80, action: 'alert', timezone: 'UTC' };
}

function row(more: Partial<LiveRow> = {}): LiveRow {
  return {
    id: 1, ts: NOW.toISOString(), provider: 'openai', source: 'proxy', provenance: 'metered', chargeCategory: 'usage', granularity: 'request',
    model: 'gpt-4o-2024-08-06', modelRequested: 'gpt-4o', matchedModel: 'gpt-4o', requests: 1, inputTokens: 1200, outputTokens: 80, costTicks: CENT,
    estimated: false, team: null, feature: null, customer: null, agent: null, project: null, environment: null, apiKey: null,
    account: null, workspace: null, user: null, trace: null, tags: null, latencyMs: null, routedFrom: null, promptHash: null, statusCode: 200, ...more,
  };
}

function spent(budgets: BudgetTracker): Record<string, number> {
  return Object.fromEntries(budgets.statuses(NOW).map((s) => [s.name, Math.round(s.spent_usd * 100)]));
}

describe('BudgetTracker.add', () => {
  it("judges a budget on a model by each row's catalogue model too: the same served id priced as another model is not in it", () => {
    const budgets = new BudgetTracker([budget('gpt-4o', { model: 'gpt-4o' }), budget('dated', { model: 'gpt-4o-2024-08-06' })], new Attributor([]), NOW);
    budgets.add(row(), NOW.getTime()); // gpt-4o-2024-08-06 priced as gpt-4o: in both
    budgets.add(row({ matchedModel: 'gpt-4o-2024-08-06', costTicks: 2n * CENT }), NOW.getTime()); // the snapshot priced apart: the dated budget's only
    budgets.add(row({ model: 'gpt-4o', matchedModel: 'gpt-4o', costTicks: 4n * CENT }), NOW.getTime());
    budgets.add(row({ matchedModel: null, costTicks: 8n * CENT }), NOW.getTime()); // no catalogue model: the dated budget's only
    expect(spent(budgets)).toEqual({ 'gpt-4o': 5, dated: 11 });
  });

  it('judges a scope decided by a rule on the user by each row: the same (empty) team with another user is another answer', () => {
    const rules: ConstructorParameters<typeof Attributor>[0] = [{ name: 'alice works in support', match: { user: 'alice' }, set: { team: 'support' }, override: false }];
    const budgets = new BudgetTracker([budget('support', { team: 'support' }), budget('org', {})], new Attributor(rules), NOW);
    budgets.add(row({ user: 'alice' }), NOW.getTime());
    budgets.add(row({ user: 'bob', costTicks: 2n * CENT }), NOW.getTime());
    budgets.add(row({ user: 'alice', costTicks: 4n * CENT }), NOW.getTime());
    budgets.add(row({ user: 'bob', team: 'support', costTicks: 8n * CENT }), NOW.getTime());
    expect(spent(budgets)).toEqual({ support: 13, org: 15 });
  });
});
