/**
 * Where each budget stands: spent against its limit, the state (green below the soft
 * limit, amber from it, red at or past the limit), and where the period is heading at the
 * current run rate — projected period-end spend and the date the limit would be crossed —
 * and, given a forecast trajectory (forecast/budget-trajectory.ts), the P50/P90 period
 * total, the breach probability and the days the P50 and P90 paths cross the limit.
 */
import type { BudgetConfig } from '../config/config-schema.js';
import { dec, ticksToUsd, usdToTicks, type Dec } from '../shared/money.js';
import { localDate, wholeDayInstant, wholeDayWindow, type PeriodWindow } from './budget-period.js';
import { describeScope } from './budget-scope.js';
import { compareText } from '../shared/compare-text.js';
import { stepStart, type PriceStep } from '../forecast/scheduled-prices.js';
import type { SelectableMethod } from '../forecast/select-method.js';

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
  /**
   * Spend at period end if the run rate so far continues (to the tick, not to the cent); for a
   * provider with none of its time in the period recorded, its recent rate (RecordedPart.perDay).
   */
  projected_usd: number;
  /** When the run rate crosses the limit within the period (null: it does not, or already has). */
  breach_at: string | null;
  breached: boolean;
  /** Forecast period-end spend (the run-rate projection when there is too little history). */
  projected_p50_usd: number;
  projected_p90_usd: number;
  /** P(period total > limit), from the forecaster's past errors; null when it cannot say. */
  breach_probability: number | null;
  /** Day (UTC) the P50 / P90 cumulative paths cross the limit; null when they do not. */
  breach_date_p50: string | null;
  breach_date_p90: string | null;
  /** `forecast` with enough history, else `run-rate`. */
  projection_method: 'forecast' | 'run-rate';
  /**
   * The method behind the forecast, the one `forecast` chooses for the scope's history and
   * names so (`selected_method`: `combination`, `theta`, `damped-trend`, `seasonal-naive`);
   * null beside a `run-rate` projection or for a scope spending on few of its days (its mean rate).
   */
  selected_method: SelectableMethod | null;
  /**
   * Price changes the catalogue has scheduled in the period's days to come that change the
   * scope's spend: from each step's day (UTC) on, its spend per day is × `cost_factor`
   * against today's prices, in the run rate and the forecast alike. [] when none; absent
   * where no trajectory was asked for (the proxy, `top`).
   */
  price_changes?: PriceStep[];
}

/** What the forecaster says about the period (see forecast/budget-trajectory.ts). */
export interface TrajectoryInput {
  p50: number;
  p90: number;
  breach_probability: number | null;
  breach_date_p50: string | null;
  breach_date_p90: string | null;
  method: 'forecast' | 'run-rate';
  /** The method the forecast is (forecast/period-projection.ts); null for a run rate or a mean rate. */
  selected_method: SelectableMethod | null;
  /**
   * Scheduled price changes in the days to come (forecast/budget-prices.ts), already in the
   * figures above: the run rate takes them too, from each step's UTC day on.
   */
  price_changes?: readonly PriceStep[];
}

/** What `budgetStatus` may be told beyond spent and now. */
export interface BudgetStatusOptions {
  /** The forecaster's view of the period (forecast/budget-trajectory.ts). */
  trajectory?: TrajectoryInput;
  /**
   * The instant (ms) the ledger's usage is recorded up to (recorded-until.ts), when it lags
   * behind `now`: the run rate is what was spent over the time it was recorded in, not
   * over time no export has reached yet. Live callers (the proxy, `top`) omit it.
   */
  recordedUntil?: number;
  /**
   * The period's spend split by where each part's record stops (recorded-until.ts), when
   * providers arrive at their own lags (the proxy's traffic up to now, a cloud bill's days
   * late): each part's run rate is its spend over its own recorded time, and the parts add
   * up. Their spend adds up to `spentTicks`; given, it stands in for `recordedUntil`.
   */
  recordedParts?: readonly RecordedPart[];
  /**
   * The instant (ms) the ledger's record begins (recorded-until.ts), when that is inside the
   * period: a proxy installed on the 5th has no record of the days before, and the run
   * rate is what was spent over the time recorded, or two days after installing, a month
   * projects 2.6x low. A scope with no spend on recorded days is a scope that spent $0 on them.
   */
  recordedFrom?: number;
  /**
   * A what-if's multiplier on the spend still to come (`forecast --traffic x2`): what is
   * spent stays as it is; the run rate from here on is scaled. 1 when omitted.
   */
  futureScale?: number;
  /**
   * Whether the record ends with whole-day rows (a daily export: forecast/budget-trajectory.ts
   * byWholeDays): the run rate's time is then their dates' (wholeDayWindow), as spent counts
   * them. In New York, the 14 October bucket is spent of the 14th until 04:00 UTC on the
   * 15th: timed from the UTC midnight, those four hours counted twice, $313.73 projected for a
   * month of $10 days. The breach instant is then read back in the zone's hours.
   */
  wholeDays?: boolean;
}

/** Spend whose record stops at `until` (ms): a provider's, or several stopping together. */
export interface RecordedPart {
  spentTicks: bigint;
  until: number;
  /**
   * The part's own recent spend per day (USD: its last week of record, budget-trajectory.ts),
   * for when none of its time in the period is recorded: a provider whose hourly export's last
   * bucket is yesterday's, judged by a daily budget, has no run rate of its own so far (0 / 0),
   * and left out, its hours to come were $0 beside a live provider's. Unused when it has one.
   */
  perDay?: number;
}

/** A part of the spend as the run rate reads it: what is spent, where its growth starts, and its rate so far (spent / elapsed) or `perMs`. */
interface RatePart {
  spent: Dec;
  until: number;
  elapsed: number;
  /** The part's own recent rate (RecordedPart.perDay) per ms, when it has no time recorded in the period. */
  perMs?: Dec;
}

const DAY_MS = 86_400_000;
/** A part's rate per ms before a what-if's scale: its own so far, or its recent one. */
const rateOf = (p: RatePart): Dec => p.perMs ?? p.spent.div(p.elapsed);
/** Whether a part's spend grows past where its record stops. */
const grows = (p: RatePart): boolean => (p.perMs !== undefined ? p.perMs.gt(0) : p.elapsed > 0 && p.spent.gt(0));

export function budgetStatus(config: BudgetConfig, window: PeriodWindow, spentTicks: bigint, now: Date, options: BudgetStatusOptions = {}): BudgetStatus {
  const { trajectory, recordedUntil, futureScale = 1, wholeDays = false } = options;
  const limitTicks = usdToTicks(dec(config.limit_usd));
  // The run rate's clock: the period's own hours, or its dates' for whole-day rows (wholeDays).
  const span = wholeDays ? wholeDayWindow(window, config.timezone) : window;
  const start = span.start.getTime();
  const end = span.end.getTime();
  // Where the run rate's time starts: the period's start, or the ledger's first usage after it.
  const from = Math.max(start, options.recordedFrom ?? start);
  const spent = ticksToUsd(spentTicks);
  const percentX100 = limitTicks > 0n ? (spentTicks * 10_000n) / limitTicks : 0n;
  const percent = Number(percentX100) / 100;
  // On the exact spend: `percent` is cut to two decimals, and a soft limit may have more.
  const state: BudgetStateName = spentTicks >= limitTicks ? 'red' : spentTicks >= softLimitTicks(limitTicks, config.soft_limit_percent) ? 'amber' : 'green';
  // Each part: spent, plus its rate so far (spent / elapsed) over the time left, scaled by a what-if.
  const scale = dec(futureScale);
  const parts = (options.recordedParts ?? [{ spentTicks, until: recordedUntil ?? Infinity }]).map((p): RatePart => {
    const until = Math.min(now.getTime(), p.until, end);
    const elapsed = Math.max(0, until - from);
    const spent = ticksToUsd(p.spentTicks);
    // None of its time in the period recorded: its recent rate, from where the period's recorded time starts.
    if (elapsed === 0 && p.perDay !== undefined) return { spent, until: Math.min(Math.max(until, from), end), elapsed, perMs: dec(p.perDay).div(DAY_MS) };
    return { spent, until, elapsed };
  });
  // A price change the catalogue has scheduled: the rate is × its factor from its day on.
  const steps = (trajectory?.price_changes ?? []).map((p) => ({ at: stepStart(p), factor: dec(p.cost_factor) }));
  let projected = dec(0);
  for (const p of parts) {
    const { spent: s, until, elapsed, perMs } = p;
    projected = projected.add(elapsed > 0 ? s.add(s.mul(pricedSpan(steps, until, end)).div(elapsed).mul(scale)) : perMs !== undefined ? s.add(perMs.mul(pricedSpan(steps, until, end)).mul(scale)) : s);
  }
  let breachAt: string | null = null;
  if (spentTicks > 0n && spentTicks < limitTicks && futureScale > 0) {
    const at = steps.length > 0 ? steppedBreachInstant(parts, spent, dec(config.limit_usd), scale, steps) : breachInstant(parts, spent, dec(config.limit_usd), scale);
    if (at !== null && at < end) breachAt = new Date(Math.round(wholeDays ? wholeDayInstant(at, config.timezone) : at)).toISOString();
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
    projected_usd: toTicks(projected),
    breach_at: breachAt,
    breached: spentTicks >= limitTicks,
    ...trajectoryFields(trajectory, toTicks(projected), breachAt === null ? null : localDate(Date.parse(breachAt), config.timezone), parts.some((p) => p.elapsed > 0)),
  };
}

/** A price step: from `at` (ms) on, spend per unit of time is × `factor` against today's prices. */
interface RateStep {
  at: number;
  factor: Dec;
}

/** The time from `a` to `b` (ms) weighted by the price factor in force (1 before any step): `b - a` with none. */
function pricedSpan(steps: readonly RateStep[], a: number, b: number): Dec | number {
  if (steps.length === 0 || b <= a) return b - a;
  let total = dec(0);
  let t = a;
  let factor = dec(1);
  for (const s of steps) {
    if (s.at > t) {
      const to = Math.min(s.at, b);
      total = total.add(factor.mul(to - t));
      t = to;
    }
    if (t >= b) return total;
    factor = s.factor;
  }
  return total.add(factor.mul(b - t));
}

/**
 * breachInstant under scheduled price steps: the parts' rates add up as their records stop,
 * and the sum is × the factor in force; between two such instants the spend grows linearly.
 */
function steppedBreachInstant(parts: readonly RatePart[], spent: Dec, limit: Dec, scale: Dec, steps: readonly RateStep[]): number | null {
  const growing = parts.filter(grows);
  if (growing.length === 0) return null;
  const from = Math.min(...growing.map((p) => p.until));
  const instants = [...new Set([...growing.map((p) => p.until), ...steps.map((s) => s.at)])].filter((t) => t >= from).sort((a, b) => a - b);
  let level = spent;
  for (let i = 0; i < instants.length; i++) {
    const t = instants[i]!;
    let factor = dec(1);
    for (const s of steps) if (s.at <= t) factor = s.factor;
    const rate = growing.filter((p) => p.until <= t).reduce((r, p) => r.add(rateOf(p)), dec(0)).mul(scale).mul(factor);
    const next = instants[i + 1];
    if (rate.gt(0)) {
      const at = dec(t).add(limit.sub(level).div(rate));
      if (next === undefined || at.lte(next)) return at.toNumber();
    }
    if (next === undefined) return null;
    level = level.add(rate.mul(next - t));
  }
  return null;
}

/**
 * When spend crosses `limit` (ms), or null when it never grows: each part spends at its rate
 * so far (spent / elapsed, scaled; or its recent one, perMs) from where its record stops, on
 * top of all that is spent.
 */
function breachInstant(parts: readonly RatePart[], spent: Dec, limit: Dec, scale: Dec): number | null {
  const growing = parts.filter(grows).sort((a, b) => a.until - b.until);
  if (growing.length === 1 && growing[0]!.perMs === undefined) {
    // One rate: the rest of the limit at it, from where the record stops. Kept apart from the
    // loop below (the same instant in exact arithmetic) so that a ledger with no lagging
    // provider gives the breach instant it gave before, to the millisecond.
    const { until, elapsed, spent: s } = growing[0]!;
    return dec(until).add(limit.sub(spent).mul(elapsed).div(s.mul(scale))).toNumber();
  }
  let level = spent;
  let rate = dec(0);
  for (let i = 0; i < growing.length; i++) {
    const p = growing[i]!;
    rate = rate.add(rateOf(p).mul(scale));
    const next = growing[i + 1]?.until;
    const at = dec(p.until).add(limit.sub(level).div(rate));
    if (next === undefined || at.lte(next)) return at.toNumber();
    level = level.add(rate.mul(next - p.until));
  }
  return null;
}

/**
 * The spend (ticks) at which a budget turns amber: `softPercent` of the limit, rounded up
 * to a whole tick, so that spent >= it exactly when spent / limit >= softPercent / 100
 * (79.999% is past a soft limit of 79.995%, which hundredths of a percent would miss).
 */
export function softLimitTicks(limitTicks: bigint, softPercent: number): bigint {
  return BigInt(dec(limitTicks.toString()).mul(dec(softPercent)).div(100).ceil().toFixed(0));
}

/**
 * `periodRecorded`: whether any of the period's time is recorded. Under two weeks of history
 * the period's own run rate stands for the forecast; a period none of whose time is recorded
 * yet (a new month on a ledger imported through yesterday) has none, 0 / 0, and its $0 spent
 * read as the period's end said no daily budget could ever breach. The trajectory's run rate,
 * the history's last week over the days still to come, stands in there.
 */
function trajectoryFields(t: TrajectoryInput | undefined, runRate: number, breachDate: string | null, periodRecorded: boolean) {
  const useTrajectory = t !== undefined && (t.method === 'forecast' || !periodRecorded);
  return {
    projected_p50_usd: useTrajectory ? toTicks(t.p50) : runRate,
    projected_p90_usd: useTrajectory ? toTicks(t.p90) : runRate,
    breach_probability: t && t.breach_probability !== null ? Math.round(t.breach_probability * 1000) / 1000 : null,
    breach_date_p50: useTrajectory ? t.breach_date_p50 : breachDate,
    breach_date_p90: useTrajectory ? t.breach_date_p90 : breachDate,
    projection_method: t !== undefined && t.method === 'forecast' ? ('forecast' as const) : ('run-rate' as const),
    selected_method: t !== undefined && t.method === 'forecast' ? t.selected_method : null,
    // As forecast's rows give them (build-forecast.ts): the factor to six decimals.
    price_changes: (t?.price_changes ?? []).map((p) => ({ ...p, cost_factor: Math.round(p.cost_factor * 1e6) / 1e6 })),
  };
}

/**
 * A projection to the ledger's unit (1 tick = 1e-10 USD), never to cents: a $0.001 budget
 * heading for $0.0033 is not heading for $0.00. Displays format it (formatUsd, formatMoney).
 */
const toTicks = (usd: Dec | number): number => (typeof usd === 'number' && !Number.isFinite(usd) ? usd : ticksToUsd(usdToTicks(dec(usd))).toNumber());

/**
 * Most at risk first: breached, then breach probability × expected overrun share
 * (routing-forecast.md §2.5), then projected share of the limit. Without a
 * probability, a run-rate projection past the limit counts as certain.
 */
export function byRisk(a: BudgetStatus, b: BudgetStatus): number {
  if (a.breached !== b.breached) return a.breached ? -1 : 1;
  return risk(b) - risk(a) || b.projected_p50_usd / b.limit_usd - a.projected_p50_usd / a.limit_usd || compareText(a.name, b.name);
}

function risk(s: BudgetStatus): number {
  const p = s.breach_probability ?? (s.projected_p50_usd > s.limit_usd ? 1 : 0);
  const overrun = Math.max(0, s.projected_p90_usd - s.limit_usd) / s.limit_usd;
  return p * (1 + overrun);
}
