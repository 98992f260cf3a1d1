/**
 * A budget's status as JSON, with `unpriced_rows` beside `spent_usd`: how many of the
 * period's rows it could not count. One shape wherever a budget row is printed
 * (`budget status`, `forecast`, `demo`), so a script reads them alike.
 */
import type { BudgetStatus } from '../../budgets/budget-status.js';

export function budgetJson(s: BudgetStatus, unpricedRows: number): Record<string, unknown> {
  const { name, scope, period, period_start, period_end, spent_usd, ...rest } = s;
  // Every row has price_changes, [] when no scheduled price change touches it: one shape for all rows.
  return { name, scope, period, period_start, period_end, spent_usd, unpriced_rows: unpricedRows, ...rest, price_changes: rest.price_changes ?? [] };
}
