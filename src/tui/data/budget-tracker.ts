/**
 * Live budget state. Each budget's spend in its current period is seeded once from the
 * ledger (budgetSpend: the default basis, exactly what `llmfin budget status` shows),
 * then every new row inside the period that falls in the budget's scope adds its
 * priced cost, or one to its count of unpriced rows (their cost is unknown, as `budget
 * status` warns). When the period rolls over, both start again from zero. Its projection
 * is budget status's, computed now and then (BudgetProjector) and carried forward to the
 * live spend (budget-projection.ts).
 */
import type { Attributor } from '../../attribution/attributor.js';
import { countedAt, periodWindow, type PeriodWindow } from '../../budgets/budget-period.js';
import { CATALOGUE_MODEL } from '../../attribution/recorded-only-dimensions.js';
import { scopeDimension } from '../../budgets/budget-scope.js';
import { dimensionMatches, dimensionsMatching } from '../../reports/dimension-matches.js';
import { budgetStatus } from '../../budgets/budget-status.js';
import type { BudgetConfig } from '../../config/config-schema.js';
import type { LiveBudgetStatus } from './dashboard-snapshot.js';
import { rowIdentifiers, type LiveRow } from './live-row.js';
import { RowMemo } from './row-memo.js';
import type { Identifiers } from '../../attribution/identifiers.js';
import { budgetProjection, carryProjection, type BudgetProjection } from './budget-projection.js';
import type { ComputedStatus, LiveSpend } from './budget-projector.js';

interface Tracked {
  config: BudgetConfig;
  window: PeriodWindow;
  spentTicks: bigint;
  /** Rows in scope and period with no price: not in spentTicks. */
  unpricedRows: number;
  /** Scope as (dimension, value) pairs, decided through the attribution rules. */
  scope: Array<[string, string]>;
  /**
   * Whether a row is in the scope, remembered per distinct value of the identifier fields
   * the scope is decided from (a model's catalogue model included); none for a budget of
   * the whole organisation.
   */
  inScope: RowMemo<boolean> | undefined;
  /** Budget status's projection, as last computed (none before the first computation). */
  projection?: BudgetProjection;
}

export class BudgetTracker {
  readonly #attributor: Attributor;
  readonly #budgets: Tracked[];
  /**
   * Where the ledger's record begins (ms, the UTC day of its first usage), when that is inside
   * a period: the run rate counts time from there, as `budget status` does. Divided by the
   * whole month, a proxy that started recording on the 15th at $12 a day read, on the 20th, as
   * heading for $106.62 rather than $204. (The projection shown is budget status's own; this
   * run rate stands in only from a new period's start until it is computed for it.)
   */
  #recordedFrom: number | undefined;

  constructor(budgets: readonly BudgetConfig[], attributor: Attributor, now: Date) {
    this.#attributor = attributor;
    this.#budgets = budgets.map((config) => {
      const scope = Object.entries(config.scope).map(([k, v]) => [scopeDimension(k), v] as [string, string]);
      const fields = scope.flatMap(([dim, value]) => dimensionsMatching(dim, value).flatMap((d) => attributor.fieldsFor(d)));
      return {
        config,
        window: periodWindow(config.period, now, config.timezone),
        spentTicks: 0n,
        unpricedRows: 0,
        scope,
        inScope: scope.length === 0 ? undefined : new RowMemo(fields, (row) => this.#inScope(scope, rowIdentifiers(row))),
      };
    });
  }

  get configs(): BudgetConfig[] {
    return this.#budgets.map((b) => b.config);
  }

  /** Sets budget `index`'s spend and unpriced rows in `window` (from the ledger at start). */
  seed(index: number, window: PeriodWindow, spentTicks: bigint, unpricedRows = 0): void {
    const b = this.#budgets[index];
    if (!b) return;
    b.window = window;
    b.spentTicks = spentTicks;
    b.unpricedRows = unpricedRows;
  }

  /**
   * Adds a new row to every budget whose scope and period it falls in: a whole-day row on
   * its date in the budget's time zone, as the ledger read that seeded it counts one.
   */
  add(row: LiveRow, tsMs: number): void {
    if (row.chargeCategory !== 'usage') return;
    // Indexed: a for…of makes an object per step in top's unoptimised code (row-memo.ts).
    for (let i = 0; i < this.#budgets.length; i++) {
      const b = this.#budgets[i]!;
      const at = row.granularity === 'request' ? tsMs : countedAt(row.ts, row.granularity, b.config.timezone);
      if (at < b.window.start.getTime() || at >= b.window.end.getTime()) continue;
      if (b.inScope !== undefined && !b.inScope.get(row)) continue;
      if (row.costTicks === null) b.unpricedRows += 1;
      else b.spentTicks += row.costTicks;
    }
  }

  #inScope(scope: ReadonlyArray<[string, string]>, ids: Identifiers): boolean {
    for (const [dim, value] of scope) {
      // A model's catalogue model counts as the model does (reports/dimension-matches.ts).
      const decided = { [dim]: this.#attributor.decide(ids, dim).value ?? undefined, [CATALOGUE_MODEL]: ids.matched_model ?? undefined };
      if (!dimensionMatches(dim, value, decided)) return false;
    }
    return true;
  }

  /** Each budget's spend in its current period, in config order (what BudgetProjector computes from). */
  spends(): LiveSpend[] {
    return this.#budgets.map((b) => ({ window: b.window, spentTicks: b.spentTicks, unpricedRows: b.unpricedRows }));
  }

  /** Takes each budget's status as computed (BudgetProjector.compute, config order): its projection from now on. */
  project(computed: readonly ComputedStatus[]): void {
    computed.forEach((c, i) => {
      const b = this.#budgets[i];
      if (b) b.projection = budgetProjection(c.status, c.spentTicks);
    });
  }

  /** Where the ledger's record begins (recorded-until.ts `recordedFrom`), read with the seed. */
  setRecordedFrom(ms: number | undefined): void {
    this.#recordedFrom = ms;
  }

  /** Moves each budget into the period containing `now` (spend restarts at zero). */
  roll(now: Date): void {
    for (const b of this.#budgets) {
      if (now.getTime() < b.window.end.getTime()) continue;
      b.window = periodWindow(b.config.period, now, b.config.timezone);
      b.spentTicks = 0n;
      b.unpricedRows = 0;
    }
  }

  /** Every budget's status at `now`, in config order, its projection carried to the live spend. */
  statuses(now: Date): LiveBudgetStatus[] {
    this.roll(now);
    return this.#budgets.map((b) => {
      const live = budgetStatus(b.config, b.window, b.spentTicks, now, { recordedFrom: this.#recordedFrom });
      return { ...(b.projection ? carryProjection(live, b.spentTicks, b.projection) : live), unpriced_rows: b.unpricedRows };
    });
  }
}
