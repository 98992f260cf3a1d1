/**
 * The insights extension point: a finder reads the month's usage (with its token mix
 * per model) and returns ranked opportunities, each with its $ impact per month, the
 * action and the effort. A new finder is a file in finders/ plus one line in
 * insight-registry.ts.
 */
import type { Anomaly } from '../anomalies/anomaly.js';
import type { BudgetStatus } from '../budgets/budget-status.js';
import type { TokenMix } from '../forecast/token-mix.js';
import type { Pricer } from '../pricing/pricer.js';
import type { ServiceTier } from '../pricing/catalogue-schema.js';
import { dec, roundUsd, type Dec } from '../shared/money.js';

export type Priority = 'High' | 'Medium' | 'Low';
export type Effort = 'Low' | 'Medium' | 'High';

export interface Insight {
  kind: string;
  title: string;
  /** Money per month the action saves (or, for risks, the spend exposed). */
  impact_usd_per_month: number;
  action: string;
  effort: Effort;
  priority: Priority;
  /** The dimension values it concerns. */
  scope: Record<string, string>;
  evidence: string;
}

/** One feature's usage of one model over the window, scaled to a month. */
export interface UsageCell {
  feature: string;
  mix: TokenMix;
  /** The feature's tags say it is not interactive (`interactive: false`). */
  interactive: boolean | null;
  /**
   * The parts of `mix` the ledger recorded on a discounted service tier (batch, flex),
   * priced at that tier (price-usage.ts); the rest is standard. Absent: all standard.
   */
  tiered?: TieredPart[];
}

/** Tokens of a cell recorded on one non-standard service tier (a part of the cell's mix; its cost is left at zero). */
export interface TieredPart {
  tier: ServiceTier;
  mix: TokenMix;
}

export interface InsightInput {
  cells: UsageCell[];
  /** Spend per month (the window's spend scaled to 30 days). */
  monthly_total_usd: number;
  /** Window length in days (a part of one too); mixes are per window, multiply by 30 / days. */
  days: number;
  anomalies: Anomaly[];
  budgets: BudgetStatus[];
  pricer: Pricer;
  at: Date;
}

/**
 * What a finder returns. Its priority is set from its $ against the month's spend, unless
 * the finder sets one: a budget already past its limit is High however small the overspend.
 */
export type Draft = Omit<Insight, 'priority'> & { priority?: Priority };

export interface InsightFinder {
  readonly id: string;
  find(input: InsightInput): Draft[];
}

/**
 * High: ≥ 10% of monthly spend or ≥ $1,000 a month; Medium: ≥ 2% or ≥ $100; else Low. A
 * window with no spend (a --since after the last usage, only unpriced rows) has no shares:
 * every cent is "10% of $0", and a $1 anomaly read High.
 */
export function priorityOf(impact: number, monthlyTotal: number): Priority {
  const shares = monthlyTotal > 0;
  if (impact >= 1000 || (shares && impact >= 0.1 * monthlyTotal)) return 'High';
  if (impact >= 100 || (shares && impact >= 0.02 * monthlyTotal)) return 'Medium';
  return 'Low';
}

/**
 * A window's money as a month's (30 days), to the cent for the JSON: scaled in decimal and
 * rounded as formatUsd shows it (roundUsd), not through a float ($1.005 was 1.00).
 */
export function usdPerMonth(usd: Dec | number, days: number): number {
  return roundUsd(dec(usd).times(30).div(days));
}

/** "the last 30 days", "the last day", "the last 0.25 days": a window's length in the evidence texts. */
export function lastDays(days: number): string {
  const n = Number(days.toFixed(2));
  return n === 1 ? 'the last day' : `the last ${n} days`;
}
