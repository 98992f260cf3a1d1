// The savings total counts each model's spend once: alternatives on the same spend do not add.
import { describe, expect, it } from 'vitest';
import type { Insight } from '../../src/insights/insight.js';
import { savingsTotal } from '../../src/insights/savings-total.js';

const insight = (kind: string, impact: number, scope: Record<string, string>): Insight => ({
  kind, title: kind, impact_usd_per_month: impact, action: '', effort: 'Low', priority: 'Low', scope, evidence: '',
});

describe('savingsTotal', () => {
  it('takes, per model, the larger of the model-wide saving and its features\' largest savings summed', () => {
    const total = savingsTotal([
      // haiku: switching the model (574.77) or batching one feature (306.93): 574.77, not 881.70.
      insight('model_arbitrage', 574.77, { provider: 'anthropic', model: 'claude-haiku-4-5' }),
      insight('batch', 306.93, { feature: 'ticket-summary', model: 'claude-haiku-4-5' }),
      // gpt-4o-mini: two features, each its largest (40 for a, 30 for b) = 70 > 25.53 model-wide.
      insight('model_arbitrage', 25.53, { provider: 'openai', model: 'gpt-4o-mini' }),
      insight('batch', 40, { feature: 'a', model: 'gpt-4o-mini' }),
      insight('caching', 12, { feature: 'a', model: 'gpt-4o-mini' }),
      insight('workload_fit', 30, { feature: 'b', model: 'gpt-4o-mini' }),
      // One model id at two providers: two providers' spend, which add (100 + 50).
      insight('model_arbitrage', 100, { provider: 'openai', model: 'gpt-4o' }),
      insight('model_arbitrage', 50, { provider: 'azure', model: 'gpt-4o' }),
      // Risks are not savings.
      insight('anomaly', 181.41, { feature: 'doc-qa' }),
      insight('budget_risk', 90, { budget: 'org' }),
      insight('concentration_risk', 5000, { provider: 'anthropic' }),
    ]);
    // 574.77 + 70 + 150 = 794.77
    expect(total).toBe(794.77);
  });

  it('rounds its total half up on the exact decimal: $1.005 is $1.01, $0.285 is $0.29', () => {
    // Math.round(x * 100) / 100 gave 1 and 0.28 (the floats sit just below the half cent).
    expect(savingsTotal([insight('batch', 1.005, { model: 'm', feature: 'f' })])).toBe(1.01);
    expect(savingsTotal([insight('caching', 0.285, { model: 'm', feature: 'f' })])).toBe(0.29);
  });

  it('is 0 with no savings', () => {
    expect(savingsTotal([insight('anomaly', 10, {})])).toBe(0);
  });
});
