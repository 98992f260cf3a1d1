/**
 * Many scoped reports from few ledger reads. A budget's spend, and its trajectory's
 * history, is a report with the budget's scope as `where`; with several budgets that was
 * one report each. Reports that read the same ledger columns (factColumns) over the same
 * window read the same facts, and the layer rule splits a bill over the same facts in
 * each: so one report grouped by the scopes' dimensions, split here by scope, gives every
 * query the sums its own report would, to the tick. Scopes decided by other columns (a
 * team's and the whole organisation's) are read apart, since a bill split over finer facts
 * rounds differently.
 */
import type { Attributor } from '../attribution/attributor.js';
import type { LedgerStore } from '../ledger/ledger-store.js';
import { addFactSums, zeroFactSums, type DayStart } from '../ledger/queries/usage-facts.js';
import { factColumns, reportGroups } from '../reports/build-report.js';
import { isTimeDimension } from '../reports/report-dimensions.js';
import type { MetricSums } from '../reports/report-metrics.js';
import { compareText } from '../shared/compare-text.js';
import { dimensionMatches, whereDimensions } from '../reports/dimension-matches.js';

export interface ScopedQuery {
  /** Report dimension = value pairs (budget-scope.ts scopeDimension). */
  where: Readonly<Record<string, string>>;
  since?: string;
  until?: string;
  /** As ReportQuery.dayStart. */
  dayStart?: DayStart;
}

export interface ScopedRow {
  /** The values of the `by` dimensions. */
  dims: Record<string, string>;
  sums: MetricSums;
}

export interface ScopedReport {
  /** As buildReport's rows with `sort: 'name'`: in name order, groups with no row and no money left out. */
  rows: ScopedRow[];
  total: MetricSums;
}

const MIDNIGHT = /T00:00:00\.000Z$/;

/**
 * What `buildReport(ledger, attributor, { by, where, since, until, dayStart, basis:
 * 'default', sort: 'name' })` sums for each query, in the order given. With `day` in `by`,
 * queries whose windows fall on UTC midnights share one read over the span of their
 * windows and keep their own days: the layer rule decides whole months, so a day's money is
 * the same whatever window of whole days it is seen through (build-report.ts).
 */
export async function scopedReports(ledger: LedgerStore, attributor: Attributor, by: readonly string[], queries: readonly ScopedQuery[]): Promise<ScopedReport[]> {
  const byDay = by.includes('day');
  const reads = new Map<string, number[]>();
  queries.forEach((q, i) => {
    const dims = whereDimensions(q.where);
    // A scope on a time dimension (a tag named `day`) filters days, not groups: read alone.
    const alone = dims.some((d) => isTimeDimension(d)) || by.some((d) => isTimeDimension(d) && d !== 'day');
    const daysOnly = byDay && [q.since, q.until].every((t) => t === undefined || MIDNIGHT.test(t));
    const key = alone ? `#${i}` : [factColumns(attributor, [...by, ...dims]).join(','), ...(daysOnly ? [] : [q.since, q.until, q.dayStart?.since, q.dayStart?.until])].join('\u0000');
    reads.set(key, [...(reads.get(key) ?? []), i]);
  });
  const out: ScopedReport[] = [];
  for (const members of reads.values()) {
    const group = members.map((i) => queries[i]!);
    const first = group[0]!;
    const scopeDims = [...new Set(group.flatMap((q) => whereDimensions(q.where)))].filter((d) => !by.includes(d));
    const since = group.some((q) => q.since === undefined) ? undefined : group.map((q) => q.since!).sort()[0];
    const until = group.some((q) => q.until === undefined) ? undefined : group.map((q) => q.until!).sort().at(-1);
    const report = await reportGroups(ledger, attributor, {
      by: [...by, ...scopeDims],
      // Read alone, a query keeps its own `where` (a time dimension in it filters days).
      where: members.length === 1 ? first.where : {},
      basis: 'default',
      sort: 'name',
      ...(since !== undefined ? { since } : {}),
      ...(until !== undefined ? { until } : {}),
      ...(first.dayStart !== undefined ? { dayStart: first.dayStart } : {}),
    });
    members.forEach((qi) => {
      const q = queries[qi]!;
      const where = Object.entries(q.where);
      const [from, to] = [q.since?.slice(0, 10), q.until?.slice(0, 10)];
      const groups = new Map<string, ScopedRow>();
      const total = zeroFactSums();
      for (const { dims: row, sums } of report.groups) {
        if (where.some(([d, v]) => !dimensionMatches(d, v, row))) continue;
        // A shared read spans every member's window: each keeps its own days.
        if (byDay && ((from !== undefined && row.day! < from) || (to !== undefined && row.day! >= to))) continue;
        const dims = Object.fromEntries(by.map((d) => [d, row[d]!]));
        const key = by.map((d) => dims[d]).join('\u0000');
        let g = groups.get(key);
        if (!g) groups.set(key, (g = { dims, sums: zeroFactSums() }));
        addFactSums(g.sums, sums);
        addFactSums(total, sums);
      }
      const kept = [...groups.values()].filter((g) => g.sums.rows > 0 || g.sums.cost_ticks !== 0n);
      kept.sort((a, b) => {
        for (const d of by) {
          const c = compareText(a.dims[d]!, b.dims[d]!);
          if (c !== 0) return c;
        }
        return 0;
      });
      out[qi] = { rows: kept, total };
    });
  }
  return out;
}
