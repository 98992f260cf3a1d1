/**
 * Computes each budget's status as `llmfin budget status` does (forecast/budget-trajectory.ts:
 * the scope's history forecast, scheduled price changes, a new scope's start, lagging
 * providers, hourly exports), for `top`: at start, then every PROJECTION_MS and at a period's
 * roll-over — never row by row (budget-projection.ts carries it forward in between).
 *
 * What budget status reads (budgetInputs: where the ledger's usage stops, each period's
 * spend, each scope's twelve weeks of history) is read again only when it may have changed
 * otherwise than by the spend `top` adds row by row: on a new UTC day or a budget's new
 * period, after an import, an undo or a re-pricing (invalidate), and after a row that may
 * move where the ledger's record stops or change a day of history — any usage row but a
 * request of today from a provider whose record already ends today with requests. Otherwise
 * the statuses are computed again (budgetStatusesFrom) from that record and those histories
 * with the live spend, which is budgetSpends' to the tick (budget-tracker.ts). Within a UTC
 * day, a later request of a provider current today moves no recorded-until (recorded-until.ts:
 * a record of today stops at the moment judged), and today's rows are in no history (whole
 * days before today): the statuses are those of a fresh read. A read costs the period's rows
 * (at 500 requests/s, 1.8M of them an hour into a daily budget), the histories' twelve weeks
 * of rollup and the ledger's first and latest usage: 0.17–0.19 s on the demo's and bench:top's
 * ledgers, 0.56 s on a ledger of 1M rows; the computation alone, 1–40 ms. It runs on the UI
 * thread (better-sqlite3 reads synchronously), so it is kept to those moments.
 */
import type { Attributor } from '../../attribution/attributor.js';
import type { PeriodWindow } from '../../budgets/budget-period.js';
import type { BudgetStatus } from '../../budgets/budget-status.js';
import { endsWithHour, endsWithWholeDay, providerLatest, STOPPED_AFTER_MS, type LedgerRecord } from '../../budgets/recorded-until.js';
import type { BudgetConfig } from '../../config/config-schema.js';
import { budgetInputs, budgetStatusesFrom, type BudgetInputs } from '../../forecast/budget-trajectory.js';
import type { LedgerStore } from '../../ledger/ledger-store.js';
import type { Pricer } from '../../pricing/pricer.js';
import type { LiveRow } from './live-row.js';

/** How often the projections are computed again (ms), besides a period's roll-over. */
export const PROJECTION_MS = 60_000;
/**
 * How soon after the last read a row that may move the record (see the class doc) has the
 * ledger read again: at once, but no more often than this. A provider's first request of the
 * day changes its record from days behind to current, and with it the days a projection
 * forecasts; the rows of the minutes before midnight that a proxy flushes after it come in
 * several batches, each of them such a row.
 */
export const MOVED_READ_MS = 10_000;
const DAY_MS = 86_400_000;

/** A budget's live spend in its current period (BudgetTracker.spends). */
export interface LiveSpend {
  window: PeriodWindow;
  spentTicks: bigint;
  unpricedRows: number;
}

/** A budget's status as computed, with the spend it was computed from. */
export interface ComputedStatus {
  status: BudgetStatus;
  spentTicks: bigint;
}

/** What a read stands on: its UTC day and the budgets' periods. */
const readKey = (now: number, windows: readonly PeriodWindow[]) => `${Math.floor(now / DAY_MS)}|${windows.map((w) => w.start.getTime()).join(',')}`;

export class BudgetProjector {
  readonly #budgets: readonly BudgetConfig[];
  readonly #attributor: Attributor;
  readonly #pricer: Pricer;
  /** The last read, and what it stands on (readKey). */
  #inputs: BudgetInputs | undefined;
  #key = '';
  /** When the statuses were last computed, and when from a read (ms). */
  #at = -Infinity;
  #readAt = -Infinity;
  /** Today's bounds (ISO) as of the last read, and the providers whose record ends in it with requests (see the class doc). */
  #today = { from: '', to: '' };
  #current = new Set<string>();
  #ledgerCurrent = false;
  /** A row arrived since the last read that the read may not hold. */
  #moved = false;
  /** The latest usage row seen since the last read (ISO). */
  #latestSeen = '';

  constructor(budgets: readonly BudgetConfig[], attributor: Attributor, pricer: Pricer) {
    this.#budgets = budgets;
    this.#attributor = attributor;
    this.#pricer = pricer;
  }

  /** Rows taken in since the last call: notes whether any may move what the last read holds. */
  observe(rows: readonly LiveRow[]): void {
    const { from, to } = this.#today;
    // Indexed: a for…of makes an object per step in top's unoptimised code (row-memo.ts).
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      if (row.chargeCategory !== 'usage') continue;
      if (row.ts > this.#latestSeen) this.#latestSeen = row.ts;
      if (row.granularity !== 'request' || row.ts < from || row.ts >= to || !this.#ledgerCurrent || !this.#current.has(row.provider)) this.#moved = true;
    }
  }

  /** The ledger's rows were replaced, removed or re-priced (an import, an undo, a re-pricing): the next computation reads again. */
  invalidate(): void {
    this.#inputs = undefined;
  }

  /**
   * Whether the statuses are due at `now`: PROJECTION_MS since the last computation, a new day
   * or a budget's new period, or a row that may move the record (MOVED_READ_MS after the last read).
   */
  due(now: number, windows: readonly PeriodWindow[]): boolean {
    if (this.#inputs === undefined || readKey(now, windows) !== this.#key || now - this.#at >= PROJECTION_MS) return true;
    return this.#moved && now - this.#readAt >= MOVED_READ_MS;
  }

  /**
   * Every budget's status at `now` (in config order), from `live` (each budget's spend, as
   * BudgetTracker.spends gives it) or, when a read is needed (see the class doc), from what
   * `ledger` holds — read inside the transaction that took in its rows, so that both are the same.
   */
  async compute(ledger: LedgerStore, now: Date, live: readonly LiveSpend[]): Promise<ComputedStatus[]> {
    const windows = live.map((s) => s.window);
    const last = this.#inputs;
    const inputs =
      last === undefined || readKey(now.getTime(), windows) !== this.#key || this.#moved || this.#stopsMoved(last.record)
        ? await this.read(ledger, now, windows)
        : // Lagging providers' spend is only ever changed by an import (a read again): the rest is live.
          { ...last, spends: live.map((s, i) => ({ ...s, ...(last.spends[i]!.byProvider !== undefined ? { byProvider: last.spends[i]!.byProvider } : {}) })) };
    this.#at = now.getTime();
    const { rows } = budgetStatusesFrom(inputs, this.#budgets, this.#pricer, now);
    const byName = new Map(rows.map((s) => [s.name, s]));
    return this.#budgets.map((b, i) => ({ status: byName.get(b.name)!, spentTicks: inputs.spends[i]!.spentTicks }));
  }

  /**
   * Reads what budget status reads at `now` (budgetInputs), for the budgets' periods
   * `windows`, and keeps it for the computations to come.
   */
  async read(ledger: LedgerStore, now: Date, windows: readonly PeriodWindow[]): Promise<BudgetInputs> {
    const inputs = await budgetInputs(ledger, this.#attributor, this.#pricer, this.#budgets, now);
    this.#inputs = inputs;
    this.#key = readKey(now.getTime(), windows);
    this.#readAt = now.getTime();
    this.#moved = false;
    this.#latestSeen = inputs.record.latest ?? '';
    const today = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
    this.#today = { from: new Date(today).toISOString(), to: new Date(today + DAY_MS).toISOString() };
    const r = inputs.record;
    const endsToday = (latest: string | null) => latest !== null && latest >= this.#today.from;
    this.#ledgerCurrent = endsToday(r.latest) && !endsWithWholeDay(r) && !endsWithHour(r);
    this.#current = new Set([...r.byProvider.keys()].filter((p) => providerLatest(r, p) === r.byProvider.get(p) && endsToday(r.byProvider.get(p)!) && !endsWithWholeDay(r, p) && !endsWithHour(r, p)));
    return inputs;
  }

  /**
   * Whether the ledger's latest usage, moved to the latest row seen, would take a provider
   * past STOPPED_AFTER_MS behind it (or back): the record then judges it by the ledger's
   * latest usage, not its own (recorded-until.ts providerLatest).
   */
  #stopsMoved(record: LedgerRecord): boolean {
    if (record.latest === null || this.#latestSeen <= record.latest) return false;
    const before = Date.parse(record.latest);
    const after = Date.parse(this.#latestSeen);
    for (const own of record.byProvider.values()) {
      const t = Date.parse(own);
      if (before - t > STOPPED_AFTER_MS !== after - t > STOPPED_AFTER_MS) return true;
    }
    return false;
  }
}
