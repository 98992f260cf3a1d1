/**
 * Spend per group (team, agent, …) over the last hour, minute by minute, for the
 * sparklines. A dimension is tracked from the moment it is first shown: seeded from
 * the ledger's last hour, then kept up to date by every new row. Groups are decided
 * through the attribution rules, like `llmfin report` does.
 */
import type { Attributor } from '../../attribution/attributor.js';
import type { Identifiers } from '../../attribution/identifiers.js';
import { rowIdentifiers, type LiveRow } from './live-row.js';
import { MinuteSeries } from './minute-series.js';
import type { MinuteGroupRow } from './live-ledger-reader.js';
import type { GroupDimension } from './group-dimensions.js';
import { compareText } from '../../shared/compare-text.js';

export const UNATTRIBUTED = '(unattributed)';
export const OTHER = '(other)';
export const HOUR_MINUTES = 60;
/** Past this many groups in one dimension, new ones are summed as (other): memory stays bounded. */
const MAX_GROUPS = 2000;

interface GroupSeries {
  cost: MinuteSeries;
  requests: MinuteSeries;
  /** Rows without a price, made only when the group first has one (most never do). */
  unpriced?: MinuteSeries;
}

export interface GroupTotals {
  name: string;
  /** Oldest to newest, one value per minute of the last hour, in ticks. */
  perMinute: number[];
  costTicks: number;
  requests: number;
  /** Rows without a price in the hour: their cost is unknown, and not in costTicks. */
  unpricedRows: number;
}

export class GroupTracker {
  readonly #attributor: Attributor;
  readonly #dims = new Map<GroupDimension, Map<string, GroupSeries>>();

  constructor(attributor: Attributor) {
    this.#attributor = attributor;
  }

  /** The identifier fields a dimension is decided from (what to group the seed query by). */
  fieldsFor(dim: GroupDimension): string[] {
    return this.#attributor.fieldsFor(dim);
  }

  isTracked(dim: GroupDimension): boolean {
    return this.#dims.has(dim);
  }

  /** The dimensions tracked so far, the first one shown first. */
  trackedDims(): GroupDimension[] {
    return [...this.#dims.keys()];
  }

  /** Starts tracking `dim` with the ledger's last hour, minute by minute. */
  seed(dim: GroupDimension, rows: readonly MinuteGroupRow[], nowMinute: number): void {
    const groups = new Map<string, GroupSeries>();
    this.#dims.set(dim, groups);
    for (const r of rows) {
      const ids: Identifiers = { ...r.ids };
      this.#add(groups, this.#decide(ids, dim), r.minute, Number(r.costTicks), r.requests, r.unpriced, nowMinute);
    }
  }

  add(row: LiveRow, minute: number, nowMinute: number): void {
    if (row.chargeCategory !== 'usage') return;
    const ids = rowIdentifiers(row);
    const cost = row.costTicks === null ? 0 : Number(row.costTicks);
    const unpriced = row.costTicks === null ? 1 : 0;
    for (const [dim, groups] of this.#dims) this.#add(groups, this.#decide(ids, dim), minute, cost, row.requests, unpriced, nowMinute);
  }

  #decide(ids: Identifiers, dim: GroupDimension): string {
    return this.#attributor.decide(ids, dim).value ?? UNATTRIBUTED;
  }

  #add(groups: Map<string, GroupSeries>, name: string, minute: number, cost: number, requests: number, unpriced: number, nowMinute: number): void {
    let g = groups.get(name);
    if (!g) {
      if (groups.size >= MAX_GROUPS) return this.#add(groups, OTHER, minute, cost, requests, unpriced, nowMinute);
      g = { cost: new MinuteSeries(HOUR_MINUTES, nowMinute), requests: new MinuteSeries(HOUR_MINUTES, nowMinute) };
      groups.set(name, g);
    }
    g.cost.add(minute, cost);
    g.requests.add(minute, requests);
    if (unpriced > 0) (g.unpriced ??= new MinuteSeries(HOUR_MINUTES, nowMinute)).add(minute, unpriced);
  }

  /** Groups of `dim` with spend or requests in the last hour, costliest first. */
  totals(dim: GroupDimension, nowMinute: number): GroupTotals[] {
    const groups = this.#dims.get(dim);
    if (!groups) return [];
    const out: GroupTotals[] = [];
    for (const [name, g] of groups) {
      const perMinute = g.cost.values(nowMinute);
      const requests = g.requests.total(nowMinute);
      const costTicks = perMinute.reduce((a, b) => a + b, 0);
      const unpricedRows = g.unpriced?.total(nowMinute) ?? 0;
      if (costTicks === 0 && requests === 0 && unpricedRows === 0) {
        groups.delete(name);
        continue;
      }
      out.push({ name, perMinute, costTicks, requests, unpricedRows });
    }
    return out.sort((a, b) => b.costTicks - a.costTicks || compareText(a.name, b.name));
  }
}
