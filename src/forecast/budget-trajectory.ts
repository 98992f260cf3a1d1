/**
 * A budget's trajectory: its scope's daily spend forecast to the period's end — P50/P90 of
 * the period total, the probability of passing the limit, and the days the P50 and P90
 * paths cross it. What is spent is the recorded money (the bill); the days left will be
 * billed at today's prices, so the history they are forecast from is re-priced at them
 * (spend-history.ts), as `forecast`'s is: a discount that began mid-history is not a
 * falling trend, nor a price rise a flat one.
 */
import type { Attributor } from '../attribution/attributor.js';
import type { PeriodWindow } from '../budgets/budget-period.js';
import { budgetSpends, scopeWhere } from '../budgets/budget-spend.js';
import { scopedReports } from '../budgets/scoped-reports.js';
import { budgetStatus, byRisk, type BudgetStatus } from '../budgets/budget-status.js';
import { recordedUntil as recordedUntilAt } from '../budgets/recorded-until.js';
import { ticksToUsd } from '../shared/money.js';
import type { BudgetConfig } from '../config/config-schema.js';
import type { LedgerStore } from '../ledger/ledger-store.js';
import { latestUsageAt } from '../ledger/queries/latest-usage.js';
import type { Pricer } from '../pricing/pricer.js';
import { projectPeriod, type PeriodProjection } from './period-projection.js';
import { historyDimensions, spendHistoryOf, type SpendHistory } from './spend-history.js';
import { budgetWhatIf, type BudgetWhatIf } from './budget-what-if.js';
import { NO_WHAT_IF, type WhatIf } from './what-if.js';

export interface BudgetTrajectory extends PeriodProjection {
  breach_date_p50: string | null;
  breach_date_p90: string | null;
}

const DAY_MS = 86_400_000;
/** History the forecast reads before the period (twelve weeks). */
const LOOKBACK_DAYS = 84;

/**
 * `latest`: the ledger's latest usage (latestUsageAt), read once by a caller that judges
 * several budgets; read here when not given.
 */
export async function budgetTrajectory(
  ledger: LedgerStore,
  attributor: Attributor,
  pricer: Pricer,
  budget: BudgetConfig,
  window: PeriodWindow,
  spentUsd: number,
  now: Date,
  latest?: string | null,
): Promise<BudgetTrajectory> {
  const latestUsage = latest === undefined ? await latestUsageAt(ledger) : latest;
  const [history] = await budgetHistories(ledger, attributor, pricer, [{ budget, window }], now, latestUsage);
  return trajectoryOf(history!, budget, window, spentUsd, now, latestUsage);
}

/** The days a trajectory stands on: where its history starts and stops, and what is left of today. */
interface TrajectoryDays {
  today: number;
  /** The end (exclusive, a UTC midnight) of the recorded days: the history's end. */
  recordedUntil: number;
  todayRecorded: boolean;
  /** The history's start: twelve weeks before the period's first UTC day. */
  since: string;
}

function trajectoryDays(window: PeriodWindow, now: Date, latest: string | null): TrajectoryDays {
  const today = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  // Imports arrive a day or more late: the days after the ledger's latest usage are not
  // days of $0 (read so, they would pull the forecast down to nothing) but days not
  // recorded yet. The history ends with the latest day that has usage; the days after it
  // are forecast with the days to come, today whole when none of it is recorded.
  const latestAt = latest === null ? NaN : Date.parse(latest);
  const recordedUntil = Math.min(today, recordedUntilAt(latest, now));
  const todayRecorded = Number.isFinite(latestAt) && latestAt >= today;
  const since = new Date(Math.floor(window.start.getTime() / DAY_MS) * DAY_MS - LOOKBACK_DAYS * DAY_MS).toISOString();
  return { today, recordedUntil, todayRecorded, since };
}

/**
 * Each budget's spend history (in the order given), re-priced at `now`'s prices: one
 * ledger report for all the budgets whose scopes read the same columns (a team's budgets,
 * whatever their periods: scoped-reports.ts), split by scope and window here, and the
 * catalogue's prices looked up once for a row that several budgets' histories hold.
 */
export async function budgetHistories(
  ledger: LedgerStore,
  attributor: Attributor,
  pricer: Pricer,
  budgets: readonly { budget: BudgetConfig; window: PeriodWindow }[],
  now: Date,
  latest: string | null,
): Promise<SpendHistory[]> {
  const queries = budgets.map(({ budget, window }) => {
    const { recordedUntil, since } = trajectoryDays(window, now, latest);
    return { where: scopeWhere(budget), since, until: new Date(recordedUntil).toISOString() };
  });
  const by = historyDimensions([]);
  const reports = await scopedReports(ledger, attributor, by, queries);
  const ratios = new Map<string, number>();
  return reports.map(({ rows, total }, i) => {
    const { since, until } = queries[i]!;
    // The history runs to the last recorded day: the scope's days after its last spend spent nothing.
    const lastDay = new Date(Date.parse(until) - DAY_MS).toISOString().slice(0, 10);
    return spendHistoryOf(rows, total.unpriced_rows, pricer, { by: [], where: queries[i]!.where, since, until, basis: 'default', now, lastDay }, ratios);
  });
}

/** A budget's trajectory from its spend history (budgetHistories); `scale`: a what-if's factor on the days to come. */
export function trajectoryOf(spend: SpendHistory, budget: BudgetConfig, window: PeriodWindow, spentUsd: number, now: Date, latest: string | null, scale = 1): BudgetTrajectory {
  const { today, recordedUntil, todayRecorded } = trajectoryDays(window, now, latest);
  const tomorrow = today + DAY_MS;
  // One group (by nothing), its days from `since`; days before the scope's first spend are
  // before it existed, not days of zero spend.
  const scope = spend.groups[0];
  const history = scope === undefined ? [] : [...scope.cost.subarray(scope.first)];
  const start = window.start.getTime();
  const end = window.end.getTime();
  /** The share of [from, to) inside the period, in days. */
  const inPeriod = (from: number, to: number) => Math.max(0, Math.min(to, end) - Math.max(from, start)) / DAY_MS;
  const unrecorded: number[] = [];
  for (let t = recordedUntil; t < today; t += DAY_MS) unrecorded.push(inPeriod(t, t + DAY_MS));
  const todayLeft = todayRecorded ? inPeriod(now.getTime(), tomorrow) : inPeriod(today, tomorrow);
  const tail = Math.max(0, (end - tomorrow) / DAY_MS);
  const daysLeft = Math.ceil(tail);
  // A zone's period ends part-way through a UTC day (Tokyo's day ends at 15:00 UTC): that
  // day counts for the hours that belong to the period, not whole.
  const lastDayFraction = daysLeft > 0 && tail < daysLeft ? tail - (daysLeft - 1) : 1;
  const p = projectPeriod(history, spentUsd, daysLeft, { limit: budget.limit_usd, todayLeft, lastDayFraction, unrecorded, scale });
  const dateOf = (i: number | null) => {
    if (i === null) return null;
    const first = unrecorded.length > 0 ? recordedUntil : todayLeft > 0 ? today : tomorrow;
    return new Date(first + i * DAY_MS).toISOString().slice(0, 10);
  };
  return { ...p, breach_date_p50: dateOf(p.breach_day_p50), breach_date_p90: dateOf(p.breach_day_p90) };
}

/** Every budget's status with its trajectory, most at risk first (`budget status`, `forecast`). */
export async function budgetStatuses(ledger: LedgerStore, attributor: Attributor, pricer: Pricer, budgets: readonly BudgetConfig[], now: Date): Promise<BudgetStatus[]> {
  return (await budgetStatusesAndUnpriced(ledger, attributor, pricer, budgets, now)).rows;
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
): Promise<{ rows: BudgetStatus[]; unpricedRows: Map<string, number>; whatIf: Map<string, BudgetWhatIf> }> {
  const rows: BudgetStatus[] = [];
  const unpricedRows = new Map<string, number>();
  const factors = new Map<string, BudgetWhatIf>();
  if (budgets.length === 0) return { rows, unpricedRows, whatIf: factors };
  // One read of the latest usage, of the periods' spend and of the histories for all the
  // budgets (budgetSpends, budgetHistories), not one of each per budget.
  const latest = await latestUsageAt(ledger);
  const spends = await budgetSpends(ledger, attributor, budgets, now);
  const histories = await budgetHistories(ledger, attributor, pricer, budgets.map((budget, i) => ({ budget, window: spends[i]!.window })), now, latest);
  budgets.forEach((budget, i) => {
    const spend = spends[i]!;
    const w = budgetWhatIf(whatIf, budget, histories[i]!, pricer, now);
    factors.set(budget.name, w);
    const trajectory = trajectoryOf(histories[i]!, budget, spend.window, ticksToUsd(spend.spentTicks).toNumber(), now, latest, w.factor);
    rows.push(budgetStatus(budget, spend.window, spend.spentTicks, now, { trajectory, recordedUntil: recordedUntilAt(latest, now), futureScale: w.factor }));
    unpricedRows.set(budget.name, spend.unpricedRows);
  });
  return { rows: rows.sort(byRisk), unpricedRows, whatIf: factors };
}
