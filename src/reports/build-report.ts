/**
 * `llmfin report`: spend grouped by any dimensions, on the default basis (the layer
 * rule) or one layer. The ledger is grouped in SQL by only the identifiers the asked
 * dimensions depend on (through the attribution rules), then attributed, allocated and
 * grouped here — so editing a rule re-attributes all history without a re-import.
 */
import type { Attributor } from '../attribution/attributor.js';
import type { Identifiers } from '../attribution/identifiers.js';
import type { Provenance } from '../ledger/ledger-schema.js';
import type { LedgerStore } from '../ledger/ledger-store.js';
import { refreshRollups } from '../ledger/rollups/refresh-rollups.js';
import {
  addFactSums,
  FACT_COLUMNS,
  foreignInvoices,
  invoicePeriods,
  rollupAnswers,
  usageFacts,
  zeroFactSums,
  type DayStart,
  type Fact,
  type FactColumn,
  type FactQuery,
  type ForeignInvoice,
  type InvoiceUsage,
} from '../ledger/queries/usage-facts.js';
import { applyLayerRule, poolIdentity, poolPartOf, withCost, withIdentity, type AllocatedFact, type PoolDecision } from './layer-rule.js';
import { applyMoves, spanningShares } from './spanning-shares.js';
import { invoiceMeets, invoiceMonths } from './invoice-months.js';
import { isTimeDimension, monthsAround, weekOf } from './report-dimensions.js';
import { dimensionMatches, whereDimensions } from './dimension-matches.js';
import { costPerRequestTicks, rowMetrics, type MetricSums, type RowMetrics } from './report-metrics.js';
import { allocateTicks } from '../shared/allocate-ticks.js';
import { compareText } from '../shared/compare-text.js';
import type { RoutedSaving } from '../ledger/queries/usage-facts.js';
import { addSaving, ROUTING_DIMENSIONS, routedSavings, routingMetrics, withSavings, zeroSaving, type RoutingMetrics } from './routed-savings.js';

export const UNATTRIBUTED = '(unattributed)';
export const OTHER = '(other)';

export type Basis = 'default' | Provenance;
export const SORTS = ['cost', 'requests', 'tokens', 'cost_per_request', 'name'] as const;
export type ReportSort = (typeof SORTS)[number];

export interface ReportQuery {
  by: readonly string[];
  where?: Readonly<Record<string, string>>;
  /** Inclusive start, canonical ISO instant. */
  since?: string;
  /** Exclusive end, canonical ISO instant. */
  until?: string;
  basis: Basis;
  top?: number;
  sort?: ReportSort;
  /** Read the rows instead of the rollup (the benchmark's baseline). */
  noRollup?: boolean;
  /**
   * Where a day starts for a window within days, in ms from UTC midnight (−14 to +12 hours),
   * near `since` and near `until` (usage-facts.ts DayStart): a budget in a time zone judges a
   * bill's day and a whole-day row's date at its own midnight. Default 0 (UTC days).
   */
  dayStart?: DayStart;
}

/** A row's metrics, and what routing saved when the grouping is by routing (`routed_from`, `route_tier`). */
export type ReportMetrics = RowMetrics & Partial<RoutingMetrics>;
export type ReportRow = Record<string, string> & ReportMetrics;

export interface Report {
  basis: Basis;
  since: string | null;
  until: string | null;
  group_by: string[];
  rows: ReportRow[];
  total: ReportMetrics;
  /** How each provider-month was counted (default basis). */
  pools: PoolDecision[];
  /** Whether the daily rollup answered (false: the rows were read). */
  from_rollup: boolean;
  /**
   * The exact sums behind `rows` (same order) and `total`: what their cost per request and
   * per 1M tokens divide (report-metrics.ts), for callers that add rows up. The counted
   * cost is less than the cost when some of the spend comes from exports that report no
   * request count; the tokened cost when some comes from billed exports, which carry no
   * token counts, or a bill's unattributed remainder.
   */
  row_sums: MetricSums[];
  total_sums: MetricSums;
  /** Invoices in another currency in the period (default basis): not counted, since reports are in USD. */
  other_currency_invoices: ForeignInvoice[];
}

export interface Group {
  dims: Record<string, string>;
  sums: MetricSums;
  saving: RoutedSaving;
}

export async function buildReport(ledger: LedgerStore, attributor: Attributor, query: ReportQuery): Promise<Report> {
  const { groups: list, total, pools, fromRollup, otherCurrency, savingsAsked, totalSaving } = await reportGroups(ledger, attributor, query);
  const dims = [...query.by];
  const shares = sharesOf(list, total.cost_ticks);
  return {
    basis: query.basis,
    since: query.since ?? null,
    until: query.until ?? null,
    group_by: dims,
    rows: list.map((g, i) => ({ ...g.dims, ...rowMetrics(g.sums, total.cost_ticks, shares?.[i]), ...(savingsAsked ? routingMetrics(g.saving, g.sums.cost_ticks) : {}) }) as ReportRow),
    total: { ...rowMetrics(total, total.cost_ticks), ...(savingsAsked ? routingMetrics(totalSaving, total.cost_ticks) : {}) },
    pools,
    from_rollup: fromRollup,
    row_sums: list.map((g) => g.sums),
    total_sums: total,
    other_currency_invoices: otherCurrency,
  };
}

/** A report's groups and total as exact sums, before they are written as rows (buildReport). */
export interface ReportGroups {
  /** In the report's order, `top` applied. */
  groups: Group[];
  total: MetricSums;
  pools: PoolDecision[];
  fromRollup: boolean;
  otherCurrency: ForeignInvoice[];
  /** Whether the grouping reads routing (routed_from, route_tier): rows then carry what routing saved. */
  savingsAsked: boolean;
  /** What routing saved over the whole report (zero unless asked). */
  totalSaving: RoutedSaving;
}

/**
 * What buildReport reports, as sums: for callers that add groups up (budgets/scoped-reports.ts)
 * and have no use for each row's money as text and its per-unit figures.
 */
export async function reportGroups(ledger: LedgerStore, attributor: Attributor, query: ReportQuery): Promise<ReportGroups> {
  const where = Object.entries(query.where ?? {});
  const dims = [...query.by];
  // A condition on a model is judged on its catalogue model too (dimension-matches.ts).
  const attributeDims = [...new Set([...dims, ...whereDimensions(query.where ?? {})])].filter((d) => !isTimeDimension(d));
  const columns = new Set(factColumns(attributor, attributeDims));
  // The layer rule decides each provider-month as a whole: a window of whole days that cuts
  // a month reads the whole months, applies the rule, and keeps the window's days, so a
  // day's spend is the same whatever window it is seen through.
  const wide = query.basis === 'default' ? wholeMonths(query.since, query.until) : undefined;
  const range = wide ?? { ...(query.since !== undefined ? { since: query.since } : {}), ...(query.until !== undefined ? { until: query.until } : {}) };
  const subDay = query.basis === 'default' && wide === undefined && !onDayBoundaries(query.since, query.until);
  // The months the layer rule decides, and the invoices' money in them.
  const months = subDay ? monthsAround(range) : range;
  const invoices: InvoiceUsage[] = query.basis === 'default' ? invoiceMonths(await invoicePeriods(ledger, months), months) : [];
  // Invoices in another currency that bill a day of those months: shown, not counted; a
  // report of one provider (--where provider=…) names only that provider's.
  const onlyProvider = query.where?.provider;
  const otherCurrency: ForeignInvoice[] =
    query.basis === 'default' ? (await foreignInvoices(ledger, months)).filter((f) => invoiceMeets(f, months) && (onlyProvider === undefined || f.provider === onlyProvider)) : [];
  const fq: FactQuery = {
    columns: FACT_COLUMNS.filter((c) => columns.has(c)),
    // A day or week in --where needs daily facts as much as one in --by does, and a month
    // an invoice covers only partly is decided day by day.
    grain: wide !== undefined || invoices.some((i) => i.days !== undefined) || [...dims, ...where.map(([d]) => d)].some((d) => d === 'day' || d === 'week') ? 'day' : 'month',
    ...range,
    ...(query.noRollup ? { noRollup: true } : {}),
  };
  const fromRollup = rollupAnswers(fq);
  // A read-only ledger cannot bring the rollup up to date (a write): it reads the rows the
  // rollup has not taken in beside it (usage-facts.ts).
  if (fromRollup && !ledger.readOnly) await refreshRollups(ledger);
  // A month an invoice covers only partly: rows spanning days in both parts share out (spanning-shares.ts).
  const spanShares = query.basis === 'default' && invoices.some((i) => i.days !== undefined) ? await spanningShares(ledger, fq.columns, invoices) : [];
  // A window within a day reads its own rows: it holds the shares placed on days whose start
  // it holds (`dayStart`: their midnight in a budget's time zone), as it holds whole-day rows.
  const dayStartIn = (period: string) => holdsDay(period, query);
  // Grouped by routing: the realised savings of the rewritten rows ride on their facts (routed-savings.ts).
  const savingsAsked = dims.some((d) => ROUTING_DIMENSIONS.includes(d));
  const savings = savingsAsked ? await routedSavings(ledger, fq) : new Map<string, RoutedSaving>();
  // A zone's window holds a whole-day row when it holds that date's midnight there (usage-facts.ts DayStart).
  const windowQuery: FactQuery = subDay && query.dayStart !== undefined ? { ...fq, dayStart: query.dayStart } : fq;
  const facts = withSavings(applyMoves((await usageFacts(ledger, windowQuery)).filter((f) => f.charge_category === 'usage'), spanShares, subDay ? dayStartIn : undefined), savings);

  let allocated: AllocatedFact[];
  let pools: PoolDecision[] = [];
  // Whether a fact's UTC day (a month's: its first day) is in the window, judged at that
  // day's start: its UTC midnight, or (`zoned`) its midnight in a budget's time zone.
  const inWindow = (f: AllocatedFact, zoned = false) => holdsDay(f.period.length === 7 ? `${f.period}-01` : f.period, query, zoned);
  if (subDay) {
    // A window that starts or ends within a day: the layer rule still decides each
    // provider-month as a whole; the window keeps the attributing layer's rows inside it
    // (scaled as the month's are) and a bill's unattributed money where the rule places
    // it (an invoice's on its month's first day, a billed export's on its own days) when
    // it holds that day's start: 00:00 UTC, or a budget's midnight in its time zone
    // (`dayStart`). So a half day never takes a month's invoice, a day so far (midnight to
    // now) takes today's bill, and a budget month in New York (from 04:00 UTC) takes
    // October's invoice and not November's. Whole-day rows follow the same rule (the
    // window's facts are read with `dayStart`).
    // Read from the rows, as the window is: a rollup refresh is a write, and budget checks
    // call this inside a read transaction.
    const monthQuery: FactQuery = { ...fq, grain: 'day', ...months, noRollup: true };
    const monthFacts = applyMoves((await usageFacts(ledger, monthQuery)).filter((f) => f.charge_category === 'usage'), spanShares);
    const decided = applyLayerRule(monthFacts, invoices);
    pools = decided.pools;
    allocated = [...windowShare(facts, monthFacts, decided.facts, poolPartOf(invoices)), ...decided.facts.filter((f) => f.unattributed && inWindow(f, true))];
  } else if (query.basis === 'default') {
    ({ facts: allocated, pools } = applyLayerRule(facts, invoices));
    if (wide !== undefined) allocated = allocated.filter((f) => inWindow(f));
  } else {
    allocated = facts.filter((f) => f.provenance === query.basis).map((f) => ({ ...f, unattributed: false }));
  }

  const memo = new Map<string, Record<string, string>>();
  const dimsOf = (f: AllocatedFact): Record<string, string> => {
    const key = `${f.unattributed ? 1 : 0}${JSON.stringify(f.ids)}`;
    let out = memo.get(key);
    if (!out) {
      out = {};
      const ids = f.ids as Identifiers;
      for (const d of attributeDims) {
        if (f.unattributed) {
          // A pool's remainder: no finer row says whose it is, but what all of the pool's
          // money records (its account…, layer-rule.ts poolIdentity) is its own; no rule applies.
          const decision = d === 'provider' ? undefined : attributor.decide(ids, d);
          // A tier the pool's money does not record is not the standard tier's: unattributed too.
          out[d] = d === 'provider' ? (ids.provider ?? UNATTRIBUTED) : decision?.by === 'recorded' && decision.absent !== true ? decision.value : UNATTRIBUTED;
        } else out[d] = attributor.value(ids, d) ?? UNATTRIBUTED;
      }
      memo.set(key, out);
    }
    return out;
  };

  const groups = new Map<string, Group>();
  const total = zeroFactSums();
  const totalSaving = zeroSaving();
  for (const f of allocated) {
    const attributed = dimsOf(f);
    if (where.some(([d, v]) => (isTimeDimension(d) ? timeValue(d, f.period) !== v : !dimensionMatches(d, v, attributed)))) continue;
    const values: Record<string, string> = {};
    for (const d of dims) values[d] = isTimeDimension(d) ? timeValue(d, f.period) : attributed[d]!;
    const key = dims.map((d) => values[d]).join('\u0000');
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { dims: values, sums: zeroFactSums(), saving: zeroSaving() }));
    addFactSums(g.sums, f);
    addFactSums(total, f);
    if (f.routing !== undefined && !f.unattributed) {
      addSaving(g.saving, f.routing);
      addSaving(totalSaving, f.routing);
    }
  }

  let list = [...groups.values()].filter((g) => g.sums.rows > 0 || g.sums.cost_ticks !== 0n);
  const sort = query.sort ?? 'cost';
  const largestFirst = bySize(sort === 'name' ? 'cost' : sort, dims);
  // Time-bucketed reports read best in time order within each group.
  const inNameOrder = sort === 'name' || (dims.length > 0 && dims.every((d) => isTimeDimension(d)));
  list.sort(inNameOrder ? byName(dims) : largestFirst);
  if (query.top !== undefined && list.length > query.top) {
    // The N largest by the sort's measure (by cost when sorted by name, or when time
    // buckets are listed in time order), shown in the report's order.
    const largest = new Set((inNameOrder ? [...list].sort(largestFirst) : list).slice(0, query.top));
    const other: Group = { dims: Object.fromEntries(dims.map((d) => [d, OTHER])), sums: zeroFactSums(), saving: zeroSaving() };
    for (const g of list) {
      if (largest.has(g)) continue;
      addFactSums(other.sums, g.sums);
      addSaving(other.saving, g.saving);
    }
    list = [...list.filter((g) => largest.has(g)), other];
  }
  return { groups: list, total, pools, fromRollup, otherCurrency, savingsAsked, totalSaving };
}

/**
 * The ledger columns a report reads to decide `dims` (with `provider`, which the layer rule
 * needs), in FACT_COLUMNS order. Two reports that read the same columns over the same
 * window read the same facts, so the layer rule splits a bill over the same rows in both:
 * one grouped by a dimension answers the other's `where` on it to the tick
 * (budgets/scoped-reports.ts).
 */
export function factColumns(attributor: Attributor, dims: readonly string[]): FactColumn[] {
  const columns = new Set<FactColumn>(['provider']);
  for (const d of dims) {
    if (isTimeDimension(d)) continue;
    for (const f of attributor.fieldsFor(d)) columns.add(f.startsWith('tags.') ? 'tags' : (f as FactColumn));
  }
  return FACT_COLUMNS.filter((c) => columns.has(c));
}

/**
 * Whether a window holds the start of `day` (YYYY-MM-DD): its UTC midnight, or (`zoned`)
 * its midnight in the time zone of the query's `dayStart`, judged with the zone's offset
 * near each end of the window.
 */
function holdsDay(day: string, query: Pick<ReportQuery, 'since' | 'until' | 'dayStart'>, zoned = true): boolean {
  const at = Date.parse(`${day}T00:00:00.000Z`);
  const shift = zoned ? query.dayStart : undefined;
  return (query.since === undefined || at + (shift?.since ?? 0) >= Date.parse(query.since)) && (query.until === undefined || at + (shift?.until ?? 0) < Date.parse(query.until));
}

const onDayBoundaries = (since: string | undefined, until: string | undefined) =>
  (since === undefined || since.endsWith('T00:00:00.000Z')) && (until === undefined || until.endsWith('T00:00:00.000Z'));

/**
 * The attributed money of a window within days: for each provider-month (or each part of
 * a month an invoice covers only partly), the rows inside the window of the layer that
 * attributed the whole month or part (`allocated`, the layer rule's result over
 * `monthFacts`), scaled by the same ratio as the month's when the bill was split over
 * more than it (exact to the tick within the window).
 */
function windowShare(windowFacts: readonly Fact[], monthFacts: readonly Fact[], allocated: readonly AllocatedFact[], partOf: (provider: string, period: string) => string): AllocatedFact[] {
  const key = (f: Fact) => partOf(f.ids.provider ?? '', f.period);
  // Per provider-month (or the part of it an invoice covers, and the rest): the
  // attributing layer, what it priced, and what the rule gave it.
  const months = new Map<string, { layer: Provenance; given: bigint; priced: bigint }>();
  for (const f of allocated) {
    if (f.unattributed) continue;
    const m = months.get(key(f)) ?? { layer: f.provenance, given: 0n, priced: 0n };
    m.given += f.cost_ticks;
    months.set(key(f), m);
  }
  for (const f of monthFacts) {
    const m = months.get(key(f));
    if (m !== undefined && f.provenance === m.layer) m.priced += f.cost_ticks;
  }
  // What all of each part's money records, as the rule gave its rows (layer-rule.ts).
  const parts = new Map<string, Fact[]>();
  for (const f of monthFacts) {
    const list = parts.get(key(f)) ?? [];
    list.push(f);
    parts.set(key(f), list);
  }
  const identities = new Map([...parts].map(([k, list]) => [k, poolIdentity(list)]));
  const kept = new Map<string, Fact[]>();
  for (const f of windowFacts) {
    const m = months.get(key(f));
    if (m === undefined || f.provenance !== m.layer) continue;
    const list = kept.get(key(f)) ?? [];
    list.push(withIdentity(f, identities.get(key(f)) ?? {}));
    kept.set(key(f), list);
  }
  const out: AllocatedFact[] = [];
  for (const [k, list] of kept) {
    const m = months.get(k)!;
    if (m.given === m.priced || m.priced === 0n) {
      for (const f of list) out.push({ ...f, unattributed: false });
      continue;
    }
    const own = list.reduce((a, f) => a + f.cost_ticks, 0n);
    const parts = allocateTicks((own * m.given) / m.priced, list.map((f) => f.cost_ticks));
    list.forEach((f, i) => out.push({ ...withCost(f, parts[i]!), unattributed: false }));
  }
  return out;
}

/**
 * The whole months around a window of whole UTC days that cuts a month, or undefined when
 * the window already is whole months (or is open) or does not fall on day boundaries
 * (a window within a day is read as given). The default basis decides each provider-month
 * over this window, in a report and in an export alike.
 */
export function wholeMonths(since: string | undefined, until: string | undefined): { since?: string; until?: string } | undefined {
  if (!onDayBoundaries(since, until)) return undefined;
  const wide = monthsAround({ since, until });
  return wide.since === since && wide.until === until ? undefined : wide;
}

/**
 * Shares in millionths that add up to exactly 1 (largest remainder), so the rows' shares
 * sum to the total's. Refunds (a negative group) keep each row's own truncated ratio.
 */
function sharesOf(groups: readonly Group[], totalTicks: bigint): number[] | undefined {
  if (totalTicks <= 0n || groups.some((g) => g.sums.cost_ticks < 0n)) return undefined;
  return allocateTicks(SHARE_UNITS, groups.map((g) => g.sums.cost_ticks)).map((p) => Number(p) / Number(SHARE_UNITS));
}

const SHARE_UNITS = 1_000_000n;

function timeValue(d: string, period: string): string {
  if (d === 'month') return period.slice(0, 7);
  // A month's fact (an invoice's money when no row gave the ledger a day) is of its first day.
  const day = period.length === 10 ? period : `${period}-01`;
  return d === 'week' ? weekOf(day) : day;
}

function byName(dims: readonly string[]): (a: Group, b: Group) => number {
  return (a, b) => {
    for (const d of dims) {
      const c = compareText(a.dims[d] ?? '', b.dims[d] ?? '');
      if (c !== 0) return c;
    }
    return 0;
  };
}

/** Largest first by the sort's measure, ties by name. */
function bySize(sort: Exclude<ReportSort, 'name'>, dims: readonly string[]): (a: Group, b: Group) => number {
  const value = (g: Group): number | bigint => {
    if (sort === 'requests') return g.sums.requests;
    if (sort === 'tokens') return g.sums.input_tokens + g.sums.output_tokens;
    if (sort === 'cost_per_request') return costPerRequestTicks(g.sums) ?? -Infinity;
    return g.sums.cost_ticks;
  };
  const names = byName(dims);
  return (a, b) => {
    const va = value(a);
    const vb = value(b);
    if (va !== vb) return vb > va ? 1 : -1;
    return names(a, b);
  };
}
