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
 * Every split is exact to the tick (allocateTicks).
 */
import type { Provenance } from '../ledger/ledger-schema.js';
import { PROVENANCES } from '../ledger/ledger-schema.js';
import type { Fact, InvoiceUsage } from '../ledger/queries/usage-facts.js';
import { allocateTicks } from '../shared/allocate-ticks.js';

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
}

const ZERO_COUNTS = {
  rows: 0,
  requests: 0,
  input_tokens: 0,
  uncached_input_tokens: 0,
  cache_read_tokens: 0,
  cache_write_tokens: 0,
  output_tokens: 0,
  reasoning_tokens: 0,
  estimated_cost_ticks: 0n,
  unpriced_rows: 0,
};

const sumTicks = (facts: readonly Fact[]) => facts.reduce((a, f) => a + f.cost_ticks, 0n);

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

/** `facts` are usage facts (charge category usage) of every layer; see the module comment. */
export function applyLayerRule(facts: readonly Fact[], invoices: readonly InvoiceUsage[]): { facts: AllocatedFact[]; pools: PoolDecision[] } {
  const pools = new Map<string, { provider: string; month: string; layers: Record<Provenance, Fact[]> }>();
  const pool = (provider: string, month: string) => {
    const key = `${provider}\u0000${month}`;
    let p = pools.get(key);
    if (!p) pools.set(key, (p = { provider, month, layers: { billed: [], provider_usage: [], metered: [] } }));
    return p;
  };
  for (const f of facts) pool(f.ids.provider ?? '', f.period.slice(0, 7)).layers[f.provenance].push(f);
  const invoiced = new Map<string, bigint>();
  for (const inv of invoices) {
    pool(inv.provider, inv.month);
    invoiced.set(`${inv.provider}\u0000${inv.month}`, inv.usage_ticks);
  }

  const out: AllocatedFact[] = [];
  const decisions: PoolDecision[] = [];
  const grainIsDay = facts.some((f) => f.period.length === 10);
  for (const [key, { provider, month, layers }] of pools) {
    const invoiceTicks = invoiced.get(key);
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
    const decision: PoolDecision = { provider, month, authority, authority_ticks: total, attributed_by: chosen, attributing_ticks: chosenTicks, unattributed_ticks: 0n };
    decisions.push(decision);

    if (chosen === null || total <= 0n) {
      if (authority !== 'invoice') {
        for (const f of authorityFacts) out.push({ ...f, unattributed: false });
        decision.attributed_by = authority;
        decision.attributing_ticks = total;
      } else {
        decision.unattributed_ticks = total;
        out.push(remainderFact(provider, grainIsDay ? `${month}-01` : month, total, authority));
      }
      continue;
    }

    const attributing = layers[chosen];
    if (chosenTicks >= total) {
      const parts = allocateTicks(total, attributing.map((f) => f.cost_ticks));
      attributing.forEach((f, i) => out.push({ ...f, cost_ticks: parts[i]!, unattributed: false }));
      continue;
    }
    for (const f of attributing) out.push({ ...f, unattributed: false });
    const rest = total - chosenTicks;
    decision.unattributed_ticks = rest;
    if (authority === 'invoice' || authorityFacts.length === 0) {
      out.push(remainderFact(provider, grainIsDay ? `${month}-01` : month, rest, authority));
      continue;
    }
    // The remainder follows the authoritative layer's own days.
    const byPeriod = new Map<string, bigint>();
    for (const f of authorityFacts) byPeriod.set(f.period, (byPeriod.get(f.period) ?? 0n) + f.cost_ticks);
    const periods = [...byPeriod.keys()];
    const parts = allocateTicks(rest, periods.map((p) => byPeriod.get(p)!));
    periods.forEach((p, i) => out.push(remainderFact(provider, p, parts[i]!, authority)));
  }
  return { facts: out, pools: decisions };
}

function remainderFact(provider: string, period: string, ticks: bigint, layer: Authority): AllocatedFact {
  return { ...ZERO_COUNTS, period, provenance: layer === 'invoice' ? 'billed' : layer, charge_category: 'usage', ids: { provider }, cost_ticks: ticks, unattributed: true };
}
