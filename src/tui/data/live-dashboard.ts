/**
 * Drives the dashboard from a ledger that other processes write: seeds the model once
 * from a consistent read snapshot, then on every refresh reads only the rows above the
 * watermark (primary key, bounded batches) and feeds them in. Read-only throughout.
 */
import { statSync } from 'node:fs';
import type { Attributor } from '../../attribution/attributor.js';
import { budgetSpends } from '../../budgets/budget-spend.js';
import { ledgerWide, recordedFrom } from '../../budgets/recorded-until.js';
import { firstUsageAt } from '../../ledger/queries/latest-usage.js';
import type { BudgetConfig } from '../../config/config-schema.js';
import type { LedgerStore } from '../../ledger/ledger-store.js';
import type { Pricer } from '../../pricing/pricer.js';
import { buildReport } from '../../reports/build-report.js';
import { zeroFactSums } from '../../ledger/queries/usage-facts.js';
import { pricedRequests, type MetricSums } from '../../reports/report-metrics.js';
import { InputError } from '../../shared/errors.js';
import { BudgetProjector } from './budget-projector.js';
import { DashboardModel } from './dashboard-model.js';
import type { DashboardSnapshot, PeriodTotals } from './dashboard-snapshot.js';
import type { GroupDimension } from './group-dimensions.js';
import { LiveLedgerReader, type MinuteGroupRow } from './live-ledger-reader.js';

/**
 * Rows read per query. Small on purpose: a batch's rows are alive together (a row read
 * by the driver is ~2 KB until it is converted), and top keeps V8's young generation at
 * 1 MB semi-spaces. A 2,000-row batch outlived the scavenges it caused and was promoted
 * to the old generation, which then grew by ~2 MB a second at 500 requests/s and was
 * collected only when full; batches of 128 die young.
 */
export const BATCH_ROWS = 128;
/** Rows per refresh at most (well past one proxy's rate); a backlog is worked off over several refreshes, never in one big read. */
export const MAX_ROWS_PER_REFRESH = 8192;
const HOUR_MS = 3_600_000;
/**
 * How often at most the money is read whole again when rows arrived that the default
 * basis does not simply add (metered rows under a bill, imported billed rows): a month's
 * rows are read, so not at every refresh.
 */
export const RESEED_MS = 30_000;
/** SQLite page cache of the watching connection, in KiB. */
const CACHE_KIB = 512;

/** What the terminal app needs from a data source (tests pass a fake). */
export interface DashboardSource {
  /** Reads what arrived since the last poll. */
  poll(): Promise<void>;
  /** Makes sure `dim` is tracked (seeds its last hour the first time). */
  track(dim: GroupDimension): Promise<void>;
  snapshot(view: { groupBy: GroupDimension; filter: string }): DashboardSnapshot;
}

export interface LiveDashboardOptions {
  ledger: LedgerStore;
  budgets: readonly BudgetConfig[];
  attributor: Attributor;
  /** The price catalogue, which budget projections price the scopes' histories and scheduled price changes by. */
  pricer: Pricer;
  groupBy: GroupDimension;
  now?: () => number;
  /** Repeats that make an agent loop: anomalies.loop_repeats from llmfin.yaml. */
  loopRepeats?: number | undefined;
}

export class LiveDashboard implements DashboardSource {
  readonly #ledger: LedgerStore;
  readonly #reader: LiveLedgerReader;
  readonly #attributor: Attributor;
  readonly #now: () => number;
  readonly model: DashboardModel;
  readonly #projector: BudgetProjector;
  /** When the money was last read whole from the ledger (ms). */
  #moneyAt = 0;
  /** One read at a time: a seed and a poll must not interleave around the watermark. */
  #queue: Promise<unknown> = Promise.resolve();
  /** The ledger file's identity when opened (undefined for a ledger that is no file). */
  readonly #file: string | undefined;
  /** Imports and re-pricings as last read (LiveLedgerReader.moneyMark). */
  #marks = '';

  private constructor(options: LiveDashboardOptions, now: () => number) {
    this.#ledger = options.ledger;
    this.#reader = new LiveLedgerReader(options.ledger);
    this.#attributor = options.attributor;
    this.#now = now;
    this.#file = fileIdentity(options.ledger.path);
    this.model = new DashboardModel({ ledger: options.ledger.path, budgets: options.budgets, attributor: options.attributor, now: new Date(now()), loopRepeats: options.loopRepeats });
    this.#projector = new BudgetProjector(options.budgets, options.attributor, options.pricer);
  }

  /** Opens the dashboard over `ledger`: reads the seeds, then is ready to poll. */
  static async start(options: LiveDashboardOptions): Promise<LiveDashboard> {
    const now = options.now ?? Date.now;
    const dashboard = new LiveDashboard(options, now);
    await dashboard.#seed(options.groupBy);
    return dashboard;
  }

  #serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(work, work);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async #seed(groupBy: GroupDimension): Promise<void> {
    await this.#reader.limitCache(CACHE_KIB);
    await this.#reader.detectColumns();
    // One read transaction: the watermark and every seed see the same ledger, so a row
    // written meanwhile is counted exactly once (by the first poll). WAL lets the proxy
    // keep writing while it lasts.
    await this.#inReadTransaction(async (store, reader) => {
      const watermark = await reader.maxId();
      this.model.watermark = watermark;
      this.#marks = await reader.moneyMark();
      const now = await this.#seedMoney(store);
      const since = new Date(now - HOUR_MS).toISOString();
      const groupRows = await reader.minuteGroups(this.model.groups.fieldsFor(groupBy), since, watermark);
      this.model.seedLayers(groupRows, now);
      this.model.seedGroups(groupBy, groupRows, now);
      this.model.seedSpend(groupRows);
      await this.#seedFeed(reader, since, watermark);
      await this.#project(store, now);
    });
    await this.#reader.shrinkMemory();
  }

  async #seedFeed(reader: LiveLedgerReader, since: string, watermark: number): Promise<void> {
    this.model.feed.seed(await reader.latest(watermark, 50), await reader.costliestSince(since, watermark, 50));
  }

  /**
   * Today's and this month's spend and each budget's, on the default basis (as `report`
   * and `budget status` count them), and which provider-months a layer above the
   * metered one pays for. Inside a read transaction; returns the moment it counted to.
   */
  async #seedMoney(store: LedgerStore): Promise<number> {
    // A moment a millisecond off midnight: a report over whole days would refresh the
    // rollup (a write), and this connection is read-only.
    let now = this.#now();
    if (now % 86_400_000 === 0) now += 1;
    const at = new Date(now);
    this.model.rollTo(now);
    const { day, month } = this.model.periods;
    const report = await buildReport(store, this.#attributor, { by: ['day'], since: month.start.toISOString(), until: at.toISOString(), basis: 'default', noRollup: true });
    const today = day.start.toISOString().slice(0, 10);
    const todaySums = report.row_sums[report.rows.findIndex((r) => r.day === today)] ?? zeroFactSums();
    this.model.seedTotals(periodTotals(todaySums), periodTotals(report.total_sums));
    this.model.seedGoverned(report.pools);
    const spends = await budgetSpends(store, this.#attributor, this.model.budgets.configs, at);
    this.model.budgets.setRecordedFrom(recordedFrom({ ...ledgerWide(null), first: await firstUsageAt(store) }));
    spends.forEach((spend, i) => this.model.budgets.seed(i, spend.window, spend.spentTicks, spend.unpricedRows));
    this.model.stale = false;
    this.#moneyAt = now;
    return now;
  }

  /**
   * Reads the money again when rows arrived that could not be added one by one (see
   * DashboardModel.stale), at most every RESEED_MS: in one read transaction, the rows not
   * yet taken in go to the feed and groups, then the totals and budgets are read whole.
   */
  async #reseedMoney(): Promise<void> {
    await this.#inReadTransaction(async (store, reader) => {
      await this.#ingestNew(reader, Infinity);
      await this.#seedMoney(store);
    });
  }

  /**
   * After an import, an undo or a re-pricing: rows already taken in may have been replaced,
   * removed or given another cost, so the money, each tracked grouping's last hour and the
   * request feed are all read again, in one read transaction as at start.
   */
  async #reseedAll(): Promise<void> {
    await this.#inReadTransaction(async (store, reader) => {
      await this.#ingestNew(reader, Infinity);
      this.#marks = await reader.moneyMark();
      const now = await this.#seedMoney(store);
      const since = new Date(now - HOUR_MS).toISOString();
      const watermark = this.model.watermark;
      for (const [i, dim] of this.model.groups.trackedDims().entries()) {
        const rows = await reader.minuteGroups(this.model.groups.fieldsFor(dim), since, watermark);
        if (i === 0) this.model.seedLayers(rows, now);
        this.model.seedGroups(dim, rows, now);
      }
      await this.#seedFeed(reader, since, watermark);
      // Days of history may have changed: the projections read them again.
      this.#projector.invalidate();
      await this.#project(store, now);
    });
  }

  /**
   * Computes the budgets' projections again (BudgetProjector), in a read transaction that
   * first takes in the rows not yet taken in (as a refresh does, a backlog over several): the
   * ledger it may read and the live spend are then the same.
   */
  async #reproject(): Promise<void> {
    await this.#inReadTransaction(async (store, reader) => {
      await this.#ingestNew(reader, MAX_ROWS_PER_REFRESH);
      await this.#project(store, this.#now());
    });
  }

  /** The budgets' statuses as `budget status` computes them at `now`, from the live spend or `store` (BudgetProjector). */
  async #project(store: LedgerStore, now: number): Promise<void> {
    this.model.rollTo(now);
    this.model.budgets.project(await this.#projector.compute(store, new Date(now), this.model.budgets.spends()));
  }

  /** Takes in the rows above the watermark, BATCH_ROWS a read, until none are left or about `max` were read. */
  async #ingestNew(reader: LiveLedgerReader, max: number): Promise<void> {
    for (let read = 0; read < max; read += BATCH_ROWS) {
      const rows = await reader.rowsAfter(this.model.watermark, BATCH_ROWS);
      this.model.ingest(rows, this.#now());
      this.#projector.observe(rows);
      if (rows.length < BATCH_ROWS) break;
    }
  }

  /**
   * Runs `work` in one read transaction, with the transaction as a LedgerStore (for the report
   * and budget helpers: read-only, as top is throughout) and a reader of its rows.
   */
  async #inReadTransaction(work: (store: LedgerStore, reader: LiveLedgerReader) => Promise<void>): Promise<void> {
    await this.#ledger.db.transaction().execute(async (trx) => {
      const store: LedgerStore = { path: this.#ledger.path, db: trx, close: () => Promise.resolve(), readOnly: true };
      const reader = new LiveLedgerReader(store);
      await reader.detectColumns();
      await work(store, reader);
    });
  }

  poll(): Promise<void> {
    return this.#serial(async () => {
      // A deleted or replaced ledger stays readable through the open handle, so without this
      // top would go on showing the old file's last figures as live.
      if (this.#file !== undefined && fileIdentity(this.#ledger.path) !== this.#file) {
        throw new InputError(this.#ledger.path, undefined, 'the ledger was deleted or replaced while top was watching it', { hint: 'start llmfin top again to watch the file now at that path' });
      }
      await this.#ingestNew(this.#reader, MAX_ROWS_PER_REFRESH);
      // An import or an undo (a bill, an invoice, a corrected export, a batch taken out) or a
      // re-pricing can change money already counted: read it whole now, not after RESEED_MS —
      // such events are rare, and the user who just ran the command is looking.
      if ((await this.#reader.moneyMark()) !== this.#marks) await this.#reseedAll();
      else if (this.model.stale && this.#now() - this.#moneyAt >= RESEED_MS) await this.#reseedMoney();
      // Budget status's projections: every PROJECTION_MS and at a period's roll-over, never per row.
      const now = this.#now();
      this.model.rollTo(now);
      if (this.#projector.due(now, this.model.budgets.spends().map((s) => s.window))) await this.#reproject();
    });
  }

  track(dim: GroupDimension): Promise<void> {
    return this.#serial(async () => {
      if (this.model.groups.isTracked(dim)) return;
      const now = this.#now();
      const rows: MinuteGroupRow[] = await this.#reader.minuteGroups(this.model.groups.fieldsFor(dim), new Date(now - HOUR_MS).toISOString(), this.model.watermark);
      this.model.seedGroups(dim, rows, now);
    });
  }

  snapshot(view: { groupBy: GroupDimension; filter: string }): DashboardSnapshot {
    return this.model.snapshot(this.#now(), view);
  }
}

/** Device and inode of the file at `path` ("gone" when there is none), or undefined for a ledger that is no file. */
/** A period's totals from a report's exact sums (report-metrics.ts). */
function periodTotals(s: MetricSums): PeriodTotals {
  return { costTicks: s.cost_ticks, requests: s.requests, countedTicks: s.counted_cost_ticks, countedRequests: pricedRequests(s), unpriced: s.unpriced_rows };
}

function fileIdentity(path: string): string | undefined {
  if (path === '' || path === ':memory:') return undefined;
  try {
    const st = statSync(path);
    return `${st.dev}:${st.ino}`;
  } catch {
    return 'gone';
  }
}
