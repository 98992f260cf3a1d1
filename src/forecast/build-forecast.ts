/**
 * `llmfin forecast`: per group, the next `horizon` days of spend at current prices
 * (P10/P50/P90), decomposed as requests per day × cost per request, with the what-if
 * applied, the days from a price change the catalogue has scheduled at its new prices
 * (scheduled-prices.ts), and optionally the group's own backtest.
 */
import type { Attributor } from '../attribution/attributor.js';
import type { LedgerStore } from '../ledger/ledger-store.js';
import type { Pricer } from '../pricing/pricer.js';
import type { Basis } from '../reports/build-report.js';
import { addBacktestSums, backtestSeries, cachedForecastFrom, emptySums, summariseBacktest, type BacktestSummary } from './backtest.js';
import { MIN_FORECAST_HISTORY, MIN_INTERVAL_HISTORY, type ForecastBasis } from './combine-forecast.js';
import { forecastSeries, type SeriesForecast } from './forecast-series.js';
import type { SelectableMethod } from './select-method.js';
import { loadSpendHistory, MIX_DAYS, RECENT_DAYS, tailSum } from './spend-history.js';
import { unpricedRowsWarning } from '../shared/count-noun.js';
import { whatIfFactor, type ModelSwap, type WhatIf } from './what-if.js';
import { mixKey } from './token-mix.js';
import { ScheduledPrices, type GroupPrices, type ModelPriceChange, type PriceStep } from './scheduled-prices.js';
import { roundHalfUp } from '../shared/money.js';

export interface ForecastQuery {
  by: readonly string[];
  where?: Readonly<Record<string, string>>;
  since?: string;
  until?: string;
  basis: Basis;
  horizon: number;
  whatIf: WhatIf;
  backtest: boolean;
  now: Date;
}

export interface GroupForecast {
  dims: Record<string, string>;
  basis: ForecastBasis;
  /**
   * With basis `combination`: the method whose P50 is shown, the one the group's own recent
   * backtest chose (select-method.ts: the combination unless Theta, the damped trend or
   * seasonal naive was clearly better); null for a run rate or a mean rate.
   */
  selected_method: SelectableMethod | null;
  history_days: number;
  /** Last 28 days at current prices. */
  last_28d_usd: number;
  requests_per_day: number;
  tokens_per_request: number | null;
  cost_per_request_usd: number | null;
  /**
   * cost_per_request_usd to 12 significant digits rather than six places, for a table that
   * shows three: rounded twice, $0.0087249 read 0.008725 and then $0.00873 (the 12 digits
   * only take off the float noise of the division, which made $0.1005 0.10049999999999999).
   */
  cost_per_request_unrounded: number | null;
  what_if_factor: number;
  p10_usd: number;
  p50_usd: number;
  p90_usd: number;
  /** Daily P10/P50/P90 (for charts and JSON consumers). */
  daily: { p10: number[]; p50: number[]; p90: number[] };
  history: number[];
  backtest: { h7: BacktestSummary; h28: BacktestSummary } | null;
  /**
   * Price changes the catalogue has scheduled in the horizon that change this group's
   * spend: from each step's day, its forecast is × `cost_factor` against today's prices.
   */
  price_changes: PriceStep[];
}

export interface ForecastResult {
  /** The history's days, from the first day any group spent (not --since) to the last with data. */
  days: string[];
  /** First forecast day. */
  start: string | null;
  horizon: number;
  groups: GroupForecast[];
  total: Omit<GroupForecast, 'dims' | 'backtest'> & { backtest: { h7: BacktestSummary; h28: BacktestSummary } | null };
  notes: string[];
  unrepriced_rows: number;
  /** Ledger rows in the history with no price (unknown model): their spend is not in the forecast. */
  unpriced_rows: number;
  /**
   * What-if model switches that changed nothing: no group matched, every group it matched
   * took an earlier switch, the groups it matched have no tokens in their history to
   * re-price (billed money only), or the model has no price.
   */
  idle_swaps: Array<{ swap: ModelSwap; reason: 'no_group' | 'shadowed' | 'no_tokens' | 'unpriced' }>;
  /** Groups a --prompt-growth could not change: no tokens in their recent history. */
  prompt_growth_untouched: Array<Record<string, string>>;
}

const DAY_MS = 86_400_000;
/** Steps every backtest scores (routing-forecast.md §2.7: h ≤ 7 and h ≤ 28), whatever --horizon is. */
const BACKTEST_HORIZON = 28;
/** The backtest's first origin (backtest.ts): a group needs more days than this to be replayed. */
const BACKTEST_FIRST_ORIGIN = 28;

export async function buildForecast(ledger: LedgerStore, attributor: Attributor, pricer: Pricer, q: ForecastQuery): Promise<ForecastResult> {
  const history = await loadSpendHistory(ledger, attributor, pricer, { by: q.by, basis: q.basis, now: q.now, ...(q.where ? { where: q.where } : {}), ...(q.since ? { since: q.since } : {}), ...(q.until ? { until: q.until } : {}) });
  const notes: string[] = [];
  const n = history.days.length;
  const start = n > 0 ? new Date(Date.parse(`${history.days[n - 1]}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10) : null;
  const totalCost = new Float64Array(n);
  const totalReq = new Float64Array(n);
  const totalCounted = new Float64Array(n);
  const totalPriced = new Float64Array(n);
  // Each group's backtest scores 28 steps whatever the horizon, so the pooled total does
  // too: cut to the horizon, its "h ≤ 7" would be h ≤ 3 at --horizon 3.
  const totalSums = emptySums(BACKTEST_HORIZON);
  /** Each group with its unrounded P50, to rank on. */
  const ranked: Array<{ group: GroupForecast; p50: number }> = [];
  let anyRunRate = false;
  let anyMeanRate = false;
  let anyUncalibrated = false;
  /** The groups' P50 per day with the what-if, before and after the scheduled prices: the total's parts. */
  const whatIfP50 = new Float64Array(q.horizon);
  /** The groups' own P50 (each its chosen method's), before any what-if: what the what-if's total factor is against. */
  let groupsBase = 0;
  const scheduledP50 = new Float64Array(q.horizon);
  const scheduled = ScheduledPrices.find(pricer, history.groups, q.whatIf, start, q.horizon, q.now);
  const swapUse = new Map<ModelSwap, { matched: number; tokened: number; priced: number }>();
  const growthUntouched: Array<Record<string, string>> = [];
  /** Groups whose every backtest origin had an exactly periodic history: no MASE for them. */
  const periodicGroups: Array<Record<string, string>> = [];
  for (const g of history.groups) {
    const cost = g.cost.subarray(g.first);
    const requests = g.requests.subarray(g.first);
    const counted = g.counted.subarray(g.first);
    const priced = g.pricedRequests.subarray(g.first);
    for (let i = 0; i < n; i++) {
      totalCost[i]! += g.cost[i]!;
      totalReq[i]! += g.requests[i]!;
      totalCounted[i]! += g.counted[i]!;
      totalPriced[i]! += g.pricedRequests[i]!;
    }
    const fc = forecastSeries(cost, q.horizon);
    if (fc.basis === 'run-rate') anyRunRate = true;
    if (fc.basis === 'mean-rate') anyMeanRate = true;
    // A run rate has no band either, but its own note says so.
    if (!fc.calibrated && fc.history_days < MIN_INTERVAL_HISTORY && fc.basis !== 'run-rate') anyUncalibrated = true;
    const w = whatIfFactor(q.whatIf, g.dims, g.mix, pricer, q.now, g.recentCost);
    const { swap } = w;
    if (swap) {
      const use = swapUse.get(swap) ?? { matched: 0, tokened: 0, priced: 0 };
      use.matched++;
      if (w.repriced) use.tokened++;
      if (w.repriced && !w.unpriced.includes(swap.model)) use.priced++;
      swapUse.set(swap, use);
    }
    if (q.whatIf.promptGrowth !== 0 && !w.repriced) growthUntouched.push(g.dims);
    for (const m of w.unpriced) notes.push(`what-if: ${m} has no current price; ${Object.values(g.dims).join(' · ')} keeps its cost for it`);
    if (swap || q.whatIf.promptGrowth !== 0) {
      // A model with tokens kept is one with no price now, which its own note names: this one says what has no tokens at all.
      const tokened = new Set(g.mix.filter((m) => m.input_tokens + m.output_tokens + m.cache_read_tokens + m.cache_write_tokens > 0).map(mixKey));
      const billed = new Map([...w.kept].filter(([key]) => !tokened.has(key)));
      if (billed.size > 0) notes.push(whatIfKeptNote(Object.values(g.dims).join(' · ') || 'the total', billed, swap !== undefined, tailSum(g.cost, RECENT_DAYS), q.whatIf));
    }
    const prices = scheduled.forGroup(g, w);
    const s = prices?.factors;
    const scaled = s
      ? { p10: fc.p10.map((x, h) => x * w.factor * s[h]!), p50: fc.p50.map((x, h) => x * w.factor * s[h]!), p90: fc.p90.map((x, h) => x * w.factor * s[h]!) }
      : { p10: fc.p10.map((x) => x * w.factor), p50: fc.p50.map((x) => x * w.factor), p90: fc.p90.map((x) => x * w.factor) };
    for (let h = 0; h < q.horizon; h++) {
      groupsBase += fc.p50[h]!;
      whatIfP50[h]! += fc.p50[h]! * w.factor;
      scheduledP50[h]! += scaled.p50[h]!;
    }
    if (prices) notes.push(...keptNotes(Object.values(g.dims).join(' · ') || 'the total', prices));
    let backtest: GroupForecast['backtest'] = null;
    if (q.backtest) {
      const sums = backtestSeries(cost, BACKTEST_HORIZON, { forecastFrom: cachedForecastFrom(cost, BACKTEST_HORIZON) });
      if (sums.origins + sums.periodic.origins > 0) backtest = { h7: summariseBacktest(sums, 7), h28: summariseBacktest(sums, 28) };
      if (sums.origins === 0 && sums.periodic.origins > 0) periodicGroups.push(g.dims);
      addBacktestSums(totalSums, sums);
    }
    const group = summary(g.dims, cost, requests, { cost: counted, requests: priced }, g.countedTokens, scaled, fc, w.factor, backtest, prices?.steps ?? []);
    ranked.push({ group, p50: scaled.p50.reduce((a, b) => a + b, 0) });
  }
  // Ranked on the unrounded P50, so --top keeps the largest groups even when many round to the same cent.
  const groups = ranked.sort((a, b) => b.p50 - a.p50).map((r) => r.group);
  // The total starts where the first group does, as each group does: days before any
  // spend (a --since before the ledger began) are not days of zero spend.
  const first = history.groups.reduce((m, g) => Math.min(m, g.first), n);
  const totalSeries = totalCost.subarray(first);
  const totalRequests = totalReq.subarray(first);
  const totalCountedSeries = { cost: totalCounted.subarray(first), requests: totalPriced.subarray(first) };
  // The total's band is not the sum of the groups' bands (errors partly cancel): it is
  // the total series' own forecast, scaled by the groups' what-if effect, and on each day
  // by what the scheduled prices do to the groups' P50 that day.
  const t = forecastSeries(totalSeries, q.horizon);
  const sumP50 = whatIfP50.reduce((a, b) => a + b, 0);
  const baseP50 = t.p50.reduce((a, b) => a + b, 0);
  const totalFactor = groupsBase > 0 ? sumP50 / groupsBase : 1;
  const tokens = history.groups.reduce((s, g) => s + g.countedTokens, 0);
  const priced = groups.some((g) => g.price_changes.length > 0);
  const day = (h: number) => (priced && whatIfP50[h]! > 0 ? scheduledP50[h]! / whatIfP50[h]! : 1);
  const totalBands = { p10: t.p10.map((x, h) => x * totalFactor * day(h)), p50: t.p50.map((x, h) => x * totalFactor * day(h)), p90: t.p90.map((x, h) => x * totalFactor * day(h)) };
  const total = summary({}, totalSeries, totalRequests, totalCountedSeries, tokens, totalBands, t, totalFactor, null, priced ? totalSteps(groups, scheduled.days, day) : []);
  const totalBacktest = q.backtest && totalSums.origins + totalSums.periodic.origins > 0 ? { h7: summariseBacktest(totalSums, 7), h28: summariseBacktest(totalSums, BACKTEST_HORIZON) } : null;
  if (baseP50 <= 0 && n === 0) notes.push('no spend in this period: nothing to forecast');
  if (anyRunRate) notes.push(`fewer than ${MIN_FORECAST_HISTORY} days of history for some groups: their forecast is the run rate of their last 7 days`);
  if (anyUncalibrated) notes.push(`fewer than ${MIN_INTERVAL_HISTORY} days of history for some groups: no P10/P90 band for them yet`);
  if (anyMeanRate) notes.push('some groups spend on fewer than half of their days: their forecast is their mean daily spend over the last 8 weeks');
  if (q.backtest && n > 0 && history.groups.every((g) => n - g.first <= BACKTEST_FIRST_ORIGIN)) notes.push("--backtest: no group has the history to replay: it forecasts from day 28 of a group's history, so it needs more than 28 days");
  if (periodicGroups.length > 0) {
    const named = periodicGroups.map((d) => Object.values(d).join(' · ') || 'the total').join(', ');
    notes.push(
      `--backtest: MASE is undefined for ${named}: the history repeats exactly week on week, so seasonal naive makes no error to scale by; ` +
        'the backtest gives how far P50 was from each day (in $) and how often P10–P90 held it instead',
    );
  }
  if (history.unpriced_rows > 0) {
    const one = history.unpriced_rows === 1;
    notes.push(unpricedRowsWarning(history.unpriced_rows, `${one ? 'its tokens are counted, its cost is' : 'their tokens are counted, their cost is'} not, so the forecast leaves that spend out`, 'in this history'));
  }
  if (history.unrepriced_rows > 0) notes.push(`${history.unrepriced_rows} (group, model, day) cells have no current price and keep their recorded cost`);
  const idleSwaps: ForecastResult['idle_swaps'] = [];
  if (history.groups.length > 0) {
    for (const swap of q.whatIf.swaps) {
      const use = swapUse.get(swap);
      if (!use) idleSwaps.push({ swap, reason: history.groups.some((g) => swap.dimension === undefined || g.dims[swap.dimension] === swap.value) ? 'shadowed' : 'no_group' });
      else if (use.tokened === 0) idleSwaps.push({ swap, reason: 'no_tokens' });
      else if (use.priced === 0) idleSwaps.push({ swap, reason: 'unpriced' });
    }
  }
  return {
    days: history.days.slice(first),
    start,
    horizon: q.horizon,
    groups,
    total: { ...total, backtest: totalBacktest },
    notes,
    unrepriced_rows: history.unrepriced_rows,
    unpriced_rows: history.unpriced_rows,
    idle_swaps: idleSwaps,
    prompt_growth_untouched: growthUntouched,
  };
}

/**
 * What a scheduled price change leaves at today's level in a group, said: billed money
 * with no token counts cannot be re-priced, and a forecast that looks re-priced is not.
 */
export function keptNotes(name: string, prices: Pick<GroupPrices, 'untouched'>): string[] {
  return prices.untouched.map(({ from, change, share }) => {
    const part = share >= 0.9995 ? 'all' : `${(share * 100).toFixed(1)}%`;
    return (
      `scheduled prices: ${name}'s spend on ${change.model} (${change.provider}), ${part} of its last ${RECENT_DAYS} days, is billed money with no token counts, ` +
      `which the model's price change on ${from} cannot re-price: it stays at today's level`
    );
  });
}

/**
 * What a what-if leaves at its level in a group, said: money with no priced tokens (billed
 * money only) cannot be moved to another model or grown, and a forecast that looks re-priced
 * is not, all of it.
 */
export function whatIfKeptNote(name: string, billed: ReadonlyMap<string, number>, swapped: boolean, recentSpend: number, whatIf: WhatIf): string {
  const models = [...billed.keys()].map((key) => {
    const [provider, model] = key.split('\u0000');
    return `${model || '(unattributed)'} (${provider || 'no provider'})`;
  });
  const usd = [...billed.values()].reduce((a, b) => a + b, 0);
  const share = recentSpend > 0 ? usd / recentSpend : 1;
  const part = share >= 0.9995 ? 'all' : `${(share * 100).toFixed(1)}%`;
  const options = [swapped ? '--model' : '', whatIf.promptGrowth !== 0 ? '--prompt-growth' : ''].filter(Boolean).join(' and ');
  const list = models.length > 3 ? `${models.slice(0, 3).join(', ')} and ${models.length - 3} more` : models.join(' and ');
  return (
    `what-if: ${name}'s spend on ${list}, ${part} of its last ${RECENT_DAYS} days, is billed money with no token counts, ` +
    `which ${options} cannot re-price: it stays at its level${whatIf.traffic !== 1 ? ` (× the --traffic)` : ''}`
  );
}

/** The total's steps: every group's days of change, each with the total's factor that day and the models that changed. */
function totalSteps(groups: readonly GroupForecast[], days: readonly string[], factor: (h: number) => number): PriceStep[] {
  const byDay = new Map<string, Map<string, ModelPriceChange>>();
  for (const g of groups) {
    for (const step of g.price_changes) {
      let models = byDay.get(step.from);
      if (!models) byDay.set(step.from, (models = new Map()));
      for (const m of step.models) models.set(`${m.provider}\u0000${m.model}`, m);
    }
  }
  return [...byDay.keys()].sort().map((from) => ({ from, cost_factor: round(factor(days.indexOf(from)), 6), models: [...byDay.get(from)!.values()] }));
}

function summary(
  dims: Record<string, string>,
  cost: Float64Array,
  requests: Float64Array,
  /** Per day, the cost of the rows that count their requests and the requests of the rows with a price: cost per request's parts. */
  counted: { cost: Float64Array; requests: Float64Array },
  /** Tokens of the rows that count their requests, over the last MIX_DAYS days. */
  tokens: number,
  bands: { p10: Float64Array; p50: Float64Array; p90: Float64Array },
  fc: Pick<SeriesForecast, 'basis' | 'method'>,
  factor: number,
  backtest: GroupForecast['backtest'],
  priceChanges: PriceStep[],
): GroupForecast {
  const sum = (v: Float64Array) => v.reduce((a, b) => a + b, 0);
  const last = tailSum(cost, MIX_DAYS);
  const req = tailSum(requests, MIX_DAYS);
  const countedCost = tailSum(counted.cost, MIX_DAYS);
  const countedReq = tailSum(counted.requests, MIX_DAYS);
  const days = Math.min(MIX_DAYS, cost.length);
  return {
    dims,
    basis: fc.basis,
    selected_method: fc.basis === 'combination' ? fc.method : null,
    history_days: cost.length,
    last_28d_usd: round(last, 2),
    requests_per_day: days > 0 ? round(req / days, 1) : 0,
    // Per request: only what the rows that count their requests cost and used (reports do the same).
    // No tokens at all over requests counted: billed rows carry money only, and their tokens are unknown, not 0.
    tokens_per_request: req > 0 && tokens > 0 ? round(tokens / req, 0) : null,
    cost_per_request_usd: countedReq > 0 && countedCost > 0 ? round(countedCost / countedReq, 6) : null,
    cost_per_request_unrounded: countedReq > 0 && countedCost > 0 ? Number((countedCost / countedReq).toPrecision(12)) : null,
    what_if_factor: round(factor, 4),
    p10_usd: round(sum(bands.p10), 2),
    p50_usd: round(sum(bands.p50), 2),
    p90_usd: round(sum(bands.p90), 2),
    daily: { p10: [...bands.p10].map((x) => round(x, 4)), p50: [...bands.p50].map((x) => round(x, 4)), p90: [...bands.p90].map((x) => round(x, 4)) },
    history: [...cost].map((x) => round(x, 4)),
    backtest,
    price_changes: priceChanges.map((p) => ({ ...p, cost_factor: round(p.cost_factor, 6) })),
  };
}

/**
 * `x` to `d` decimals by the display rule (roundHalfUp: half up on the exact decimal, as
 * formatUsd rounds), read from x to 12 significant digits: the float noise of a sum ($0.70 +
 * $0.10 + $0.005 = 0.8049999999999999) is not a digit, and rounded as it is, $0.805 read $0.80.
 */
function round(x: number, d: number): number {
  return Number.isFinite(x) ? roundHalfUp(Number(x.toPrecision(12)), { places: d }).toNumber() : x;
}
