/**
 * What a budget has spent in its current period, read from the ledger on the default
 * basis (no dollar counted twice) with the budget's scope as a filter — so budget state
 * survives restarts and includes imported spend, not only this proxy's.
 */
import type { Attributor } from '../attribution/attributor.js';
import type { BudgetConfig } from '../config/config-schema.js';
import type { LedgerStore } from '../ledger/ledger-store.js';
import { dayStarts, periodWindow, type PeriodWindow } from './budget-period.js';
import { scopeDimension } from './budget-scope.js';
import { scopedReports } from './scoped-reports.js';

export interface BudgetSpend {
  window: PeriodWindow;
  spentTicks: bigint;
  requests: number;
  /** Rows in the period the catalogue could not price: their cost is unknown and not in spentTicks. */
  unpricedRows: number;
  /** With `byProvider`: the ticks by provider (providers with none left out); they add up to spentTicks. */
  byProvider?: Map<string, bigint>;
}

export async function budgetSpend(ledger: LedgerStore, attributor: Attributor, budget: BudgetConfig, now: Date): Promise<BudgetSpend> {
  return (await budgetSpends(ledger, attributor, [budget], now))[0]!;
}

/**
 * Each budget's spend (in the order given), from one report for the budgets whose scopes
 * read the same ledger columns over the same period (scoped-reports.ts): a team's monthly
 * budgets are one read, not one each. `byProvider`: read by provider, and give each
 * budget's ticks by provider too, from the same read (providers' records stop at their own
 * lags, and a run rate divides each one's spend by its own recorded time, budget-status.ts).
 */
export async function budgetSpends(ledger: LedgerStore, attributor: Attributor, budgets: readonly BudgetConfig[], now: Date, options: { byProvider?: boolean } = {}): Promise<BudgetSpend[]> {
  const windows = budgets.map((b) => periodWindow(b.period, now, b.timezone));
  const byProvider = options.byProvider === true;
  const reports = await scopedReports(ledger, attributor, byProvider ? ['provider'] : [], spendQueries(budgets, windows, now));
  return reports.map(({ rows, total }, i) => ({
    window: windows[i]!,
    spentTicks: total.cost_ticks,
    requests: total.requests,
    unpricedRows: total.unpriced_rows,
    ...(byProvider ? { byProvider: new Map(rows.map((r) => [r.dims.provider!, r.sums.cost_ticks])) } : {}),
  }));
}

function spendQueries(budgets: readonly BudgetConfig[], windows: readonly PeriodWindow[], now: Date) {
  return budgets.map((budget, i) => {
    const window = windows[i]!;
    // Spend up to `now` only: judging a past moment (--at) must not count what came later.
    const until = now.getTime() < window.end.getTime() ? now : window.end;
    // A bill's day (an invoice's first day of the month) and a whole-day row's date count
    // from the budget's own midnight, so a month in New York takes October's invoice and
    // the 1 October daily bucket, not November's.
    const since = window.start.toISOString();
    return { where: scopeWhere(budget), since, until: until.toISOString(), dayStart: dayStarts(window.start, until, budget.timezone) };
  });
}

/**
 * Whether any spend in the whole ledger ever matched each budget's scope (in the order
 * given; one read for the scopes on the same columns). A scope that never matched is
 * usually a misspelt value, and its budget would stay green at $0.00.
 */
export async function scopesEverSpent(ledger: LedgerStore, attributor: Attributor, budgets: readonly BudgetConfig[]): Promise<boolean[]> {
  const reports = await scopedReports(ledger, attributor, [], budgets.map((b) => ({ where: scopeWhere(b) })));
  return reports.map(({ rows, total }) => rows.length > 0 || total.cost_ticks !== 0n || total.requests > 0);
}

/** The budget's scope as a report's `where` (its keys as report dimensions). */
export function scopeWhere(budget: BudgetConfig): Record<string, string> {
  return Object.fromEntries(Object.entries(budget.scope).map(([k, v]) => [scopeDimension(k), v]));
}
