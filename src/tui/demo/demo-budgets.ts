/**
 * Budgets for the demo when llmfin.yaml has none, sized from the replay's own spend
 * rate so that, within a few minutes, one bar turns amber, one red and one stays green.
 */
import type { BudgetConfig } from '../../config/config-schema.js';
import type { RequestProfile } from './demo-profiles.js';
import { demoSpendMix } from './demo-profiles.js';

/** Two significant digits, at least a cent. */
const round = (usd: number) => Math.max(0.01, Number(usd.toPrecision(2)));

function budget(name: string, scope: Record<string, string>, period: BudgetConfig['period'], limit: number): BudgetConfig {
  return { name, scope, period, limit_usd: round(limit), soft_limit_percent: 80, action: 'alert', timezone: 'UTC' };
}

/** `requestsPerSecond` is the replay's rate. */
export function demoBudgets(days: readonly RequestProfile[][], requestsPerSecond: number): BudgetConfig[] {
  const mix = demoSpendMix(days);
  const perMinute = (mix.meanCostTicks / 1e10) * requestsPerSecond * 60;
  return [
    budget('org-daily', {}, 'daily', perMinute * 3),
    budget('support-monthly', { team: 'support' }, 'monthly', perMinute * mix.share('team', 'support') * 1.5),
    budget('coder-agent', { agent: 'coder' }, 'daily', perMinute * mix.share('agent', 'coder') * 1.2),
    budget('search-daily', { team: 'search' }, 'daily', perMinute * mix.share('team', 'search') * 12),
  ];
}
