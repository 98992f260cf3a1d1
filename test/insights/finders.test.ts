// Each insight's $ impact computed by hand from catalogue prices.
import { describe, expect, it } from 'vitest';
import { findInsights } from '../../src/insights/build-insights.js';
import type { Anomaly } from '../../src/anomalies/anomaly.js';
import type { BudgetStatus } from '../../src/budgets/budget-status.js';
import type { UsageCell } from '../../src/insights/insight.js';
import { dec } from '../../src/shared/money.js';
import { testPricer } from '../helpers/import.js';

const at = new Date('2026-11-01T00:00:00Z');
const cell = (feature: string, model: string, o: Partial<UsageCell['mix']>, interactive: boolean | null = null): UsageCell => ({
  feature,
  interactive,
  mix: { provider: 'anthropic', model, requests: 1000, input_tokens: 0, cache_read_tokens: 0, cache_write_tokens: 0, cache_write_1h_tokens: 0, output_tokens: 0, reasoning_tokens: 0, cost: dec(0), ...o },
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

  it('caching: 5,000-token prompts with no cache hits, 1,000 a day; a cached prefix is written once per 5-minute window', async () => {
    const pricer = await testPricer();
    // claude-haiku-4-5: $1 input, $0.10 cache read, $1.25 cache write (5m) per 1M.
    // 30,000 requests × 5,000 input = 150,000,000 tokens = $150.00 over 30 days. Half of each
    // prompt (2,500 tokens) cached: written once per 5-minute window, 30 × 288 = 8,640 writes
    // = 21,600,000 tokens; read by the other requests: 75,000,000 − 21,600,000 = 53,400,000.
    // 75M × $1 + 53.4M × $0.10 + 21.6M × $1.25 = $75 + $5.34 + $27 = $107.34: $42.66 saved.
    const c = cell('support-chat', 'claude-haiku-4-5', { requests: 30_000, input_tokens: 150_000_000, cost: dec(150) }, true);
    const { insights } = findInsights({ cells: [c], days: 30, anomalies: [], budgets: [], pricer, at });
    const caching = insights.find((i) => i.kind === 'caching')!;
    expect(caching.impact_usd_per_month).toBe(42.66);
    expect(caching.evidence).toBe('with 50% of each prompt cached, written once per 5-minute window (8,640 writes for 30,000 requests), the last 30 days would cost $107.34 instead of $150.00');
  });

  it('evidence writes dollars as the tables do: thousands grouped', async () => {
    const pricer = await testPricer();
    // The case above at 100× the prompt: 15,000,000,000 input tokens = $15,000.00; cached half:
    // 7.5B × $1 + (7.5B − 2.16B) × $0.10 + 2.16B × $1.25 = $7,500 + $534 + $2,700 = $10,734.00.
    const c = cell('support-chat', 'claude-haiku-4-5', { requests: 30_000, input_tokens: 15_000_000_000, cost: dec(15_000) }, true);
    const { insights } = findInsights({ cells: [c], days: 30, anomalies: [], budgets: [], pricer, at });
    const caching = insights.find((i) => i.kind === 'caching')!;
    expect(caching.evidence).toBe('with 50% of each prompt cached, written once per 5-minute window (8,640 writes for 30,000 requests), the last 30 days would cost $10,734.00 instead of $15,000.00');
  });

  it('caching: no insight for 1,000 requests a month, as each would write the prefix (at $1.25) rather than read it', async () => {
    const pricer = await testPricer();
    // 1,000 requests in 30 days: fewer than the 8,640 five-minute windows, so every request
    // writes its 2,500-token prefix: 2.5M × $1 + 2.5M × $1.25 = $5.625 against $5.00, no saving.
    const c = cell('support-chat', 'claude-haiku-4-5', { input_tokens: 5_000_000, cost: dec(5) }, true);
    const { insights } = findInsights({ cells: [c], days: 30, anomalies: [], budgets: [], pricer, at });
    expect(insights.find((i) => i.kind === 'caching')).toBeUndefined();
  });

  it('a tie in price goes to the later generation: claude-sonnet-4-6 over 4-0, gpt-5.1 over gpt-5', async () => {
    const pricer = await testPricer();
    // claude-opus-4-1 ($15 in / $75 out): 500,000 in + 100,000 out = $7.50 + $7.50 = $15.00 over
    // 30 days, 500 in / 100 out per request. Sonnet 4-0, 4-5 and 4-6 all cost $3 / $15:
    // $1.50 + $1.50 = $3.00, $12.00 saved. gpt-5 and gpt-5.1 both $1.25 / $10: $0.625 + $1.00
    // = $1.625, $13.375 → $13.38 saved.
    const c = cell('classify', 'claude-opus-4-1', { input_tokens: 500_000, output_tokens: 100_000, cost: dec(15) }, true);
    const { insights } = findInsights({ cells: [c], days: 30, anomalies: [], budgets: [], pricer, at });
    const fit = insights.find((i) => i.kind === 'workload_fit')!;
    expect([fit.impact_usd_per_month, fit.action]).toEqual([12, 'route classify to claude-sonnet-4-6 (or let the router pick per prompt)']);
    const arb = insights.find((i) => i.kind === 'model_arbitrage')!;
    expect([arb.impact_usd_per_month, arb.title]).toEqual([13.38, 'claude-opus-4-1 → gpt-5.1 (flagship, openai)']);
  });

  it('a window of one day, or part of one, is said in words: "the last day", never "the last 1 days"', async () => {
    const pricer = await testPricer();
    const c = cell('nightly-digest', 'claude-opus-4-1', { input_tokens: 500_000, output_tokens: 100_000, cost: dec(15) }, false);
    for (const [days, words] of [[1, 'the last day'], [0.25, 'the last 0.25 days'], [30, 'the last 30 days']] as const) {
      const { insights } = findInsights({ cells: [c], days, anomalies: [], budgets: [], pricer, at });
      const texts = insights.map((i) => i.evidence);
      expect(texts.filter((e) => e.includes(words))).toHaveLength(3);
      expect(texts.join('\n')).not.toMatch(/last 1 days|days'/);
    }
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

  it('budget risk: a budget heading past its limit is worth its projected excess; anomalies their excess so far', async () => {
    const pricer = await testPricer();
    const budget = (name: string, o: Partial<BudgetStatus>): BudgetStatus => ({
      name, scope: 'organisation', period: 'monthly', period_start: '2026-11-01T00:00:00.000Z', period_end: '2026-12-01T00:00:00.000Z',
      spent_usd: 0, limit_usd: 1000, percent: 0, state: 'green', action: 'alert', projected_usd: 0, breach_at: null, breached: false,
      projected_p50_usd: 0, projected_p90_usd: 0, breach_probability: null, breach_date_p50: null, breach_date_p90: null, projection_method: 'forecast', selected_method: 'combination', ...o,
    });
    const budgets = [
      // P50 $1,234.567 against $1,000: $234.567 over, $234.57 to the cent.
      budget('platform', { projected_p50_usd: 1234.567, projected_p90_usd: 1500.1, breach_probability: 0.8, breach_date_p50: '2026-11-24' }),
      // Heading over by $0.00229 a month: nothing worth an insight.
      budget('sandbox', { limit_usd: 0.001, projected_p50_usd: 0.00329, projected_p90_usd: 0.004, breach_probability: 1 }),
      budget('unlikely', { projected_p50_usd: 990, projected_p90_usd: 1100, breach_probability: 0.3 }),
      budget('already-over', { spent_usd: 1000.004, percent: 100, state: 'red', breached: true, projected_p50_usd: 2000, breach_probability: 1 }),
    ];
    const anomaly: Anomaly = { kind: 'spike', dims: { feature: 'search' }, since: '2026-10-21', until: '2026-10-21', detected: '2026-10-21', metric: 'spend', observed: 134.45, expected: 17.45, excess_usd: 117, evidence: 'x', score: 19.2 };
    const { insights } = findInsights({ cells: [], days: 30, anomalies: [anomaly], budgets, pricer, at });
    const risks = insights.filter((i) => i.kind === 'budget_risk');
    expect(risks.map((r) => [r.scope.budget, r.impact_usd_per_month, r.evidence])).toEqual([
      ['platform', 234.57, 'P50 period end $1,234.57, P90 $1,500.10, breach probability 80%'],
    ]);
    expect(risks[0]!.action).toBe('raise the platform limit or cut the spend behind it before 2026-11-24');
    expect(insights.find((i) => i.kind === 'anomaly')).toMatchObject({ title: 'spike in search on 2026-10-21', impact_usd_per_month: 117, effort: 'Low' });
  });

  it('budget risk: a budget already over its limit is High, worth its overspend, ranked above larger Medium risks', async () => {
    const pricer = await testPricer();
    const budget = (name: string, period: BudgetStatus['period'], spent: number, limit: number, o: Partial<BudgetStatus> = {}): BudgetStatus => ({
      name, scope: 'organisation', period, period_start: '2026-11-01T00:00:00.000Z', period_end: '2026-12-01T00:00:00.000Z',
      spent_usd: spent, limit_usd: limit, percent: Math.round((spent / limit) * 10_000) / 100, state: spent >= limit ? 'red' : 'green', action: 'alert',
      projected_usd: spent * 2, breach_at: null, breached: spent >= limit,
      projected_p50_usd: spent * 2, projected_p90_usd: spent * 2.5, breach_probability: spent >= limit ? 1 : 0, breach_date_p50: null, breach_date_p90: null, projection_method: 'forecast', selected_method: 'combination', ...o,
    });
    // $20,000 a month of spend: 2% is $400, 10% $2,000. An overspend of $1,050.40 − $1,000
    // = $50.40 is far below either, yet a breached budget is High.
    const c = cell('chat', 'claude-haiku-4-5', { input_tokens: 1_000_000, cost: dec(20_000) }, true);
    const budgets = [
      budget('org', 'monthly', 1050.4, 1000),
      // A daily budget $7.255 over $30: $37.255 − $30 = $7.255 → $7.26 (its overspend, not × 30).
      budget('sandbox', 'daily', 37.255, 30, { period_start: '2026-11-20T00:00:00.000Z', period_end: '2026-11-21T00:00:00.000Z' }),
      // Exactly at the limit: nothing spent beyond it (and a P50 of $60 at 1 is a heading-past risk instead).
      budget('exact', 'monthly', 30, 30, { breached: true, state: 'red' }),
    ];
    // A spike of $500 is Medium ($400 ≤ $500 < $1,000 and < $2,000).
    const spike: Anomaly = { kind: 'spike', dims: { feature: 'search' }, since: '2026-10-21', until: '2026-10-21', detected: '2026-10-21', metric: 'spend', observed: 600, expected: 100, excess_usd: 500, evidence: 'x', score: 19.2 };
    const { insights } = findInsights({ cells: [c], days: 30, anomalies: [spike], budgets, pricer, at });
    const risks = insights.filter((i) => i.kind === 'budget_risk');
    expect(risks.map((r) => [r.priority, r.title, r.impact_usd_per_month, r.evidence])).toEqual([
      ['High', 'budget org over its $1,000.00 limit', 50.4, 'spent $1,050.40 of $1,000.00 since 2026-11-01: $50.40 over; P50 period end $2,100.80'],
      ['High', 'budget sandbox over its $30.00 a day limit', 7.26, 'spent $37.26 of $30.00 since 2026-11-20: $7.26 over; P50 period end $74.51'],
    ]);
    expect(risks[0]!.action).toBe('cut the spend behind org or raise its limit: its period runs until 2026-12-01');
    const order = insights.map((i) => i.kind);
    expect(order.indexOf('budget_risk')).toBeLessThan(order.indexOf('anomaly'));
    expect(insights.find((i) => i.kind === 'anomaly')!.priority).toBe('Medium');
  });

  it('budget risk of a weekly or daily budget: the overrun per period, as a month of 30 days', async () => {
    const pricer = await testPricer();
    const budget = (name: string, period: BudgetStatus['period'], limit: number, p50: number): BudgetStatus => ({
      name, scope: 'feature=b', period, period_start: '2026-11-30T00:00:00.000Z', period_end: '2026-12-07T00:00:00.000Z',
      spent_usd: 0, limit_usd: limit, percent: 0, state: 'green', action: 'alert', projected_usd: 0, breach_at: null, breached: false,
      projected_p50_usd: p50, projected_p90_usd: p50, breach_probability: 1, breach_date_p50: '2026-12-02', breach_date_p90: '2026-12-02', projection_method: 'forecast', selected_method: 'combination',
    });
    const { insights } = findInsights({ cells: [], days: 30, anomalies: [], budgets: [budget('b-weekly', 'weekly', 20, 49.01), budget('a-daily', 'daily', 2, 3.38), budget('b-monthly', 'monthly', 100, 212.21)], pricer, at });
    // Weekly: $29.01 over × 30/7 = $124.3286 → $124.33. Daily: $1.38 over × 30 = $41.40.
    // Monthly: $112.21 over, once.
    expect(insights.filter((i) => i.kind === 'budget_risk').map((i) => [i.title, i.impact_usd_per_month, i.evidence])).toEqual([
      ['budget b-weekly heading past $20.00 a week', 124.33, 'P50 period end $49.01, P90 $49.01, breach probability 100%; $29.01 over each week is $124.33 a month'],
      ['budget b-monthly heading past $100.00', 112.21, 'P50 period end $212.21, P90 $212.21, breach probability 100%'],
      ['budget a-daily heading past $2.00 a day', 41.4, 'P50 period end $3.38, P90 $3.38, breach probability 100%; $1.38 over each day is $41.40 a month'],
    ]);
  });

  it('anomalies: two incidents of one scope are told apart by their day; a trace anomaly by its trace', async () => {
    const pricer = await testPricer();
    const creep = (since: string, excess: number): Anomaly => ({ kind: 'creep', dims: { feature: 'doc-qa' }, since, until: '2026-10-31', detected: '2026-10-31', metric: 'tokens_per_request', observed: 2, expected: 1, excess_usd: excess, evidence: 'x', score: 3 });
    const runaway: Anomaly = { kind: 'runaway_session', dims: { feature: 'support-agent', trace: 'sess-1' }, since: '2026-10-23T09:00:00.000Z', until: '2026-10-23T10:00:00.000Z', detected: '2026-10-23T10:00:00.000Z', metric: 'trace_cost', observed: 26.86, expected: 0.15, excess_usd: 26.7, evidence: 'x', score: 9 };
    const { insights } = findInsights({ cells: [], days: 30, anomalies: [creep('2026-08-31', 303.33), creep('2026-10-04', 122.18), runaway], budgets: [], pricer, at });
    expect(insights.filter((i) => i.kind === 'anomaly').map((i) => i.title)).toEqual([
      'creep in doc-qa since 2026-08-31',
      'creep in doc-qa since 2026-10-04',
      'runaway session in support-agent · sess-1',
    ]);
    // A trace is one run: no budget can be set on it, so the action is about the agent.
    expect(insights.find((i) => i.title.startsWith('runaway'))!.action).toBe("cap the agent's steps or spend per session, and find what kept this one going");
  });

  it('anomalies: a level shift or a creep costs its excess a day so far over 30 days; a spike or a session its excess', async () => {
    const pricer = await testPricer();
    const base = { metric: 'spend', observed: 2, expected: 1, evidence: 'e', score: 3 };
    // Oct 22–31 is 10 days: $200 / 10 × 30 = $600 a month.
    const shift: Anomaly = { ...base, kind: 'level_shift', dims: { feature: 'search' }, since: '2026-10-22', until: '2026-10-31', detected: '2026-10-31', excess_usd: 200 };
    // Oct 4–31 is 28 days: $122.18 / 28 × 30 = $130.907… → $130.91.
    const creep: Anomaly = { ...base, kind: 'creep', dims: { feature: 'doc-qa' }, since: '2026-10-04', until: '2026-10-31', detected: '2026-10-31', excess_usd: 122.18 };
    // Found on its first day: $40 / 1 × 30 = $1,200.
    const fresh: Anomaly = { ...base, kind: 'level_shift', dims: { feature: 'chat' }, since: '2026-10-31', until: '2026-10-31', detected: '2026-10-31', excess_usd: 40 };
    const spike: Anomaly = { ...base, kind: 'spike', dims: { feature: 'etl' }, since: '2026-10-21', until: '2026-10-21', detected: '2026-10-21', excess_usd: 117 };
    const runaway: Anomaly = { ...base, kind: 'runaway_session', dims: { feature: 'agent', trace: 's-1' }, since: '2026-10-23T09:00:00.000Z', until: '2026-10-24T10:00:00.000Z', detected: '2026-10-24T10:00:00.000Z', excess_usd: 26.7 };
    const { insights } = findInsights({ cells: [], days: 30, anomalies: [shift, creep, fresh, spike, runaway], budgets: [], pricer, at });
    const byFeature = Object.fromEntries(insights.filter((i) => i.kind === 'anomaly').map((i) => [i.scope.feature, [i.impact_usd_per_month, i.evidence]]));
    expect(byFeature).toEqual({
      search: [600, 'e; $200.00 over 10 days so far is $600.00 a month while it lasts'],
      'doc-qa': [130.91, 'e; $122.18 over 28 days so far is $130.91 a month while it lasts'],
      chat: [1200, 'e; $40.00 over 1 day so far is $1,200.00 a month while it lasts'],
      etl: [117, 'e; $117.00 over what was expected'],
      agent: [26.7, 'e; $26.70 over what was expected'],
    });
    // Ranked by that impact: the shift found today first, the spike below the creep.
    expect(insights.filter((i) => i.kind === 'anomaly').map((i) => i.scope.feature)).toEqual(['chat', 'search', 'doc-qa', 'etl', 'agent']);
  });

  it('money is scaled to a month in decimal and rounded half up, as the tables show it, not through a float', async () => {
    const pricer = await testPricer();
    // $2.01 over 60 days is $1.005 a month → $1.01 (2.01 × (30 / 60) as floats rounded to $1.00).
    const c = cell('chat', 'claude-haiku-4-5', { input_tokens: 1_000, cost: dec('2.01') }, true);
    const { insights, monthly_total_usd } = findInsights({ cells: [c], days: 60, anomalies: [], budgets: [], pricer, at });
    expect(monthly_total_usd).toBe(1.01);
    expect(insights.find((i) => i.kind === 'concentration_risk')!.impact_usd_per_month).toBe(1.01);
    // A creep of $2.01 over Sep 2 – Oct 31 (60 days): $2.01 / 60 × 30 = $1.005 → $1.01 (the float gave $1.00).
    const creep: Anomaly = { kind: 'creep', dims: { feature: 'doc-qa' }, since: '2026-09-02', until: '2026-10-31', detected: '2026-10-31', metric: 'spend', observed: 2, expected: 1, excess_usd: 2.01, evidence: 'e', score: 3 };
    // A weekly budget heading $0.2345 past $50: × 30/7 = $1.005 a month → $1.01 (50.2345 − 50 as floats is 0.23449999999999704 → $1.00).
    const budget: BudgetStatus = {
      name: 'w', scope: 'feature=b', period: 'weekly', period_start: '2026-11-30T00:00:00.000Z', period_end: '2026-12-07T00:00:00.000Z',
      spent_usd: 0, limit_usd: 50, percent: 0, state: 'green', action: 'alert', projected_usd: 0, breach_at: null, breached: false,
      projected_p50_usd: 50.2345, projected_p90_usd: 50.2345, breach_probability: 1, breach_date_p50: null, breach_date_p90: null, projection_method: 'forecast', selected_method: 'combination',
    };
    const risks = findInsights({ cells: [], days: 30, anomalies: [creep], budgets: [budget], pricer, at }).insights;
    expect(risks.map((i) => [i.kind, i.impact_usd_per_month, i.evidence])).toEqual([
      ['anomaly', 1.01, 'e; $2.01 over 60 days so far is $1.01 a month while it lasts'],
      ['budget_risk', 1.01, 'P50 period end $50.23, P90 $50.23, breach probability 100%; $0.23 over each week is $1.01 a month'],
    ]);
  });

  it('a window with no spend ranks by $ alone: a $26.70 runaway is Low, not High for being 10% of $0', async () => {
    const pricer = await testPricer();
    const base = { metric: 'spend', observed: 2, expected: 1, evidence: 'e', score: 3 };
    const runaway: Anomaly = { ...base, kind: 'runaway_session', dims: { feature: 'agent', trace: 's-1' }, since: '2026-10-23T09:00:00.000Z', until: '2026-10-23T10:00:00.000Z', detected: '2026-10-23T10:00:00.000Z', excess_usd: 26.7 };
    const spike: Anomaly = { ...base, kind: 'spike', dims: { feature: 'etl' }, since: '2026-10-21', until: '2026-10-21', detected: '2026-10-21', excess_usd: 117 };
    const { insights, monthly_total_usd } = findInsights({ cells: [], days: 30, anomalies: [runaway, spike], budgets: [], pricer, at });
    expect(monthly_total_usd).toBe(0);
    expect(insights.map((i) => [i.scope.feature, i.priority])).toEqual([
      ['etl', 'Medium'],
      ['agent', 'Low'],
    ]);
  });
});
