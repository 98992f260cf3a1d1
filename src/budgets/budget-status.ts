/**
 * Where each budget stands: spent against its limit, the state (green below the soft
 * limit, amber from it, red at or past the limit), and where the period is heading at the
 * current run rate — projected period-end spend and the date the limit would be crossed.
 */
import type { BudgetConfig } from '../config/config-schema.js';
import { dec, ticksToUsd, usdToTicks } from '../shared/money.js';
import type { PeriodWindow } from './budget-period.js';
import { describeScope } from './budget-scope.js';

export type BudgetStateName = 'green' | 'amber' | 'red';

export interface BudgetStatus {
  name: string;
  scope: string;
  period: BudgetConfig['period'];
  period_start: string;
  period_end: string;
  spent_usd: number;
  limit_usd: number;
  /** spent / limit, in percent, two decimals. */
  percent: number;
  state: BudgetStateName;
  action: BudgetConfig['action'];
  /** Spend at period end if the run rate so far continues. */
  projected_usd: number;
  /** When the run rate crosses the limit within the period (null: it does not, or already has). */
  breach_at: string | null;
  breached: boolean;
}

export function budgetStatus(config: BudgetConfig, window: PeriodWindow, spentTicks: bigint, now: Date): BudgetStatus {
  const limitTicks = usdToTicks(dec(config.limit_usd));
  const elapsed = Math.max(0, Math.min(now.getTime(), window.end.getTime()) - window.start.getTime());
  const length = window.end.getTime() - window.start.getTime();
  const spent = ticksToUsd(spentTicks);
  const percentX100 = limitTicks > 0n ? (spentTicks * 10_000n) / limitTicks : 0n;
  const percent = Number(percentX100) / 100;
  const state: BudgetStateName = spentTicks >= limitTicks ? 'red' : percent >= config.soft_limit_percent ? 'amber' : 'green';
  const projected = elapsed > 0 ? spent.mul(length).div(elapsed) : spent;
  let breachAt: string | null = null;
  if (spentTicks > 0n && spentTicks < limitTicks && elapsed > 0) {
    const at = window.start.getTime() + dec(config.limit_usd).div(spent).mul(elapsed).toNumber();
    if (at < window.end.getTime()) breachAt = new Date(Math.round(at)).toISOString();
  }
  return {
    name: config.name,
    scope: describeScope(config.scope),
    period: config.period,
    period_start: window.start.toISOString(),
    period_end: window.end.toISOString(),
    spent_usd: spent.toNumber(),
    limit_usd: config.limit_usd,
    percent,
    state,
    action: config.action,
    projected_usd: projected.toDecimalPlaces(2).toNumber(),
    breach_at: breachAt,
    breached: spentTicks >= limitTicks,
  };
}

/** Most at risk first: breached, then by projected share of the limit. */
export function byRisk(a: BudgetStatus, b: BudgetStatus): number {
  if (a.breached !== b.breached) return a.breached ? -1 : 1;
  return b.projected_usd / b.limit_usd - a.projected_usd / a.limit_usd || a.name.localeCompare(b.name);
}
