/** What the dashboard shows at one moment: plain data that the components render. */
import type { BudgetStatus } from '../../budgets/budget-status.js';
import type { GroupDimension } from './group-dimensions.js';
import type { GroupTotals } from './group-tracker.js';
import type { LiveFlag } from './live-flag.js';
import type { LiveRow } from './live-row.js';

/**
 * A budget's status with how many rows of its period and scope have no price (an unknown
 * model): their cost is unknown, not $0, and is not in `spent_usd` — as `llmfin budget
 * status` counts them (its JSON's `unpriced_rows`) and warns about them.
 */
export type LiveBudgetStatus = BudgetStatus & { unpriced_rows: number };

/**
 * A request of the feed with who made it: its group of the snapshot's `groupBy` (team, agent,
 * …), decided through the attribution rules as the Groups view's are, `(unattributed)` for none.
 */
export interface FeedRow extends LiveRow {
  group: string;
}

export interface PeriodTotals {
  costTicks: bigint;
  requests: number;
  /**
   * The part of `costTicks` on rows that count their requests: what cost per request
   * divides, as in reports (a bill or a usage export that counts none would inflate it).
   */
  countedTicks: bigint;
  /**
   * The requests of rows with a price: what cost per request divides, as in reports (an
   * unknown model's requests have no cost in `countedTicks`).
   */
  countedRequests: number;
  /** Rows with no price (an unknown model): their requests are counted, their cost cannot be. */
  unpriced: number;
}

export interface DashboardSnapshot {
  /** The moment it describes (ms). */
  at: number;
  /** The ledger being watched. */
  ledger: string;
  today: PeriodTotals;
  month: PeriodTotals;
  requestsPerSecond: number;
  tokensPerSecond: number;
  /** Today's average cost per priced request, in ticks; null without one (unknown, not $0). */
  costPerRequestTicks: number | null;
  /** In config order. */
  budgets: LiveBudgetStatus[];
  groupBy: GroupDimension;
  /** Costliest first. */
  groups: GroupTotals[];
  /** Newest first. */
  latest: FeedRow[];
  /** Costliest first, last hour. */
  costliest: FeedRow[];
  /** Newest first. */
  flags: LiveFlag[];
  /** The repeats that make a trace a loop (anomalies.loop_repeats), which the Flags view names. */
  loopRepeats: number;
  /** The filter applied to groups, requests and flags ('' for none). */
  filter: string;
}
