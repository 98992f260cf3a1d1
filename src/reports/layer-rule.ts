/**
 * The default basis: no dollar counted twice across layers (PRODUCT.md, Ledger).
 *
 * For each provider and month (a "pool"):
 * 1. The money comes from the most authoritative layer present: invoices (their usage
 *    lines), else billed exports, else provider usage, else metered rows.
 * 2. It is attributed by the finest layer below it that priced anything in the pool
 *    (metered rows carry feature, customer and agent). Each of that layer's groups keeps
 *    its priced cost when the layer covers less than the total; when it prices more
 *    than the bill (discounts, credits), the total is split in proportion.
 * 3. What the finer layer does not cover stays `(unattributed)`, spread over the
 *    authoritative layer's own days. Without a finer layer, the authoritative layer's
 *    own identifiers (CUR tags, workspaces…) attribute it.
 * An invoice counts for the days of its period only (invoice-months.ts): one whose period
 * is not the calendar month (Oct 15 – Nov 14) gives each month a share in proportion to
 * the days it covers there, and a month it covers only partly is decided in two parts:
 * the invoice's days (the invoice share is the money, attributed by the finer layers'
 * rows on those days, its remainder on its first day) and the other days (decided from
 * their own rows as above). A calendar-month invoice covers its month whole.
 * Every split is exact to the tick (allocateTicks).
 */
import type { Provenance } from '../ledger/ledger-schema.js';
import { PROVENANCES } from '../ledger/ledger-schema.js';
import type { Fact, InvoiceUsage } from '../ledger/queries/usage-facts.js';
import { zeroFactSums } from '../ledger/queries/usage-facts.js';
import { allocateTicks } from '../shared/allocate-ticks.js';
import { monthDays } from './invoice-months.js';

/** A fact with the money the layer rule gave it; `unattributed` marks a pool's remainder. */
export interface AllocatedFact extends Fact {
  unattributed: boolean;
}

export type Authority = 'invoice' | Provenance;

/** How one provider-month was counted, for `report --explain` and `reconcile`. */
export interface PoolDecision {
  provider: string;
  month: string;
  authority: Authority;
  authority_ticks: bigint;
  attributed_by: Provenance | null;
  /** What the attributing layer priced in the pool. */
  attributing_ticks: bigint;
  unattributed_ticks: bigint;
  /**
   * The days of the month this decision covers, when not the whole month: the days an
   * invoice whose period is not the calendar month covers, or the month's other days.
   */
  days?: { count: number; of: number; spans: { from: string; to: string }[] };
  /**
   * What every dollar of the pool records (poolIdentity), among the columns the report
   * reads, when the attributing rows take it: `{ account: '…' }` for a one-account bill.
   */
  shared?: Fact['ids'];
}

const sumTicks = (facts: readonly Fact[]) => facts.reduce((a, f) => a + f.cost_ticks, 0n);

/**
 * The identifiers every dollar of a pool shares: the columns (other than provider) that
 * all the rows of its most authoritative ledger layer record with one and the same value
 * — a bill from one account, a cost export of one workspace. Every part of the pool's
 * money has them, so the finer layer's rows that record none (the proxy knows no billing
 * account) and the pool's unattributed remainder take them: `report --by account` puts
 * proxy traffic under the account that paid for it. A column the bill records with two
 * values, or not on every row, is shared by nothing and decided by each row as before.
 */
export function poolIdentity(facts: readonly Fact[]): Fact['ids'] {
  const layer = moneyLayer((p) => facts.some((f) => f.provenance === p));
  return sharedIds(facts.filter((f) => f.provenance === layer));
}

/** The identifiers (other than provider) that every one of `billing` records with one and the same value. */
function sharedIds(billing: readonly Fact[]): Fact['ids'] {
  const shared: Fact['ids'] = {};
  const first = billing[0];
  if (first === undefined) return shared;
  for (const [column, value] of Object.entries(first.ids) as [keyof Fact['ids'], string | null | undefined][]) {
    if (column === 'provider' || value === null || value === undefined) continue;
    if (billing.every((f) => f.ids[column] === value)) shared[column] = value;
  }
  return shared;
}

/** `f` with each identifier it does not record taken from `shared` (poolIdentity). */
export function withIdentity<T extends Fact>(f: T, shared: Fact['ids']): T {
  let ids: Fact['ids'] | undefined;
  for (const [column, value] of Object.entries(shared) as [keyof Fact['ids'], string][]) {
    if (f.ids[column] === null || f.ids[column] === undefined) (ids ??= { ...f.ids })[column] = value;
  }
  return ids === undefined ? f : { ...f, ids };
}

/** `part` of `cost` scaled to `ticks`: all of it stays all of it, none stays none. */
function scaledPart(part: bigint, cost: bigint, ticks: bigint): bigint {
  if (part === cost) return ticks;
  if (part === 0n || cost === 0n) return 0n;
  return (part * ticks) / cost;
}

/**
 * `f` with the money an allocation gave it: the parts of it on rows that count their
 * requests and on rows that count their tokens keep their proportions, so a group whose
 * rows all count them keeps counting all of its money (a bill split over metered rows
 * leaves their cost per request and per 1M tokens as it splits their cost), and one that
 * counts none still counts none.
 */
export function withCost<T extends Fact>(f: T, ticks: bigint): T {
  return {
    ...f,
    cost_ticks: ticks,
    counted_cost_ticks: scaledPart(f.counted_cost_ticks, f.cost_ticks, ticks),
    tokened_cost_ticks: scaledPart(f.tokened_cost_ticks, f.cost_ticks, ticks),
  };
}

/**
 * The layer of ledger rows a provider-month's money comes from on the default basis: the
 * most authoritative one present (billed > provider_usage > metered). An invoice, where
 * the month has one, stands above them all, but it is not a ledger row.
 */
export function moneyLayer(present: (layer: Provenance) => boolean): Provenance | undefined {
  return PROVENANCES.find(present);
}

/** A provider-month's key, "provider YYYY-MM", from a row's or fact's time (ISO, or a period). */
export function providerMonth(provider: string, time: string): string {
  return `${provider} ${time.slice(0, 7)}`;
}

/**
 * The money layer of each provider-month in `facts` (usage facts of every layer), keyed
 * by providerMonth: what `llmfin export` writes on the default basis.
 */
export function moneyLayers(facts: readonly Fact[]): Map<string, Provenance> {
  const present = new Map<string, Set<Provenance>>();
  for (const f of facts) {
    const key = providerMonth(f.ids.provider ?? '', f.period);
    let layers = present.get(key);
    if (layers === undefined) present.set(key, (layers = new Set()));
    layers.add(f.provenance);
  }
  return new Map([...present].map(([key, layers]) => [key, moneyLayer((p) => layers.has(p))!]));
}

/**
 * The key of the part of a provider-month a fact is decided in: an invoice that covers
 * only some days of a month (its period is not the calendar month) is the authority for
 * those days, and the month's other days are decided on their own.
 */
export function poolPartOf(invoices: readonly InvoiceUsage[]): (provider: string, period: string) => string {
  const covered = new Map<string, Set<string>>();
  for (const inv of invoices) if (inv.days !== undefined) covered.set(`${inv.provider}\u0000${inv.month}`, new Set(inv.days));
  return (provider, period) => {
    const key = `${provider}\u0000${period.slice(0, 7)}`;
    const days = covered.get(key);
    return days === undefined ? key : `${key}\u0000${days.has(period) ? 'invoiced' : 'rest'}`;
  };
}

type Layers = Record<Provenance, Fact[]>;

/** `facts` are usage facts (charge category usage) of every layer; see the module comment. */
export function applyLayerRule(facts: readonly Fact[], invoices: readonly InvoiceUsage[]): { facts: AllocatedFact[]; pools: PoolDecision[] } {
  const pools = new Map<string, { provider: string; month: string; layers: Layers }>();
  const pool = (provider: string, month: string) => {
    const key = `${provider}\u0000${month}`;
    let p = pools.get(key);
    if (!p) pools.set(key, (p = { provider, month, layers: { billed: [], provider_usage: [], metered: [] } }));
    return p;
  };
  for (const f of facts) pool(f.ids.provider ?? '', f.period.slice(0, 7)).layers[f.provenance].push(f);
  const invoiced = new Map<string, InvoiceUsage>();
  for (const inv of invoices) {
    pool(inv.provider, inv.month);
    invoiced.set(`${inv.provider}\u0000${inv.month}`, inv);
  }

  const out: AllocatedFact[] = [];
  const decisions: PoolDecision[] = [];
  const grainIsDay = facts.some((f) => f.period.length === 10);
  for (const [key, { provider, month, layers }] of pools) {
    const inv = invoiced.get(key);
    if (inv?.days === undefined) {
      decide({ provider, month, layers, invoiceTicks: inv?.usage_ticks, remainderAt: grainIsDay ? `${month}-01` : month }, out, decisions);
      continue;
    }
    // The invoice covers some days of the month: it is the money of those days, and the
    // month's other days keep their own layers' money.
    const covered = new Set(inv.days);
    const invoicedLayers: Layers = { billed: [], provider_usage: [], metered: [] };
    const restLayers: Layers = { billed: [], provider_usage: [], metered: [] };
    for (const p of PROVENANCES) {
      for (const f of layers[p]) {
        if (f.period.length !== 10) throw new Error(`layer rule: ${provider} ${month} is partly invoiced and needs daily facts, got ${f.period}`);
        (covered.has(f.period) ? invoicedLayers : restLayers)[p].push(f);
      }
    }
    const all = monthDays(month);
    const rest = all.filter((d) => !covered.has(d));
    decide({ provider, month, layers: invoicedLayers, invoiceTicks: inv.usage_ticks, remainderAt: inv.days[0]!, days: daySpans(inv.days, all.length) }, out, decisions);
    if (PROVENANCES.some((p) => restLayers[p].length > 0)) decide({ provider, month, layers: restLayers, invoiceTicks: undefined, remainderAt: rest[0]!, days: daySpans(rest, all.length) }, out, decisions);
  }
  return { facts: out, pools: decisions };
}

/** Consecutive days as spans. */
function daySpans(days: readonly string[], of: number): NonNullable<PoolDecision['days']> {
  const spans: { from: string; to: string }[] = [];
  for (const d of days) {
    const last = spans[spans.length - 1];
    if (last !== undefined && Date.parse(`${d}T00:00:00.000Z`) - Date.parse(`${last.to}T00:00:00.000Z`) === 86_400_000) last.to = d;
    else spans.push({ from: d, to: d });
  }
  return { count: days.length, of, spans };
}

/**
 * Decides one pool (a provider-month, or the part of it an invoice covers or does not):
 * pushes its allocated facts to `out` and its decision to `decisions`. `remainderAt` is
 * the period an invoice's unattributed money is put on.
 */
function decide(
  pool: { provider: string; month: string; layers: Layers; invoiceTicks: bigint | undefined; remainderAt: string; days?: PoolDecision['days'] },
  out: AllocatedFact[],
  decisions: PoolDecision[],
): void {
  const { provider, month, layers, invoiceTicks, remainderAt } = pool;
  const authority: Authority = invoiceTicks !== undefined ? 'invoice' : moneyLayer((p) => layers[p].length > 0)!;
  const authorityFacts = authority === 'invoice' ? [] : layers[authority];
  const total = invoiceTicks ?? sumTicks(authorityFacts);
  const finer = authority === 'invoice' ? PROVENANCES : PROVENANCES.slice(PROVENANCES.indexOf(authority) + 1);
  // The finest layer with priced money attributes: metered rows carry feature,
  // customer and agent; provider usage carries keys and workspaces.
  let chosen: Provenance | null = null;
  let chosenTicks = 0n;
  for (const layer of [...finer].reverse()) {
    const t = sumTicks(layers[layer]);
    if (t > 0n) {
      chosen = layer;
      chosenTicks = t;
      break;
    }
  }
  const decision: PoolDecision = { provider, month, authority, authority_ticks: total, attributed_by: chosen, attributing_ticks: chosenTicks, unattributed_ticks: 0n, ...(pool.days !== undefined ? { days: pool.days } : {}) };
  decisions.push(decision);

  if (chosen === null || total <= 0n) {
    if (authority !== 'invoice') {
      for (const f of authorityFacts) out.push({ ...f, unattributed: false });
      decision.attributed_by = authority;
      decision.attributing_ticks = total;
    } else {
      decision.unattributed_ticks = total;
      out.push(remainderFact(provider, remainderAt, total, authority));
    }
    return;
  }

  // The pool's identity is its most authoritative ledger layer's: an invoice records none.
  const billing = authority === 'invoice' ? moneyLayer((p) => layers[p].length > 0) : authority;
  const identity = billing === undefined ? {} : sharedIds(layers[billing]);
  if (Object.keys(identity).length > 0) decision.shared = identity;
  const attributing = layers[chosen].map((f) => withIdentity(f, identity));
  if (chosenTicks >= total) {
    const parts = allocateTicks(total, attributing.map((f) => f.cost_ticks));
    attributing.forEach((f, i) => out.push({ ...withCost(f, parts[i]!), unattributed: false }));
    return;
  }
  for (const f of attributing) out.push({ ...f, unattributed: false });
  const rest = total - chosenTicks;
  decision.unattributed_ticks = rest;
  if (authority === 'invoice' || authorityFacts.length === 0) {
    // An invoice records no account or tags: what it bills beyond the ledger's layers is nobody's known.
    out.push(remainderFact(provider, remainderAt, rest, authority));
    return;
  }
  // The remainder follows the authoritative layer's own days.
  const byPeriod = new Map<string, bigint>();
  for (const f of authorityFacts) byPeriod.set(f.period, (byPeriod.get(f.period) ?? 0n) + f.cost_ticks);
  const periods = [...byPeriod.keys()];
  const parts = allocateTicks(rest, periods.map((p) => byPeriod.get(p)!));
  periods.forEach((p, i) => out.push(remainderFact(provider, p, parts[i]!, authority, identity)));
}

/** A pool's unattributed money on `period`, with the identifiers all of the pool's money shares. */
function remainderFact(provider: string, period: string, ticks: bigint, layer: Authority, identity: Fact['ids'] = {}): AllocatedFact {
  return { ...zeroFactSums(), period, provenance: layer === 'invoice' ? 'billed' : layer, charge_category: 'usage', ids: { ...identity, provider }, cost_ticks: ticks, unattributed: true };
}
