/**
 * Spend per group (team, agent, …) over the last hour, minute by minute, for the
 * sparklines. A dimension is tracked from the moment it is first shown: seeded from
 * the ledger's last hour, then kept up to date by every new row. Groups are decided
 * through the attribution rules, like `llmfin report` does.
 *
 * Each provider's hour is counted from one layer, as a report counts each dollar once:
 * the proxy's own rows (metered) when it has any in the hour, else its provider-usage
 * rows, else its billed ones. An hourly usage export imported while the proxy runs holds
 * the same spend as the proxy's rows of that hour; adding both showed every team at
 * twice its spend. The metered layer comes first here, unlike the month's totals (where
 * a bill is the authority), because only it is live and carries the request's attribution.
 */
import type { Attributor } from '../../attribution/attributor.js';
import type { Identifiers } from '../../attribution/identifiers.js';
import { rowIdentifiers, type LiveRow } from './live-row.js';
import { MinuteSeries } from './minute-series.js';
import { RowMemo } from './row-memo.js';
import type { MinuteGroupRow } from './live-ledger-reader.js';
import type { GroupDimension } from './group-dimensions.js';
import { compareText } from '../../shared/compare-text.js';

export const UNATTRIBUTED = '(unattributed)';
export const OTHER = '(other)';
export const HOUR_MINUTES = 60;
/** Past this many groups in one dimension, new ones are summed as (other): memory stays bounded. */
const MAX_GROUPS = 2000;

/** The layers in the order a provider's hour is taken from (see the module comment). */
const LAYER_ORDER: readonly string[] = ['metered', 'provider_usage', 'billed'];

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

/** A group's series, one per provider and layer (`provider\u0000provenance`). */
type GroupLayers = Map<string, GroupSeries>;

export class GroupTracker {
  readonly #attributor: Attributor;
  readonly #dims = new Map<GroupDimension, Map<string, GroupLayers>>();
  /** The tracked dimensions' groups with each one's memo of a row's group, for `add` (the same maps as #dims). */
  #tracked: Array<{ groups: Map<string, GroupLayers>; groupOf: RowMemo<string> }> = [];
  /** Each dimension's group of a row, remembered per distinct value of the fields the rules decide it from. */
  readonly #memos = new Map<GroupDimension, RowMemo<string>>();
  /** Rows per minute of each provider's layers (`provider\u0000provenance`): which layer counts. */
  readonly #layers = new Map<string, MinuteSeries>();
  /** The layer keys made so far, by provider and provenance: made once, not for every row. */
  readonly #layerKeys = new Map<string, Map<string, string>>();

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
    const groups = new Map<string, GroupLayers>();
    this.#dims.set(dim, groups);
    this.#tracked = [...this.#dims].map(([d, g]) => ({ groups: g, groupOf: this.#memo(d) }));
    for (const r of rows) {
      const ids: Identifiers = { ...r.ids };
      this.#add(groups, this.#decide(ids, dim), `${r.provider}\u0000${r.provenance}`, r.minute, Number(r.costTicks), r.requests, r.unpriced, nowMinute);
    }
  }

  /**
   * Which layers each provider has in the ledger's last hour, from a seed's rows (any
   * dimension's: each holds every row of the hour once); `add` keeps it up to date.
   */
  seedLayers(rows: readonly MinuteGroupRow[], nowMinute: number): void {
    this.#layers.clear();
    for (const r of rows) this.#countLayer(`${r.provider}\u0000${r.provenance}`, r.minute, r.rows, nowMinute);
  }

  add(row: LiveRow, minute: number, nowMinute: number): void {
    if (row.chargeCategory !== 'usage') return;
    const cost = row.costTicks === null ? 0 : Number(row.costTicks);
    const unpriced = row.costTicks === null ? 1 : 0;
    const layer = this.#layerOf(row);
    this.#countLayer(layer, minute, 1, nowMinute);
    // Indexed: a for…of makes an object per step in top's unoptimised code (row-memo.ts).
    for (let i = 0; i < this.#tracked.length; i++) {
      const dim = this.#tracked[i]!;
      this.#add(dim.groups, dim.groupOf.get(row), layer, minute, cost, row.requests, unpriced, nowMinute);
    }
  }

  #layerOf(row: LiveRow): string {
    let byProvenance = this.#layerKeys.get(row.provider);
    if (byProvenance === undefined) this.#layerKeys.set(row.provider, (byProvenance = new Map()));
    let layer = byProvenance.get(row.provenance);
    if (layer === undefined) byProvenance.set(row.provenance, (layer = `${row.provider}\u0000${row.provenance}`));
    return layer;
  }

  #countLayer(layer: string, minute: number, rows: number, nowMinute: number): void {
    let series = this.#layers.get(layer);
    if (!series) this.#layers.set(layer, (series = new MinuteSeries(HOUR_MINUTES, nowMinute)));
    series.add(minute, rows);
  }

  /** The provider-layers that count over the last hour: per provider, the first of LAYER_ORDER with rows in it. */
  #countedLayers(nowMinute: number): Set<string> {
    const best = new Map<string, { rank: number; layer: string }>();
    for (const [layer, series] of this.#layers) {
      if (series.total(nowMinute) === 0) {
        this.#layers.delete(layer);
        continue;
      }
      const [provider, provenance] = layer.split('\u0000') as [string, string];
      const rank = LAYER_ORDER.indexOf(provenance) === -1 ? LAYER_ORDER.length : LAYER_ORDER.indexOf(provenance);
      const held = best.get(provider);
      if (held === undefined || rank < held.rank) best.set(provider, { rank, layer });
    }
    return new Set([...best.values()].map((b) => b.layer));
  }

  /**
   * The group of `dim` a row belongs to, decided as the table's groups are (the request feed
   * names it beside each request): a rule that sets the team from the api key names it there too.
   */
  groupOf(row: LiveRow, dim: GroupDimension): string {
    return this.#memo(dim).get(row);
  }

  #memo(dim: GroupDimension): RowMemo<string> {
    let memo = this.#memos.get(dim);
    if (memo === undefined) this.#memos.set(dim, (memo = new RowMemo(this.#attributor.fieldsFor(dim), (row) => this.#decide(rowIdentifiers(row), dim))));
    return memo;
  }

  #decide(ids: Identifiers, dim: GroupDimension): string {
    return this.#attributor.decide(ids, dim).value ?? UNATTRIBUTED;
  }

  #add(groups: Map<string, GroupLayers>, name: string, layer: string, minute: number, cost: number, requests: number, unpriced: number, nowMinute: number): void {
    let layers = groups.get(name);
    if (!layers) {
      if (groups.size >= MAX_GROUPS) return this.#add(groups, OTHER, layer, minute, cost, requests, unpriced, nowMinute);
      layers = new Map();
      groups.set(name, layers);
    }
    let g = layers.get(layer);
    if (!g) {
      g = { cost: new MinuteSeries(HOUR_MINUTES, nowMinute), requests: new MinuteSeries(HOUR_MINUTES, nowMinute) };
      layers.set(layer, g);
    }
    g.cost.add(minute, cost);
    g.requests.add(minute, requests);
    if (unpriced > 0) (g.unpriced ??= new MinuteSeries(HOUR_MINUTES, nowMinute)).add(minute, unpriced);
  }

  /** Groups of `dim` with spend or requests in the last hour, costliest first. */
  totals(dim: GroupDimension, nowMinute: number): GroupTotals[] {
    const groups = this.#dims.get(dim);
    if (!groups) return [];
    const counted = this.#countedLayers(nowMinute);
    const out: GroupTotals[] = [];
    for (const [name, layers] of groups) {
      const perMinute = new Array<number>(HOUR_MINUTES).fill(0);
      let requests = 0;
      let unpricedRows = 0;
      for (const [layer, g] of layers) {
        if (!counted.has(layer)) {
          // Aged out, or a layer another one of its provider stands for this hour.
          if (g.requests.total(nowMinute) === 0 && g.cost.total(nowMinute) === 0 && (g.unpriced?.total(nowMinute) ?? 0) === 0) layers.delete(layer);
          continue;
        }
        g.cost.values(nowMinute).forEach((v, i) => (perMinute[i]! += v));
        requests += g.requests.total(nowMinute);
        unpricedRows += g.unpriced?.total(nowMinute) ?? 0;
      }
      const costTicks = perMinute.reduce((a, b) => a + b, 0);
      if (layers.size === 0) groups.delete(name);
      if (costTicks === 0 && requests === 0 && unpricedRows === 0) continue;
      out.push({ name, perMinute, costTicks, requests, unpricedRows });
    }
    return out.sort((a, b) => b.costTicks - a.costTicks || compareText(a.name, b.name));
  }
}
