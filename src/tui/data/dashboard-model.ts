/**
 * Everything the dashboard knows, in memory: period totals, budgets, groups, the
 * request feed, rates and flags. Seeded once from the ledger, then fed only the rows
 * that arrive, so each refresh costs in proportion to new traffic, not to the ledger.
 * Pure (no I/O, the clock is passed in), so it is tested without a terminal or a file.
 */
import type { Attributor } from '../../attribution/attributor.js';
import type { PeriodWindow } from '../../budgets/budget-period.js';
import type { BudgetConfig } from '../../config/config-schema.js';
import { BudgetTracker } from './budget-tracker.js';
import type { DashboardSnapshot, FeedRow, PeriodTotals } from './dashboard-snapshot.js';
import type { GroupDimension } from './group-dimensions.js';
import { GroupTracker } from './group-tracker.js';
import type { MinuteGroupRow } from './live-ledger-reader.js';
import { FlagBoard } from './live-flag.js';
import type { LiveRow } from './live-row.js';
import { LoopDetector } from './loop-detector.js';
import { MinuteSeries } from './minute-series.js';
import { RateMeter } from './rate-meter.js';
import { RequestFeed } from './request-feed.js';
import { spendSpike } from './spike-detector.js';

const RATE_WINDOW_MS = 10_000;
const DAY_MS = 86_400_000;

export interface DashboardModelOptions {
  ledger: string;
  budgets: readonly BudgetConfig[];
  attributor: Attributor;
  now: Date;
  /** Repeats that make an agent loop (anomalies.loop_repeats; default 4). */
  loopRepeats?: number | undefined;
}

/** A row's provider-month (`provider\u0000YYYY-MM`), as #governed holds them. */
function poolOf(row: LiveRow): string {
  return `${row.provider}\u0000${row.ts.slice(0, 7)}`;
}

/** UTC day and month containing `t`. */
export function utcPeriods(t: number): { day: PeriodWindow; month: PeriodWindow } {
  const d = new Date(t);
  const dayStart = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  return {
    day: { start: new Date(dayStart), end: new Date(dayStart + DAY_MS) },
    month: { start: new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)), end: new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)) },
  };
}

export class DashboardModel {
  readonly ledger: string;
  readonly budgets: BudgetTracker;
  readonly groups: GroupTracker;
  readonly feed = new RequestFeed();
  readonly #rates: RateMeter;
  readonly #loops: LoopDetector;
  readonly #flags = new FlagBoard();
  readonly #spend: MinuteSeries;
  #periods: { day: PeriodWindow; month: PeriodWindow };
  #today: PeriodTotals = { costTicks: 0n, requests: 0, countedTicks: 0n, countedRequests: 0, unpriced: 0 };
  #month: PeriodTotals = { costTicks: 0n, requests: 0, countedTicks: 0n, countedRequests: 0, unpriced: 0 };
  /** The highest row id taken in: the watermark of the incremental reads. */
  watermark = 0;
  /**
   * Provider-months (`provider\u0000YYYY-MM`) whose money the default basis takes from a
   * layer above the proxy's (billed exports, provider usage): a metered row there only
   * attributes the bill, so adding its cost would count the same spend twice.
   */
  readonly #governed = new Set<string>();
  /**
   * Rows arrived that cannot be added row by row (a metered row of a governed
   * provider-month, an imported billed or provider-usage row): the totals and budgets
   * wait for the next reading of the ledger on the default basis (LiveDashboard).
   */
  stale = false;

  constructor(options: DashboardModelOptions) {
    const now = options.now.getTime();
    this.ledger = options.ledger;
    this.#loops = new LoopDetector(undefined, options.loopRepeats);
    this.budgets = new BudgetTracker(options.budgets, options.attributor, options.now);
    this.groups = new GroupTracker(options.attributor);
    this.#rates = new RateMeter(RATE_WINDOW_MS, now);
    this.#spend = new MinuteSeries(60, Math.floor(now / 60_000));
    this.#periods = utcPeriods(now);
  }

  get periods(): { day: PeriodWindow; month: PeriodWindow } {
    return this.#periods;
  }

  /** Today's and this month's spend as the ledger had it at start. */
  seedTotals(today: PeriodTotals, month: PeriodTotals): void {
    this.#today = { ...today };
    this.#month = { ...month };
  }

  /** Marks the provider-months whose money comes from a layer above the metered one (from the seed's pool decisions). */
  seedGoverned(pools: ReadonlyArray<{ provider: string; month: string; authority: string }>): void {
    this.#governed.clear();
    for (const p of pools) if (p.authority !== 'metered') this.#governed.add(`${p.provider}\u0000${p.month}`);
  }

  /**
   * The ledger's last hour of spend per minute (for the spike flag's baseline): request
   * rows only, as `ingest` takes them — an hourly export's bucket is an hour's spend on
   * one minute, not a spike.
   */
  seedSpend(rows: readonly MinuteGroupRow[]): void {
    for (const r of rows) if (r.requestLevel) this.#spend.add(r.minute, Number(r.costTicks));
  }

  /** Which layers each provider has in the ledger's last hour (see GroupTracker). */
  seedLayers(rows: readonly MinuteGroupRow[], now: number): void {
    this.groups.seedLayers(rows, Math.floor(now / 60_000));
  }

  seedGroups(dim: GroupDimension, rows: readonly MinuteGroupRow[], now: number): void {
    this.groups.seed(dim, rows, Math.floor(now / 60_000));
  }

  /** Takes in rows that arrived since the last call (ascending ids). */
  ingest(rows: readonly LiveRow[], now: number): void {
    this.rollTo(now);
    const nowMinute = Math.floor(now / 60_000);
    let requests = 0;
    let tokens = 0;
    let cost = 0n;
    // Indexed: a for…of makes an object per step in top's unoptimised code (row-memo.ts).
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      if (row.id > this.watermark) this.watermark = row.id;
      if (row.chargeCategory !== 'usage') continue;
      const ts = Date.parse(row.ts);
      const ticks = row.costTicks ?? 0n;
      const unpriced = row.costTicks === null ? 1 : 0;
      const minute = Math.floor(ts / 60_000);
      // Only a metered row in a provider-month the metered layer pays for adds its cost
      // as the default basis would; anything else waits for the ledger to be read again.
      // The pool's key is made only when some provider-month is governed: for a ledger the
      // proxy alone writes, none is.
      if (row.provenance !== 'metered') this.#governed.add(poolOf(row));
      if (this.#governed.size > 0 && this.#governed.has(poolOf(row))) this.stale = true;
      else {
        this.#addToPeriods(row, ts, ticks, unpriced);
        this.budgets.add(row, ts);
      }
      this.groups.add(row, minute, nowMinute);
      const loop = this.#loops.observe(row, now);
      if (loop) this.#flags.raise(loop);
      if (row.granularity === 'request') {
        this.#spend.add(Math.min(minute, nowMinute), Number(ticks));
        requests += row.requests;
        tokens += row.inputTokens + row.outputTokens;
        cost += ticks;
      }
    }
    this.feed.add(rows);
    this.#rates.add(now, requests, tokens, cost);
    this.#loops.prune(now);
    const spike = spendSpike(this.#spend.values(nowMinute), nowMinute);
    if (spike) this.#flags.raise(spike);
  }

  #addToPeriods(row: LiveRow, ts: number, ticks: bigint, unpriced: number): void {
    if (ts >= this.#periods.day.start.getTime() && ts < this.#periods.day.end.getTime()) {
      this.#today.costTicks += ticks;
      this.#today.requests += row.requests;
      if (row.requests > 0) this.#today.countedTicks += ticks;
      if (unpriced === 0) this.#today.countedRequests += row.requests;
      this.#today.unpriced += unpriced;
    }
    if (ts >= this.#periods.month.start.getTime() && ts < this.#periods.month.end.getTime()) {
      this.#month.costTicks += ticks;
      this.#month.requests += row.requests;
      if (row.requests > 0) this.#month.countedTicks += ticks;
      if (unpriced === 0) this.#month.countedRequests += row.requests;
      this.#month.unpriced += unpriced;
    }
  }

  /** Moves the periods and budgets to the ones containing `now` (before rows are taken in, or the money is seeded again). */
  rollTo(now: number): void {
    this.#roll(now);
    this.budgets.roll(new Date(now));
  }

  /** A new UTC day (or month) starts the totals again from zero. */
  #roll(now: number): void {
    if (now < this.#periods.day.end.getTime()) return;
    const next = utcPeriods(now);
    this.#today = { costTicks: 0n, requests: 0, countedTicks: 0n, countedRequests: 0, unpriced: 0 };
    if (next.month.start.getTime() !== this.#periods.month.start.getTime()) this.#month = { costTicks: 0n, requests: 0, countedTicks: 0n, countedRequests: 0, unpriced: 0 };
    this.#periods = next;
  }

  snapshot(now: number, view: { groupBy: GroupDimension; filter: string }): DashboardSnapshot {
    this.#roll(now);
    const nowMinute = Math.floor(now / 60_000);
    const rates = this.#rates.rates(now);
    const needle = view.filter.trim().toLowerCase();
    const match = (...values: Array<string | null>) => needle === '' || values.some((v) => v !== null && v.toLowerCase().includes(needle));
    // The feed names each request's group; the filter finds it by that name too (a team a rule set from the api key).
    const feedRow = (r: LiveRow): FeedRow => ({ ...r, group: this.groups.groupOf(r, view.groupBy) });
    const rowMatch = (r: FeedRow) => match(r.model, r.routedFrom, r.provider, r.team, r.feature, r.customer, r.agent, r.trace, r.group);
    return {
      at: now,
      ledger: this.ledger,
      today: { ...this.#today },
      month: { ...this.#month },
      requestsPerSecond: rates.requestsPerSecond,
      tokensPerSecond: rates.tokensPerSecond,
      costPerRequestTicks: this.#today.countedRequests > 0 ? Number(this.#today.countedTicks) / this.#today.countedRequests : null,
      budgets: this.budgets.statuses(new Date(now)),
      groupBy: view.groupBy,
      groups: this.groups.totals(view.groupBy, nowMinute).filter((g) => match(g.name)),
      latest: this.feed.latest().map(feedRow).filter(rowMatch),
      costliest: this.feed.costliest(now).map(feedRow).filter(rowMatch),
      flags: this.#flags.list().filter((f) => match(f.text)),
      loopRepeats: this.#loops.repeats,
      filter: view.filter,
    };
  }
}
