/**
 * `llmfin insights`: the last `days` of usage per feature and model (default basis),
 * every finder of the registry, ranked by priority then $ impact per month.
 */
import type { Attributor } from '../attribution/attributor.js';
import type { LedgerStore } from '../ledger/ledger-store.js';
import { buildReport } from '../reports/build-report.js';
import { mixOfRow } from '../forecast/token-mix.js';
import { INSIGHT_FINDERS } from './insight-registry.js';
import { priorityOf, usdPerMonth, type Insight, type InsightInput, type UsageCell } from './insight.js';
import { dec } from '../shared/money.js';
import { cellKey, tieredOf, tieredUsage } from './tiered-usage.js';
import { hourCacheWrites } from './hour-cache-writes.js';

const RANK = { High: 0, Medium: 1, Low: 2 } as const;

export async function loadUsageCells(ledger: LedgerStore, attributor: Attributor, period: { since: string; until: string }): Promise<UsageCell[]> {
  return (await loadUsage(ledger, attributor, period)).cells;
}

/**
 * The window's usage cells, how many ledger rows in it have no price (their cost is not in
 * the cells), and how many usage rows it holds at all (none: there was nothing to judge).
 */
export async function loadUsage(ledger: LedgerStore, attributor: Attributor, period: { since: string; until: string }): Promise<{ cells: UsageCell[]; unpriced_rows: number; usage_rows: number }> {
  const report = await buildReport(ledger, attributor, { by: ['feature', 'provider', 'model', 'interactive'], since: period.since, until: period.until, basis: 'default' });
  // Usage on the batch or flex tier is priced at that tier: not offered a discount it has.
  const tiers = await tieredUsage(ledger, attributor, period);
  // Writes to the 1-hour cache at their own rate, not the 5-minute one.
  const hourWrites = await hourCacheWrites(ledger, attributor, period);
  const cells = report.rows
    // Money no row names a model for (an invoice's remainder, a bill without model names)
    // stays in: it is part of the monthly spend and of its provider's share, and the
    // finders that price a model find no price for "(unattributed)" and pass it by.
    .filter((r) => r.cost_usd > 0)
    .map((r) => {
      const cell: UsageCell = {
        feature: r.feature ?? '(unattributed)',
        interactive: r.interactive === 'false' ? false : r.interactive === 'true' ? true : null,
        mix: mixOfRow(r),
      };
      const key = cellKey(cell.feature, cell.mix.provider, cell.mix.model, cell.interactive);
      // No more than the cell's writes (the attributing layer's; another layer's cannot exceed them).
      cell.mix.cache_write_1h_tokens = Math.min(hourWrites.get(key) ?? 0, cell.mix.cache_write_tokens);
      const tiered = tieredOf(cell, tiers.get(key));
      return tiered ? { ...cell, tiered } : cell;
    });
  return { cells, unpriced_rows: report.total.unpriced_rows, usage_rows: report.total_sums.rows };
}

export function findInsights(input: Omit<InsightInput, 'monthly_total_usd'>): { insights: Insight[]; monthly_total_usd: number } {
  const total = input.cells.reduce((s, c) => s + c.mix.cost.toNumber(), 0) * (30 / input.days);
  const full: InsightInput = { ...input, monthly_total_usd: total };
  const insights = INSIGHT_FINDERS.flatMap((f) => f.find(full))
    .filter((d) => d.impact_usd_per_month > 0)
    .map((d) => ({ ...d, priority: d.priority ?? priorityOf(d.impact_usd_per_month, total) }));
  insights.sort((a, b) => RANK[a.priority] - RANK[b.priority] || b.impact_usd_per_month - a.impact_usd_per_month);
  // The figure shown is the cells' exact sum, scaled and rounded in decimal; the float ranks.
  const exact = input.cells.reduce((s, c) => s.plus(c.mix.cost), dec(0));
  return { insights, monthly_total_usd: usdPerMonth(exact, input.days) };
}
