// Each insight's $ impact computed by hand from catalogue prices.
import { describe, expect, it } from 'vitest';
import { findInsights } from '../../src/insights/build-insights.js';
import type { UsageCell } from '../../src/insights/insight.js';
import { dec } from '../../src/shared/money.js';
import { testPricer } from '../helpers/import.js';

const at = new Date('2026-11-01T00:00:00Z');
const cell = (feature: string, model: string, o: Partial<UsageCell['mix']>, interactive: boolean | null = null): UsageCell => ({
  feature,
  interactive,
  mix: { provider: 'anthropic', model, requests: 1000, input_tokens: 0, cache_read_tokens: 0, cache_write_tokens: 0, output_tokens: 0, reasoning_tokens: 0, cost: dec(0), ...o },
});

describe('insights', () => {
  it('batch: a non-interactive feature on claude-haiku-4-5 saves half its price', async () => {
    const pricer = await testPricer();
    // claude-haiku-4-5 $1 in / $5 out per 1M: 1,000,000 in + 100,000 out = $1.00 + $0.50 = $1.50
    // over 30 days; batch is ×0.5 → $0.75 a month saved.
    const c = cell('nightly-digest', 'claude-haiku-4-5', { input_tokens: 1_000_000, output_tokens: 100_000, cost: dec('1.5') }, false);
    const { insights } = findInsights({ cells: [c], days: 30, anomalies: [], budgets: [], pricer, at });
    const batch = insights.find((i) => i.kind === 'batch')!;
    expect(batch.impact_usd_per_month).toBe(0.75);
    expect(batch.effort).toBe('Medium');
  });

  it('caching: 5,000-token prompts with no cache hits; half read from cache at $0.10 saves $2.25 a month', async () => {
    const pricer = await testPricer();
    // 1,000 requests × 5,000 input = 5,000,000 input tokens at $1 = $5.00 (no output).
    // With 2,500,000 read from cache: 2.5M × $1 + 2.5M × $0.10 = $2.75 → $2.25 saved over 30 days.
    const c = cell('support-chat', 'claude-haiku-4-5', { input_tokens: 5_000_000, cost: dec(5) }, true);
    const { insights } = findInsights({ cells: [c], days: 30, anomalies: [], budgets: [], pricer, at });
    expect(insights.find((i) => i.kind === 'caching')!.impact_usd_per_month).toBe(2.25);
  });

  it('concentration: all spend on one provider is a risk worth its monthly spend, scaled to 30 days', async () => {
    const pricer = await testPricer();
    // $1.50 over 15 days → $3.00 a month, 100% on anthropic.
    const c = cell('chat', 'claude-haiku-4-5', { input_tokens: 1_000_000, output_tokens: 100_000, cost: dec('1.5') }, true);
    const { insights, monthly_total_usd } = findInsights({ cells: [c], days: 15, anomalies: [], budgets: [], pricer, at });
    expect(monthly_total_usd).toBe(3);
    const risk = insights.find((i) => i.kind === 'concentration_risk')!;
    expect(risk.impact_usd_per_month).toBe(3);
    expect(risk.priority).toBe('High');
  });
});
