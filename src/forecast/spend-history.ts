/**
 * Daily spend per group, re-priced at today's catalogue prices, with the requests and
 * the token mix behind it. Each (group, model, day) keeps the money the ledger gave it
 * (layer rule, discounts) scaled by price-now / price-then for its own tokens, so a
 * vendor's price cut or a model's new rates do not look like a trend in the history.
 */
import type { Attributor } from '../attribution/attributor.js';
import type { LedgerStore } from '../ledger/ledger-store.js';
import type { Pricer } from '../pricing/pricer.js';
import { buildReport, type Basis } from '../reports/build-report.js';
import { costPerRequestTicks, pricedRequests, type MetricSums } from '../reports/report-metrics.js';
import { ticksToUsd, type Dec } from '../shared/money.js';
import { addMix, emptyMix, mixKey, priceMix, type TokenMix } from './token-mix.js';

export interface GroupHistory {
  /** Values of the grouping dimensions. */
  dims: Record<string, string>;
  /** Spend per day at current prices (USD; floats for the statistics). */
  cost: Float64Array;
  /** Spend per day as recorded. */
  recorded: Float64Array;
  requests: Float64Array;
  /**
   * Spend per day at current prices of the rows that count their requests: what cost per
   * request divides (a usage export or a bill that counts none would inflate it, as in
   * reports: report-metrics.ts).
   */
  counted: Float64Array;
  /**
   * Requests per day of the rows with a price: what cost per request divides (an unknown
   * model's requests have no cost in `counted`, as in reports).
   */
  pricedRequests: Float64Array;
  /** Input + output tokens over the last `MIX_DAYS` days of the rows that count their requests. */
  countedTokens: number;
  /** Token mix per model over the last `MIX_DAYS` days of history. */
  mix: TokenMix[];
  /**
   * Spend at current prices per model (mixKey) over the last `RECENT_DAYS` days: the models
   * the forecast's level stands on, which a what-if re-prices (what-if.ts). Every row's, so
   * that the values add up to the last week's spend: an unattributed model's money (a bill
   * with no model) is in it, though not in `mix`.
   */
  recentCost: Map<string, number>;
  /** Index of the first day with any spend (earlier days are before the group existed). */
  first: number;
}

export interface SpendHistory {
  /** UTC days, oldest first; the last is the last day with data. */
  days: string[];
  groups: GroupHistory[];
  /** Rows whose model has no current price: kept at their recorded cost. */
  unrepriced_rows: number;
  /** Ledger rows with no price at all (unknown model): their tokens are in the history, their cost is not. */
  unpriced_rows: number;
}

export const MIX_DAYS = 28;
/** One week: every weekday once, so a weekday-only model does not tilt the shares. */
export const RECENT_DAYS = 7;
const DAY_MS = 86_400_000;

export interface HistoryQuery {
  by: readonly string[];
  where?: Readonly<Record<string, string>>;
  since?: string;
  until?: string;
  basis: Basis;
  /** Prices are those in force at this moment. */
  now: Date;
  /**
   * The day the history runs to, when the caller knows where the ledger's record ends
   * (budget-trajectory.ts): the days after a group's last spend up to it are days of $0.
   * Without it, the last day with data in the whole ledger (lastDayWithData).
   */
  lastDay?: string;
}

/** The dimensions a history's report groups by: the query's, then provider, model and day. */
export const historyDimensions = (by: readonly string[]): string[] => [...by, ...['provider', 'model'].filter((d) => !by.includes(d)), 'day'];

export async function loadSpendHistory(ledger: LedgerStore, attributor: Attributor, pricer: Pricer, q: HistoryQuery): Promise<SpendHistory> {
  const report = await buildReport(ledger, attributor, { by: historyDimensions(q.by), where: q.where ?? {}, basis: q.basis, sort: 'name', ...(q.since ? { since: q.since } : {}), ...(q.until ? { until: q.until } : {}) });
  // Each row's dimensions, with its exact sums (report-metrics.ts) by its index.
  const by = historyDimensions(q.by);
  const rows = report.rows.map((row, i) => ({ dims: Object.fromEntries(by.map((d) => [d, row[d]])), sums: report.row_sums[i]! }));
  const lastDay = q.lastDay ?? (await lastDayWithData(ledger, attributor, q, lastDaySeen(rows)));
  return spendHistoryOf(rows, report.total.unpriced_rows, pricer, { ...q, lastDay });
}

/** A report row of a history: its `historyDimensions` values and its exact sums. */
export interface HistoryRow {
  dims: Readonly<Record<string, string | undefined>>;
  sums: MetricSums;
}

const dayRows = (rows: readonly HistoryRow[]): HistoryRow[] => rows.filter(({ dims }) => dims.day !== undefined && dims.day.length === 10);
const lastDaySeen = (rows: readonly HistoryRow[]): string => dayRows(rows).reduce((last, { dims }) => (dims.day! > last ? dims.day! : last), '');

/**
 * The history of a report's rows grouped by `historyDimensions(q.by)` (name order, as
 * loadSpendHistory reads them), with their exact sums, and the report's unpriced rows:
 * for callers that read one report for several histories (budgetHistories).
 * `ratios`: re-pricing ratios kept across the histories of one `now`, by the whole mix a
 * row holds: a team's row of a day is often the organisation's too (a model only it uses),
 * and is priced once.
 */
export function spendHistoryOf(
  reportRows: readonly HistoryRow[],
  unpricedRows: number,
  pricer: Pricer,
  q: HistoryQuery & { lastDay: string },
  ratios?: Map<string, number>,
): SpendHistory {
  const rows = dayRows(reportRows);
  if (rows.length === 0) return { days: [], groups: [], unrepriced_rows: 0, unpriced_rows: unpricedRows };
  const daysSeen = rows.map(({ dims }) => dims.day!).sort();
  const firstDay = q.since ? q.since.slice(0, 10) : daysSeen[0]!;
  const seen = daysSeen[daysSeen.length - 1]!;
  const lastDay = q.lastDay > seen ? q.lastDay : seen;
  const days: string[] = [];
  for (let t = Date.parse(`${firstDay}T00:00:00Z`); t <= Date.parse(`${lastDay}T00:00:00Z`); t += DAY_MS) days.push(new Date(t).toISOString().slice(0, 10));
  const dayIndex = new Map(days.map((d, i) => [d, i]));
  const mixFrom = days[Math.max(0, days.length - MIX_DAYS)]!;
  const recentFrom = days[Math.max(0, days.length - RECENT_DAYS)]!;

  const groups = new Map<string, GroupHistory & { mixes: Map<string, TokenMix> }>();
  let unrepriced = 0;
  const ratioCache = ratios ?? new Map<string, number>();
  for (const { dims: r, sums } of rows) {
    const i = dayIndex.get(r.day!);
    if (i === undefined) continue;
    const dims = Object.fromEntries(q.by.map((d) => [d, r[d] ?? '']));
    const key = q.by.map((d) => dims[d]).join('\u0000');
    let g = groups.get(key);
    if (!g) {
      const n = days.length;
      g = { dims, cost: new Float64Array(n), recorded: new Float64Array(n), requests: new Float64Array(n), counted: new Float64Array(n), pricedRequests: new Float64Array(n), countedTokens: 0, mix: [], recentCost: new Map(), first: n, mixes: new Map() };
      groups.set(key, g);
    }
    // The row's money and tokens straight from its sums: what its report row says, without
    // the row's text and per-unit figures (rowMetrics) a history has no use for.
    const recorded = ticksToUsd(sums.cost_ticks);
    const provider = r.provider ?? '';
    const model = r.model ?? '';
    const mix = mixOfSums(provider, model, sums, recorded);
    let now = recorded;
    if (mix.input_tokens + mix.output_tokens > 0 && !recorded.isZero()) {
      // Everything the two prices depend on: rows alike in input and output but not in their
      // cache reads (priced at a tenth) have another ratio when one of the rates changed.
      const ratioKey = [provider, model, r.day, mix.requests, mix.input_tokens, mix.cache_read_tokens, mix.cache_write_tokens, mix.output_tokens, mix.reasoning_tokens].join('\u0000');
      let ratio = ratioCache.get(ratioKey);
      if (ratio === undefined) {
        const then = priceMix(pricer, mix, new Date(`${r.day}T12:00:00Z`));
        const current = priceMix(pricer, mix, q.now);
        ratio = then && current && !then.isZero() ? current.div(then).toNumber() : NaN;
        ratioCache.set(ratioKey, ratio);
      }
      if (Number.isFinite(ratio)) now = recorded.times(ratio);
      else unrepriced++;
    }
    g.cost[i]! += now.toNumber();
    g.recorded[i]! += recorded.toNumber();
    g.requests[i]! += sums.requests;
    if (sums.requests > 0 && costPerRequestTicks(sums) !== undefined) {
      // The row's counted cost (report-metrics.ts) as a share of its cost, at current prices.
      const { cost_ticks: cost, counted_cost_ticks: counted } = sums;
      const share = cost === 0n ? 0 : counted === cost ? 1 : Number(counted) / Number(cost);
      g.counted[i]! += now.toNumber() * share;
      g.pricedRequests[i]! += pricedRequests(sums);
      if (r.day! >= mixFrom) g.countedTokens += sums.input_tokens + sums.output_tokens;
    }
    if (!recorded.isZero() || sums.requests > 0) g.first = Math.min(g.first, i);
    const mkey = mixKey(mix);
    if (r.day! >= mixFrom && model !== '' && model !== '(unattributed)') {
      let m = g.mixes.get(mkey);
      if (!m) g.mixes.set(mkey, (m = emptyMix(provider, model)));
      addMix(m, mix);
    }
    // Every model's, unattributed money's too: what a what-if cannot re-price keeps its level (what-if.ts).
    if (r.day! >= recentFrom) g.recentCost.set(mkey, (g.recentCost.get(mkey) ?? 0) + now.toNumber());
  }
  return {
    days,
    groups: [...groups.values()].map(({ mixes, ...g }) => ({ ...g, mix: [...mixes.values()] })),
    unrepriced_rows: unrepriced,
    unpriced_rows: unpricedRows,
  };
}

/** A report row's mix (mixOfRow), from its sums. */
function mixOfSums(provider: string, model: string, s: MetricSums, cost: Dec): TokenMix {
  const { requests, input_tokens, cache_read_tokens, cache_write_tokens, output_tokens, reasoning_tokens } = s;
  return { provider, model, requests, input_tokens, cache_read_tokens, cache_write_tokens, cache_write_1h_tokens: 0, output_tokens, reasoning_tokens, cost };
}

/**
 * The history's last day: the last with data in the whole ledger (on the same basis and
 * period), not only in the rows a `where` keeps: after a group's last spend, the days the
 * ledger has are days of $0 for it, and ending there would forecast a month long past at
 * the group's old level.
 */
async function lastDayWithData(ledger: LedgerStore, attributor: Attributor, q: HistoryQuery, seen: string): Promise<string> {
  if (seen === '' || !q.where || Object.keys(q.where).length === 0) return seen;
  const all = await buildReport(ledger, attributor, { by: ['day'], where: {}, basis: q.basis, sort: 'name', ...(q.since ? { since: q.since } : {}), ...(q.until ? { until: q.until } : {}) });
  return all.rows.reduce((last, r) => (r.day && r.day.length === 10 && r.day > last ? r.day : last), seen);
}

/** Sum of a series' last `k` values. */
export function tailSum(v: Float64Array, k: number): number {
  let s = 0;
  for (let i = Math.max(0, v.length - k); i < v.length; i++) s += v[i]!;
  return s;
}

export type { Dec };
