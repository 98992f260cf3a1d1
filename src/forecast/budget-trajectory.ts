/**
 * A budget's trajectory: its scope's daily spend forecast to the period's end — P50/P90 of
 * the period total, the probability of passing the limit, and the days the P50 and P90
 * paths cross it. What is spent is the recorded money (the bill); the days left will be
 * billed at today's prices, so the history they are forecast from is re-priced at them
 * (spend-history.ts), as `forecast`'s is: a discount that began mid-history is not a
 * falling trend, nor a price rise a flat one.
 */
import type { Attributor } from '../attribution/attributor.js';
import { localDate, wholeDayInstant, wholeDayWindow, type PeriodWindow } from '../budgets/budget-period.js';
import { budgetSpends, scopeWhere, type BudgetSpend } from '../budgets/budget-spend.js';
import { scopedReports } from '../budgets/scoped-reports.js';
import { budgetStatus, byRisk, type BudgetStatus, type RecordedPart } from '../budgets/budget-status.js';
import {
  endsWithWholeDay,
  laggingProviders,
  ledgerWide,
  ledgerRecordedUntil,
  providerLatest,
  providerRecordedUntil,
  recordedFrom as recordedFromAt,
  type LedgerRecord,
} from '../budgets/recorded-until.js';
import { ledgerRecord } from '../budgets/ledger-record.js';
import { ticksToUsd } from '../shared/money.js';
import type { BudgetConfig } from '../config/config-schema.js';
import type { LedgerStore } from '../ledger/ledger-store.js';
import type { Pricer } from '../pricing/pricer.js';
import { pointForecast } from './combine-forecast.js';
import { projectPeriod, type PeriodProjection } from './period-projection.js';
import { historyDimensions, RECENT_DAYS, spendHistoryOf, type SpendHistory } from './spend-history.js';
import { budgetWhatIf, type BudgetWhatIf } from './budget-what-if.js';
import { NO_WHAT_IF, type WhatIf } from './what-if.js';
import { budgetPrices } from './budget-prices.js';
import type { GroupPrices, PriceStep } from './scheduled-prices.js';

export interface BudgetTrajectory extends PeriodProjection {
  breach_date_p50: string | null;
  breach_date_p90: string | null;
  /** Price changes the catalogue has scheduled in the days to come, each with the scope's spend per day from it against today's prices (budget-prices.ts). */
  price_changes: PriceStep[];
  /** Changed models the scope spends on as billed money only, which keep today's level. */
  prices_kept: GroupPrices['untouched'];
}

const DAY_MS = 86_400_000;
/** History the forecast reads before the period (twelve weeks). */
const LOOKBACK_DAYS = 84;

/**
 * `record`: where the ledger's usage stops, overall and for each provider (ledgerRecord),
 * read once by a caller that judges several budgets; read here when not given. A lone ISO
 * instant (or null) is the ledger's latest usage, judged ledger-wide.
 */
export async function budgetTrajectory(
  ledger: LedgerStore,
  attributor: Attributor,
  pricer: Pricer,
  budget: BudgetConfig,
  window: PeriodWindow,
  spentUsd: number,
  now: Date,
  record?: LedgerRecord,
): Promise<BudgetTrajectory> {
  const r = record ?? (await ledgerRecord(ledger));
  const [history] = await budgetHistories(ledger, attributor, pricer, [{ budget, window }], now, r);
  return trajectoryOf(history!, budget, window, spentUsd, now, r, 1, { pricer, whatIf: NO_WHAT_IF }).trajectory;
}

/** The days a trajectory stands on: where its history starts and stops, and what is left of today. */
interface TrajectoryDays {
  today: number;
  /** The end (exclusive, a UTC midnight) of the whole recorded days: the history's end. */
  recordedUntil: number;
  todayRecorded: boolean;
  /** The history's start: twelve weeks before the period's first UTC day. */
  since: string;
}

function trajectoryDays(window: PeriodWindow, now: Date, end: number): TrajectoryDays {
  const since = new Date(Math.floor(window.start.getTime() / DAY_MS) * DAY_MS - LOOKBACK_DAYS * DAY_MS).toISOString();
  return { ...recordedDays(now, end), since };
}

/**
 * The days of a record that stops at `end` (ms: recorded-until.ts), judged at `now`. Imports
 * arrive a day or more late: the days after the latest usage are not days of $0 (read so,
 * they would pull the forecast down to nothing) but days not recorded yet. The history ends
 * with the last whole day recorded; the day `end` falls inside (an hourly export's last
 * bucket 10:00–11:00, today's or an earlier day's) is no whole day of spend, and its hours
 * after `end` are forecast with the days to come, today whole when none of it is recorded.
 */
function recordedDays(now: Date, end: number): Omit<TrajectoryDays, 'since'> {
  const today = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  const recordedUntil = Math.min(today, Math.floor(end / DAY_MS) * DAY_MS);
  return { today, recordedUntil, todayRecorded: end > today };
}

/**
 * A budget's spend history: its scope's, and when providers' records stop at different
 * days (recorded-until.ts), its scope's by provider too, read from the same rows.
 */
export interface ScopeHistory {
  spend: SpendHistory;
  /** By provider (`dims.provider`), the same days as `spend`; only when some provider lags another. */
  byProvider?: SpendHistory;
}

/**
 * Each budget's spend history (in the order given), re-priced at `now`'s prices: one
 * ledger report for all the budgets whose scopes read the same columns (a team's budgets,
 * whatever their periods: scoped-reports.ts), split by scope and window here, and the
 * catalogue's prices looked up once for a row that several budgets' histories hold. Each
 * runs to the end of the ledger's record; a scope whose providers' records stop earlier
 * ends earlier in trajectoryOf.
 */
export async function budgetHistories(
  ledger: LedgerStore,
  attributor: Attributor,
  pricer: Pricer,
  budgets: readonly { budget: BudgetConfig; window: PeriodWindow }[],
  now: Date,
  record: LedgerRecord,
): Promise<ScopeHistory[]> {
  // The histories run to the end of the freshest record, the ledger's or a provider's.
  const end = Math.max(ledgerRecordedUntil(record, now), ...[...record.byProvider.keys()].map((p) => providerRecordedUntil(record, p, now)));
  const queries = budgets.map(({ budget, window }) => {
    const { recordedUntil, since } = trajectoryDays(window, now, end);
    return { where: scopeWhere(budget), since, until: new Date(recordedUntil).toISOString() };
  });
  const by = historyDimensions([]);
  const reports = await scopedReports(ledger, attributor, by, queries);
  const ratios = new Map<string, number>();
  const lagging = laggingProviders(record, now).length > 0;
  return reports.map(({ rows, total }, i) => {
    const { since, until } = queries[i]!;
    // The history runs to the last recorded day: the scope's days after its last spend spent nothing.
    const lastDay = new Date(Date.parse(until) - DAY_MS).toISOString().slice(0, 10);
    const q = { by: [], where: queries[i]!.where, since, until, basis: 'default' as const, now, lastDay };
    const spend = spendHistoryOf(rows, total.unpriced_rows, pricer, q, ratios);
    // The same rows by provider (historyDimensions(['provider']) is the same report's).
    return lagging ? { spend, byProvider: spendHistoryOf(rows, total.unpriced_rows, pricer, { ...q, by: ['provider'] }, ratios) } : { spend };
  });
}

/**
 * Where a scope's record stops: the latest usage (providerLatest) of the freshest provider
 * it has spent on, or the ledger's when it has spent on none; `wholeDay`: whether that
 * latest usage is a whole-day row (endsWithWholeDay), any of the freshest when several tie.
 */
function scopeLatest(history: ScopeHistory, record: LedgerRecord): { latest: string | null; wholeDay: boolean } {
  const groups = scopeProviders(history);
  if (groups.length === 0) return { latest: record.latest, wholeDay: endsWithWholeDay(record) };
  let latest: string | null = null;
  let wholeDay = false;
  for (const g of groups) {
    const at = providerLatest(record, g.dims.provider!);
    if (at === null || (latest !== null && at < latest)) continue;
    wholeDay = (at === latest && wholeDay) || endsWithWholeDay(record, g.dims.provider!);
    latest = at;
  }
  return { latest, wholeDay };
}

/** The providers a scope has spent on, when its history is split by provider (some lag another). */
const scopeProviders = (history: ScopeHistory) => history.byProvider?.groups.filter((g) => g.first < g.cost.length) ?? [];

/**
 * Where a scope's record stops (ms): `now`, the end of the UTC day of its latest usage, or
 * the end of its last hour bucket (an hourly export's 10:00–11:00, judged at 15:00 or the
 * day after: recorded-until.ts untilOf), the latest of its providers'. The hours after it
 * are forecast with the rest of their day: neither spent (no rows) nor, were the day's
 * remainder to start at `now` or the day to count as recorded whole, projected.
 */
function scopeRecordedUntil(history: ScopeHistory, record: LedgerRecord, now: Date): number {
  const groups = scopeProviders(history);
  if (groups.length === 0) return ledgerRecordedUntil(record, now);
  return Math.max(...groups.map((g) => providerRecordedUntil(record, g.dims.provider!, now)));
}

/**
 * Whether a budget's run rate and forecast go by whole-day rows' dates (wholeDayWindow):
 * when its scope's record ends with a whole-day row (a daily usage or cost export), in a
 * zone other than UTC. Its spent counts such a row whole on its date there, and the rows
 * still to come will be counted so too: the hours between the zone's midnight and the
 * UTC one are theirs, not more time to forecast (New York: four hours of the first UTC
 * day after the record counted twice, and the UTC morning of the month's next 1st) nor
 * time with no spend (Tokyo: nine hours of the day after the record left out). A record
 * ending with requests or hours goes by the zone's own hours, as their spent does.
 * `latest`: the scope's latest usage (scopeLatest).
 */
function byWholeDays(budget: BudgetConfig, latest: { wholeDay: boolean }): boolean {
  return budget.timezone !== 'UTC' && latest.wholeDay;
}

/**
 * A budget's trajectory from its spend history (budgetHistories); `scale`: a what-if's factor
 * on the days to come. With `prices` (the catalogue and the what-if), the days from a price
 * change the catalogue has scheduled are priced at its new rates (budget-prices.ts). Returned
 * beside the trajectory: whether the budget goes by whole days (byWholeDays), which its status
 * needs too, so that the scope's latest usage is read once, here, not again by the caller.
 */
export function trajectoryOf(
  history: ScopeHistory,
  budget: BudgetConfig,
  window: PeriodWindow,
  spentUsd: number,
  now: Date,
  record: LedgerRecord,
  scale = 1,
  prices?: { pricer: Pricer; whatIf: WhatIf },
): { trajectory: BudgetTrajectory; wholeDays: boolean } {
  const latest = scopeLatest(history, record);
  const recordEnd = scopeRecordedUntil(history, record, now);
  const { today, recordedUntil, todayRecorded } = trajectoryDays(window, now, recordEnd);
  const tomorrow = today + DAY_MS;
  // The forecast's days are UTC days; whole-day rows count on their dates (byWholeDays).
  const wholeDays = byWholeDays(budget, latest);
  const span = wholeDays ? wholeDayWindow(window, budget.timezone) : window;
  const start = span.start.getTime();
  const end = span.end.getTime();
  /** The share of [from, to) inside the period, in days. */
  const inPeriod = (from: number, to: number) => Math.max(0, Math.min(to, end) - Math.max(from, start)) / DAY_MS;
  // One group (by nothing), its days from `since` to the scope's record's end; days before
  // the scope's first spend are before it existed, not days of zero spend.
  // Where today's remainder starts: now, or where an hourly export's last bucket ends.
  const todayFrom = todayRecorded ? recordEnd : today;
  const { values: daily, pending } = scopeDays(history, record, now, recordedUntil, recordEnd, inPeriod);
  // The days not recorded yet, from the hours after the record's end on its last day.
  const unrecorded: number[] = [];
  for (let t = recordedUntil; t < today; t += DAY_MS) unrecorded.push(inPeriod(Math.max(t, recordEnd), t + DAY_MS));
  const todayLeft = inPeriod(todayFrom, tomorrow);
  const tail = Math.max(0, (end - tomorrow) / DAY_MS);
  const daysLeft = Math.ceil(tail);
  // A zone's period ends part-way through a UTC day (Tokyo's day ends at 15:00 UTC): that
  // day counts for the hours that belong to the period, not whole.
  const lastDayFraction = daysLeft > 0 && tail < daysLeft ? tail - (daysLeft - 1) : 1;
  // The horizon's days, as projectPeriod counts them: the unrecorded ones, today's remainder, the days left.
  const first = unrecorded.length > 0 ? recordedUntil : todayLeft > 0 ? today : tomorrow;
  const steps = unrecorded.length + (todayLeft > 0 ? 1 : 0) + daysLeft;
  const scheduled = prices && budgetPrices(prices.pricer, budget, history.spend.groups[0], prices.whatIf, first, steps, now);
  const p = projectPeriod(daily, spentUsd, daysLeft, { limit: budget.limit_usd, todayLeft, lastDayFraction, unrecorded, scale, ...(pending > 0 ? { pending } : {}), ...(scheduled ? { dayScale: scheduled.dayScale } : {}) });
  // The forecast's days are UTC days, the budget's are its zone's: a UTC day is dated by the
  // local date that holds most of its part in the period (the middle of that part), so an
  // Auckland day's breach is never dated the UTC day before it began. By whole days, a UTC
  // day is the zone's day of the same date.
  const dateOf = (i: number | null) => {
    if (i === null) return null;
    const day = first + i * DAY_MS;
    const from = Math.max(day, start, recordEnd);
    // A lagging day before the period (pending spend crosses on it) is dated at the period's start.
    const middle = (from + Math.max(from, Math.min(day + DAY_MS, end))) / 2;
    return localDate(wholeDays ? wholeDayInstant(middle, budget.timezone) : middle, budget.timezone);
  };
  return {
    trajectory: { ...p, breach_date_p50: dateOf(p.breach_day_p50), breach_date_p90: dateOf(p.breach_day_p90), price_changes: scheduled?.steps ?? [], prices_kept: scheduled?.untouched ?? [] },
    wholeDays,
  };
}

/**
 * The scope's daily spend up to `until` (the end of the whole days of its freshest
 * provider's record), from its first spend; and `pending`, the spend in the period not
 * recorded yet of the providers whose record stops earlier than the scope's (`end`). Each
 * such provider's hours from its own record's end are forecast from its own history: its
 * days to `until` (the hours after its last hour bucket on the first, when it ends with
 * one) stand in the scope's history, and with them its hours of the day the scope's record
 * ends inside (today's up to now, say). Read as $0, a Bedrock bill three days behind the
 * proxy's OpenAI traffic would pull the forecast down, and count its days as spending nothing.
 */
function scopeDays(
  history: ScopeHistory,
  record: LedgerRecord,
  now: Date,
  until: number,
  /** Where the scope's record stops (scopeRecordedUntil): inside the day from `until` when not `until` itself. */
  end: number,
  inPeriod: (from: number, to: number) => number,
): { values: Float64Array; pending: number } {
  const scope = history.spend.groups[0];
  if (scope === undefined) return { values: new Float64Array(0), pending: 0 };
  const day0 = Date.parse(`${history.spend.days[0]!}T00:00:00Z`);
  const index = (t: number) => Math.round((t - day0) / DAY_MS);
  const values = scope.cost.slice(scope.first, Math.max(scope.first, Math.min(scope.cost.length, index(until))));
  let pending = 0;
  for (const g of history.byProvider?.groups ?? []) {
    if (g.first >= g.cost.length) continue;
    const ownEnd = providerRecordedUntil(record, g.dims.provider!, now);
    const own = recordedDays(now, ownEnd).recordedUntil;
    const days = Math.max(0, Math.round((until - own) / DAY_MS));
    // The hours of the day the scope's record ends inside that the scope's freshest record holds and this provider's does not yet.
    const partEnd = Math.max(until, Math.min(ownEnd, end));
    const hours = end > partEnd ? 1 : 0;
    if (days + hours === 0) continue;
    const forecast = pointForecast(g.cost.subarray(g.first, Math.max(g.first, index(own))), days + hours).values;
    for (let j = 0; j < days; j++) {
      const t = own + j * DAY_MS;
      // Its first day may be recorded up to its last hour bucket's end: the rest is to come.
      const from = Math.max(t, ownEnd);
      const i = index(t) - scope.first;
      if (i >= 0 && i < values.length) values[i]! += (forecast[j]! * (t + DAY_MS - from)) / DAY_MS;
      pending += forecast[j]! * inPeriod(from, t + DAY_MS);
    }
    if (hours > 0) pending += forecast[days]! * inPeriod(partEnd, end);
  }
  return { values, pending };
}

/** Every budget's status with its trajectory, most at risk first (`budget status`, `forecast`). */
export async function budgetStatuses(ledger: LedgerStore, attributor: Attributor, pricer: Pricer, budgets: readonly BudgetConfig[], now: Date): Promise<BudgetStatus[]> {
  return (await budgetStatusesAndUnpriced(ledger, attributor, pricer, budgets, now)).rows;
}

/** Budgets' statuses with what `budget status` and `forecast` print beside them (budgetStatusesFrom). */
export interface BudgetStatusesResult {
  /** Most at risk first. */
  rows: BudgetStatus[];
  /** How many rows of each budget's current period (by name) have no price: `budget status` warns of them. */
  unpricedRows: Map<string, number>;
  whatIf: Map<string, BudgetWhatIf>;
  /** By budget, the changed models its scope spends on as billed money only: a note says they keep their level. */
  pricesKept: Map<string, BudgetTrajectory['prices_kept']>;
}

/**
 * `budgetStatuses`, with how many rows of each budget's current period (by name) have no
 * price, read from the same spend: `budget status` warns of them.
 */
export async function budgetStatusesAndUnpriced(
  ledger: LedgerStore,
  attributor: Attributor,
  pricer: Pricer,
  budgets: readonly BudgetConfig[],
  now: Date,
  whatIf: WhatIf = NO_WHAT_IF,
  /** Where the ledger's usage stops (ledgerRecord), when the caller has read it already. */
  record?: LedgerRecord,
): Promise<BudgetStatusesResult> {
  if (budgets.length === 0) return budgetStatusesFrom({ record: record ?? ledgerWide(null), spends: [], histories: [] }, budgets, pricer, now, whatIf);
  return budgetStatusesFrom(await budgetInputs(ledger, attributor, pricer, budgets, now, record), budgets, pricer, now, whatIf);
}

/** What budgets' statuses are computed from (budgetStatusesFrom): what budgetInputs reads, in the budgets' order. */
export interface BudgetInputs {
  /** Where the ledger's usage stops (ledgerRecord). */
  record: LedgerRecord;
  /** Each budget's spend in its current period (budgetSpends), by provider when some provider lags (laggingProviders). */
  spends: readonly Pick<BudgetSpend, 'window' | 'spentTicks' | 'unpricedRows' | 'byProvider'>[];
  /** Each budget's scope history (budgetHistories). */
  histories: readonly ScopeHistory[];
}

/**
 * One read of where the ledger's usage stops, of the periods' spend and of the histories
 * for all the budgets (budgetSpends, budgetHistories), not one of each per budget.
 */
export async function budgetInputs(
  ledger: LedgerStore,
  attributor: Attributor,
  pricer: Pricer,
  budgets: readonly BudgetConfig[],
  now: Date,
  record?: LedgerRecord,
): Promise<BudgetInputs> {
  const r = record ?? (await ledgerRecord(ledger));
  // Providers whose records stop before the ledger's: each budget's spend on them runs at its own rate.
  const spends = await budgetSpends(ledger, attributor, budgets, now, { byProvider: laggingProviders(r, now).length > 0 });
  const histories = await budgetHistories(ledger, attributor, pricer, budgets.map((budget, i) => ({ budget, window: spends[i]!.window })), now, r);
  return { record: r, spends, histories };
}

/**
 * Each budget's status at `now` from its inputs (budgetInputs), without reading the ledger:
 * `top` computes them again from its own live spend and the histories it read, which stand
 * until the ledger's record moves (tui/data/budget-projector.ts).
 */
export function budgetStatusesFrom(inputs: BudgetInputs, budgets: readonly BudgetConfig[], pricer: Pricer, now: Date, whatIf: WhatIf = NO_WHAT_IF): BudgetStatusesResult {
  const rows: BudgetStatus[] = [];
  const unpricedRows = new Map<string, number>();
  const factors = new Map<string, BudgetWhatIf>();
  const pricesKept = new Map<string, BudgetTrajectory['prices_kept']>();
  const { record: r, spends, histories } = inputs;
  const lagging = laggingProviders(r, now);
  const ledgerUntil = ledgerRecordedUntil(r, now);
  budgets.forEach((budget, i) => {
    const spend = spends[i]!;
    const w = budgetWhatIf(whatIf, budget, histories[i]!.spend, pricer, now);
    factors.set(budget.name, w);
    const { trajectory, wholeDays } = trajectoryOf(histories[i]!, budget, spend.window, ticksToUsd(spend.spentTicks).toNumber(), now, r, w.factor, { pricer, whatIf });
    if (trajectory.prices_kept.length > 0) pricesKept.set(budget.name, trajectory.prices_kept);
    const recorded = spend.byProvider !== undefined ? { recordedParts: recordedParts(spend.spentTicks, spend.byProvider, lagging, ledgerUntil, recentRates(histories[i]!, r, now)) } : { recordedUntil: ledgerUntil };
    rows.push(budgetStatus(budget, spend.window, spend.spentTicks, now, { trajectory, ...recorded, recordedFrom: scopeRecordedFrom(histories[i]!, r), futureScale: w.factor, wholeDays }));
    unpricedRows.set(budget.name, spend.unpricedRows);
  });
  return { rows: rows.sort(byRisk), unpricedRows, whatIf: factors, pricesKept };
}

/**
 * Where a budget's run rate starts counting time: the ledger's first usage, or the day its
 * scope first spent when the ledger's record shows it new (a feature launched on the 3rd,
 * after at least a week of record with no spend of it, within the history's twelve weeks).
 * Divided by the days before the scope existed, a new feature's $2.40 a day read as $1.03
 * on the 4th, and a month heading for $69.60 as $31.89. A scope that first spent within a
 * week of the ledger's first usage may have spent before the record began: the ledger's
 * start stands.
 */
function scopeRecordedFrom(history: ScopeHistory, record: LedgerRecord): number | undefined {
  const ledgerFrom = recordedFromAt(record);
  const scope = history.spend.groups[0];
  if (ledgerFrom === undefined || scope === undefined || scope.first >= scope.cost.length) return ledgerFrom;
  const first = Date.parse(`${history.spend.days[scope.first]!}T00:00:00Z`);
  return first - ledgerFrom >= NEW_SCOPE_AFTER_DAYS * DAY_MS ? first : ledgerFrom;
}

/** Days of record without a scope's spend before its first that make it a new scope. */
const NEW_SCOPE_AFTER_DAYS = 7;

/**
 * A budget's spend split by where its record stops: each lagging provider's spend at its
 * own record's end, and the rest (every provider current with the ledger) at the ledger's,
 * taken as what is left of the whole, so that the parts add up to it to the tick. A lagging
 * provider the scope spends on (`rates`) is a part even with nothing spent in the period:
 * its record may stop before the period began (yesterday's last hour bucket, judged by a
 * daily budget), and its hours since are still to come at its recent rate, not $0.
 */
function recordedParts(
  spentTicks: bigint,
  byProvider: ReadonlyMap<string, bigint>,
  lagging: readonly { provider: string; until: number }[],
  ledgerUntil: number,
  rates: ReadonlyMap<string, number>,
): RecordedPart[] {
  const parts: RecordedPart[] = [];
  let rest = spentTicks;
  for (const { provider, until } of lagging) {
    const ticks = byProvider.get(provider) ?? 0n;
    const perDay = rates.get(provider);
    if (ticks === 0n && perDay === undefined) continue;
    parts.push({ spentTicks: ticks, until, ...(perDay !== undefined ? { perDay } : {}) });
    rest -= ticks;
  }
  return [...parts, { spentTicks: rest, until: ledgerUntil }];
}

/**
 * Each provider's recent spend per day in a scope (when its history is split by provider):
 * what it spent over the last week of its own record, to its last hour bucket's end on a
 * day it ends inside, at today's prices, divided by that time. The run rate of a provider
 * none of whose time in the period is recorded yet (budget-status.ts RecordedPart.perDay).
 */
function recentRates(history: ScopeHistory, record: LedgerRecord, now: Date): Map<string, number> {
  const rates = new Map<string, number>();
  const days = history.byProvider?.days ?? [];
  if (days.length === 0) return rates;
  const day0 = Date.parse(`${days[0]!}T00:00:00Z`);
  for (const g of scopeProviders(history)) {
    const end = providerRecordedUntil(record, g.dims.provider!, now);
    // The days from a week before its last whole day's end, or its first spend, to where its record stops.
    const last = Math.ceil((end - day0) / DAY_MS);
    const first = Math.max(g.first, Math.floor((end - day0) / DAY_MS) - RECENT_DAYS);
    const time = (end - (day0 + first * DAY_MS)) / DAY_MS;
    if (time <= 0) continue;
    let sum = 0;
    for (let i = first; i < Math.min(last, g.cost.length); i++) sum += g.cost[i]!;
    rates.set(g.dims.provider!, sum / time);
  }
  return rates;
}
