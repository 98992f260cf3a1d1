/**
 * A budget's projection as `llmfin budget status` computed it (BudgetProjector), carried
 * forward to the live spend until it is computed again (every PROJECTION_MS).
 *
 * What is carried is the spend still to come by the period's end, as computed — P50, P90
 * and the run rate's — and the live spend is added to it: a request that arrives after the
 * computation moves the projected end by its cost at once, as it moves spent.
 *
 * The time since the computation is not taken off the spend to come: that spend is held as
 * computed. The projected end then counts the spend that arrives in that time twice — as
 * spent, and as the forecast of that time — at most one interval's worth (a minute of a day's
 * forecast: 0.07%), and the next computation takes it out. Taking off a share of the
 * time left would not be simpler nor more right: the spend to come is not spread evenly over
 * it (a forecast's weekdays, a lagging bill's days still to arrive, a price change ahead),
 * and it would move the figures every second while nothing is spent, so an idle dashboard
 * would draw frames to show it (use-live-snapshot.ts).
 *
 * The breach instant and dates and P(breach) stand as computed, but for a budget whose live
 * spend has reached its limit since: then, as budget status's formulas give it for spent at
 * the limit, no date is ahead, and a forecast's P(breach) is 1.
 */
import type { BudgetStatus } from '../../budgets/budget-status.js';
import { dec, ticksToUsd, usdToTicks } from '../../shared/money.js';

export interface BudgetProjection {
  /** The period it was computed for (BudgetStatus.period_start): it says nothing of the next. */
  periodStart: string;
  /** The spend still to come by the period's end (ticks) as computed: P50, P90 and the run rate's; null for a figure that is no number. */
  toCome: { p50: bigint | null; p90: bigint | null; runRate: bigint | null };
  /** The status as computed. */
  status: BudgetStatus;
}

/** The projection of `status`, computed with `spentTicks` spent. */
export function budgetProjection(status: BudgetStatus, spentTicks: bigint): BudgetProjection {
  const toCome = (usd: number) => (Number.isFinite(usd) ? usdToTicks(dec(usd)) - spentTicks : null);
  return { periodStart: status.period_start, toCome: { p50: toCome(status.projected_p50_usd), p90: toCome(status.projected_p90_usd), runRate: toCome(status.projected_usd) }, status };
}

/**
 * `live` (a status of the live spend, `spentTicks`) with `projection`'s figures carried to
 * that spend; `live` itself when the projection is of another period (rolled over, not yet
 * computed again).
 */
export function carryProjection(live: BudgetStatus, spentTicks: bigint, projection: BudgetProjection): BudgetStatus {
  if (projection.periodStart !== live.period_start) return live;
  const { status: s, toCome } = projection;
  const end = (ticks: bigint | null, computed: number) => (ticks === null ? computed : ticksToUsd(spentTicks + ticks).toNumber());
  const reached = live.breached && !s.breached;
  return {
    ...live,
    projected_usd: end(toCome.runRate, s.projected_usd),
    breach_at: reached ? null : s.breach_at,
    projected_p50_usd: end(toCome.p50, s.projected_p50_usd),
    projected_p90_usd: end(toCome.p90, s.projected_p90_usd),
    breach_probability: reached && s.breach_probability !== null ? 1 : s.breach_probability,
    breach_date_p50: reached ? null : s.breach_date_p50,
    breach_date_p90: reached ? null : s.breach_date_p90,
    projection_method: s.projection_method,
    selected_method: s.selected_method,
    ...(s.price_changes !== undefined ? { price_changes: s.price_changes } : {}),
  };
}
