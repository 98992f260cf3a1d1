/**
 * What a budget has spent in its current period, read from the ledger on the default
 * basis (no dollar counted twice) with the budget's scope as a filter — so budget state
 * survives restarts and includes imported spend, not only this proxy's.
 */
import type { Attributor } from '../attribution/attributor.js';
import type { BudgetConfig } from '../config/config-schema.js';
import type { LedgerStore } from '../ledger/ledger-store.js';
import { buildReport, clockOffset } from '../reports/build-report.js';
import { dec, usdToTicks } from '../shared/money.js';
import { periodWindow, type PeriodWindow } from './budget-period.js';
import { scopeDimension } from './budget-scope.js';

export interface BudgetSpend {
  window: PeriodWindow;
  spentTicks: bigint;
  requests: number;
  /** Rows in the period the catalogue could not price: their cost is unknown and not in spentTicks. */
  unpricedRows: number;
}

export async function budgetSpend(ledger: LedgerStore, attributor: Attributor, budget: BudgetConfig, now: Date): Promise<BudgetSpend> {
  const window = periodWindow(budget.period, now, budget.timezone);
  // Spend up to `now` only: judging a past moment (--at) must not count what came later.
  const until = now.getTime() < window.end.getTime() ? now : window.end;
  // A bill's day (an invoice's first day of the month) counts from the budget's own
  // midnight, so a month in New York takes October's invoice, not November's.
  const since = window.start.toISOString();
  const report = await buildReport(ledger, attributor, { by: [], where: scopeWhere(budget), since, until: until.toISOString(), basis: 'default', dayStart: clockOffset(since) });
  return { window, spentTicks: usdToTicks(dec(report.total.cost_usd_exact)), requests: report.total.requests, unpricedRows: report.total.unpriced_rows };
}

/**
 * Whether any spend in the whole ledger ever matched the budget's scope. A scope that
 * never matched is usually a misspelt value, and its budget would stay green at $0.00.
 */
export async function scopeEverSpent(ledger: LedgerStore, attributor: Attributor, budget: BudgetConfig): Promise<boolean> {
  const report = await buildReport(ledger, attributor, { by: [], where: scopeWhere(budget), basis: 'default' });
  return report.rows.length > 0 || report.total.cost_usd !== 0 || report.total.requests > 0;
}

/** The budget's scope as a report's `where` (its keys as report dimensions). */
function scopeWhere(budget: BudgetConfig): Record<string, string> {
  return Object.fromEntries(Object.entries(budget.scope).map(([k, v]) => [scopeDimension(k), v]));
}
