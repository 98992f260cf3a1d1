// Snapshots and rows for the component tests: fixed numbers, fixed clock (2026-11-30 12:00 UTC).
import { budgetStatus } from '../../../src/budgets/budget-status.js';
import { periodWindow } from '../../../src/budgets/budget-period.js';
import type { BudgetConfig } from '../../../src/config/config-schema.js';
import type { DashboardSnapshot, FeedRow, LiveBudgetStatus } from '../../../src/tui/data/dashboard-snapshot.js';
import { UNATTRIBUTED, type GroupTotals } from '../../../src/tui/data/group-tracker.js';

export const NOW = Date.parse('2026-11-30T12:00:00.000Z');
export const TICKS = 10_000_000_000n;

export function budget(name: string, limit: number, spentUsd: number, overrides: Partial<BudgetConfig> = {}): LiveBudgetStatus {
  const config: BudgetConfig = { name, scope: {}, period: 'monthly', limit_usd: limit, soft_limit_percent: 80, action: 'alert', timezone: 'UTC', ...overrides };
  const window = periodWindow(config.period, new Date(NOW), config.timezone);
  return { ...budgetStatus(config, window, BigInt(Math.round(spentUsd * 100)) * (TICKS / 100n), new Date(NOW)), unpriced_rows: 0 };
}

/** Budgets at 50%, 85% and 120% of their limits. */
export const BUDGETS: LiveBudgetStatus[] = [
  budget('org-monthly', 1000, 500),
  budget('support-team', 200, 170, { scope: { team: 'support' } }),
  budget('coder-agent', 50, 60, { scope: { agent: 'coder' }, period: 'daily' }),
];

/** A request of the feed; its group is its team (the snapshot's groupBy) unless `overrides` says otherwise. */
export function row(id: number, overrides: Partial<FeedRow> = {}): FeedRow {
  const team = 'team' in overrides ? (overrides.team ?? null) : 'support';
  return {
    id,
    ts: new Date(NOW - 1000 * (100 - id)).toISOString(),
    provider: 'anthropic',
    source: 'proxy',
    provenance: 'metered',
    chargeCategory: 'usage',
    granularity: 'request',
    model: 'claude-haiku-4-5',
    modelRequested: null,
    requests: 1,
    inputTokens: 2000,
    outputTokens: 300,
    costTicks: 35_000_000n, // $0.0035
    team: 'support',
    feature: 'ticket-summary',
    customer: 'acme',
    agent: null,
    project: null,
    environment: 'production',
    apiKey: null,
    account: null,
    workspace: null,
    user: null,
    trace: null,
    tags: null,
    latencyMs: 850,
    routedFrom: null,
    promptHash: null,
    statusCode: null,
    estimated: false,
    group: team ?? UNATTRIBUTED,
    ...overrides,
  };
}

function series(peakMinute: number, value: number): number[] {
  return Array.from({ length: 60 }, (_, i) => (i === peakMinute ? value * 3 : i % 7 === 0 ? 0 : value));
}

export const GROUPS: GroupTotals[] = [
  { name: 'support', perMinute: series(58, 1e9), costTicks: 0, requests: 5400 },
  { name: 'search', perMinute: series(30, 4e8), costTicks: 0, requests: 21000 },
  { name: 'growth', perMinute: series(10, 1e8), costTicks: 0, requests: 800 },
].map((g) => ({ ...g, costTicks: g.perMinute.reduce((a, b) => a + b, 0), unpricedRows: 0 }));

export function snapshot(overrides: Partial<DashboardSnapshot> = {}): DashboardSnapshot {
  return {
    at: NOW,
    ledger: '/tmp/ledger.db',
    today: { costTicks: 1234_56n * (TICKS / 100n), requests: 45_678, countedTicks: 1234_56n * (TICKS / 100n), countedRequests: 45_678, unpriced: 0 },
    month: { costTicks: 23_456_78n * (TICKS / 100n), requests: 987_654, countedTicks: 23_456_78n * (TICKS / 100n), countedRequests: 987_654, unpriced: 0 },
    requestsPerSecond: 512.3,
    tokensPerSecond: 48_200,
    costPerRequestTicks: 270_000_000,
    budgets: BUDGETS,
    groupBy: 'team',
    groups: GROUPS,
    latest: [
      row(99, { model: 'claude-haiku-4-5', routedFrom: 'claude-sonnet-4-5', costTicks: 31_000_000n }),
      row(98, { model: 'gpt-4.1', provider: 'openai', inputTokens: 12_000, outputTokens: 900, costTicks: 312_000_000n, latencyMs: 2400 }),
      row(97),
    ],
    costliest: [row(98, { model: 'gpt-4.1', provider: 'openai', inputTokens: 12_000, outputTokens: 900, costTicks: 312_000_000n, latencyMs: 2400 }), row(99)],
    flags: [],
    loopRepeats: 4,
    filter: '',
    ...overrides,
  };
}
