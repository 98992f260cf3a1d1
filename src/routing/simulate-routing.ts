/**
 * `llmfin route simulate`: replays a period's recorded requests under a policy. Each
 * row's stored features (route-record.ts) are scored again, the policy picks a model, and
 * the row's own tokens are priced at that model and at the requested one with the Pricer.
 * Rows the proxy recorded without features (or before routing existed) are replayed from
 * their input tokens alone — length is then the only evidence, the prompt's being the
 * tokens the cache did not hold — and counted apart.
 * Attempts that failed without running the model (HTTP status >= 400, no tokens: an
 * upstream 5xx, a 502/504 from the proxy) are not requests a policy would have served
 * differently: they are left out and counted apart.
 * Requests routing never decides are not replayed either: embeddings (the proxy's
 * `/v1/embeddings`, or an imported row of a model the catalogue lists as an embedding or
 * moderation model), and rows that sum many requests (per hour, day or month), which hold no
 * request to re-score. Both are counted apart, so that a period's savings are never read
 * as covering traffic they did not look at.
 * Caveat: cache reads are priced as recorded, though a switched model starts cold.
 */
import type { LedgerStore } from '../ledger/ledger-store.js';
import type { Pricer } from '../pricing/pricer.js';
import { dec, decToNumber, type Dec } from '../shared/money.js';
import { isErrorRow, realisedCosts } from './realised-cost.js';
import type { Dialect } from './compile-policy.js';
import { vectorFromSignals } from './feature-vector.js';
import type { Router } from './router.js';
import { costAt } from './routing-cost.js';
import { aggregatedRequests, routedRows, type RoutedRow } from './routed-rows.js';
import { isRoutedEndpoint } from './routed-endpoints.js';
import { isResolved, resolveModel } from '../pricing/resolve-model.js';
import { ledgerUsage } from '../pricing/token-usage.js';
import { compareText } from '../shared/compare-text.js';

export interface SimulationGroup {
  requests: number;
  original_cost_usd: number;
  routed_cost_usd: number;
  saved_usd: number;
  /** saved / original, 0–1 (0 when nothing was priced). */
  saved_share: number;
  /** Share of requests per tier ("(kept)" = no tier chosen). */
  tiers: Record<string, number>;
  /** Rows whose original or routed model has no price (left out of the money). */
  unpriced: number;
}

export interface SimulationResult extends SimulationGroup {
  since: string;
  until: string;
  mode: string;
  /** Rows with a routing record (features recorded by the proxy). */
  with_features: number;
  /** Rows replayed from their token counts alone. */
  without_features: number;
  /** Error rows (HTTP status >= 400, no tokens) left out of the requests, tiers and money. */
  errors_left_out: number;
  /** Requests routing does not decide (embeddings, moderation), left out of the requests, tiers and money. */
  not_routed_left_out: number;
  /** Requests in metered rows that sum many (per hour, day or month): nothing to replay, left out. */
  aggregated_left_out: number;
  /** Requests whose chosen model differs from the requested one. */
  changed: number;
  by_tier: Array<{ tier: string; requests: number; share: number; routed_cost_usd: number }>;
  by_agent: Array<SimulationGroup & { agent: string }>;
  /**
   * What happened, not a replay: the period's requests whose model the proxy rewrote (routing
   * in enforce mode, or a budget's downgrade), what they cost and what the requested models
   * would have cost for the same tokens, as the proxy recorded both.
   */
  realised: {
    requests: number;
    original_cost_usd: number;
    cost_usd: number;
    saved_usd: number;
    saved_share: number;
    /** Rewritten rows without a recorded original cost (the requested model had no price): left out, not counted as $0 saved, as `report --by routed_from` does. */
    unpriced_routed_rows: number;
  };
}

/** What routing saves on an original cost, in USD and as a share of it. */
function saving(original: Dec, routed: Dec): { saved_usd: number; saved_share: number } {
  const saved = original.minus(routed);
  // A share to six decimals, as `report` gives its shares: 0.123457, not 0.12345678901234568.
  return { saved_usd: decToNumber(saved), saved_share: original.isZero() ? 0 : decToNumber(saved.div(original).toDecimalPlaces(6)) };
}

class Acc {
  requests = 0;
  original: Dec = dec(0);
  routed: Dec = dec(0);
  tiers = new Map<string, number>();
  unpriced = 0;
  add(tier: string, original: Dec | undefined, routed: Dec | undefined, requests: number): void {
    this.requests += requests;
    this.tiers.set(tier, (this.tiers.get(tier) ?? 0) + requests);
    if (original && routed) {
      this.original = this.original.plus(original);
      this.routed = this.routed.plus(routed);
    } else this.unpriced++;
  }
  /** `rank` orders the tiers as the policy lists them, cheapest first, "(kept)" last: every group reads in one order. */
  group(rank: (tier: string) => number): SimulationGroup {
    const tiers: Record<string, number> = {};
    for (const [t, n] of [...this.tiers].sort((a, b) => rank(a[0]) - rank(b[0]))) tiers[t] = this.requests === 0 ? 0 : n / this.requests;
    return {
      requests: this.requests,
      original_cost_usd: decToNumber(this.original),
      routed_cost_usd: decToNumber(this.routed),
      ...saving(this.original, this.routed),
      tiers,
      unpriced: this.unpriced,
    };
  }
}

/** Catalogue kinds of models that answer no conversation: no tier's model can stand in for them. */
const NOT_ROUTED_KINDS: ReadonlySet<string> = new Set(['embedding', 'moderation']);

/** What the catalogue says of a requested model: whether routing decides it, and the dialect its own API speaks. */
interface ModelFacts {
  routed: boolean;
  dialect: Dialect;
}

function modelFacts(model: string, pricer: Pricer, at: Date, cache: Map<string, ModelFacts>): ModelFacts {
  let facts = cache.get(model);
  if (facts === undefined) {
    const resolved = resolveModel(pricer.catalogue, { model, at });
    facts = {
      routed: !(isResolved(resolved) && NOT_ROUTED_KINDS.has(resolved.model.kind)),
      dialect: isResolved(resolved) && resolved.provider.provider === 'anthropic' ? 'anthropic' : 'openai',
    };
    cache.set(model, facts);
  }
  return facts;
}

/**
 * Whether routing would decide this request: the proxy's endpoint says so for its own rows;
 * an imported row has none, and its model's catalogue kind tells instead.
 */
function routedRequest(row: RoutedRow, facts: () => ModelFacts): boolean {
  return row.endpoint !== undefined ? isRoutedEndpoint(row.endpoint) : facts().routed;
}

/**
 * The dialect the request was made in: as the proxy recorded it; else Anthropic's for a row
 * of Anthropic's API or of a model that is Anthropic's (Claude on Vertex or Bedrock, which
 * the proxy would serve to an Anthropic client), else OpenAI's. A replay never routes a
 * request into another dialect's pool, as the proxy never does.
 */
function dialectOf(row: RoutedRow, facts: () => ModelFacts): Dialect {
  if (row.record?.dialect) return row.record.dialect;
  return row.provider === 'anthropic' ? 'anthropic' : facts().dialect;
}

/**
 * The length signals of a row without stored features, from its tokens: the prompt is what
 * the cache did not hold (the ledger's input_tokens counts cache reads and writes too, and
 * an agent's long context read from the cache on every turn is not a long prompt: it would
 * be replayed as hard and routed up); the whole input is the conversation's context.
 */
function lengthSignals(row: RoutedRow): { tokens: number; context_tokens: number } {
  const cached = row.cache_read_tokens + row.cache_write_5m_tokens + row.cache_write_1h_tokens;
  return { tokens: Math.max(0, row.input_tokens - cached), context_tokens: row.input_tokens };
}

export async function simulateRouting(ledger: LedgerStore, router: Router, pricer: Pricer, since: Date, until: Date): Promise<SimulationResult> {
  const all = new Acc();
  const byAgent = new Map<string, Acc>();
  const tierCost = new Map<string, Dec>();
  let withFeatures = 0;
  let withoutFeatures = 0;
  let changed = 0;
  let errors = 0;
  let notRouted = 0;
  const known = new Map<string, ModelFacts>();
  const realised = { requests: 0, original: dec(0), cost: dec(0), unpriced: 0 };
  for await (const row of routedRows(ledger, since, until)) {
    if (isErrorRow(row)) {
      errors += row.requests;
      continue;
    }
    const done = realisedCosts(row);
    if (done) {
      realised.requests += row.requests;
      realised.original = realised.original.plus(done.original);
      realised.cost = realised.cost.plus(done.cost);
    } else if (row.routed_from !== undefined) realised.unpriced++;
    const rec = row.record;
    const requested = row.model_requested ?? rec?.from ?? row.model;
    if (!requested) continue;
    const facts = () => modelFacts(requested, pricer, new Date(row.ts), known);
    if (!routedRequest(row, facts)) {
      notRouted += row.requests;
      continue;
    }
    const dialect = dialectOf(row, facts);
    if (rec) withFeatures++;
    else withoutFeatures++;
    const values = vectorFromSignals(rec?.features ?? lengthSignals(row));
    // Escalation reads the conversation's tool errors and repeats from the decision's input, as in the proxy.
    const d = router.decideFromFeatures(
      {
        dialect,
        model: requested,
        agent: row.agent ?? undefined,
        feature: row.feature ?? undefined,
        systemHash: rec?.system,
        traceId: row.trace_id ?? undefined,
        now: Date.parse(row.ts),
        toolErrors: rec?.features.tool_errors,
        repeats: rec?.features.repeats,
      },
      values,
    );
    if (d.model !== requested) changed += row.requests;
    const usage = ledgerUsage(row);
    const at = new Date(row.ts);
    // The requested model is priced under the row's provider unless the row was itself routed
    // elsewhere; both models at the service tier the request was served at (priority costs more).
    const original = costAt(pricer, { model: requested, provider: requested === row.model ? row.provider : undefined }, usage, at, row.service_tier);
    const routed = d.model === requested ? original : costAt(pricer, { model: d.model, provider: d.provider }, usage, at, row.service_tier);
    const o = original.status === 'priced' ? original.cost : undefined;
    const r = routed.status === 'priced' ? routed.cost : undefined;
    const tier = d.tier ?? '(kept)';
    all.add(tier, o, r, row.requests);
    const agent = row.agent ?? '(none)';
    let acc = byAgent.get(agent);
    if (!acc) byAgent.set(agent, (acc = new Acc()));
    acc.add(tier, o, r, row.requests);
    // A tier's cost counts the rows priced at both models, as the totals do.
    if (o && r) tierCost.set(tier, (tierCost.get(tier) ?? dec(0)).plus(r));
  }
  const aggregated = await aggregatedRequests(ledger, since, until);
  const order = router.policy.tiers.map((t) => t.name);
  const tierRank = (t: string) => (order.includes(t) ? order.indexOf(t) : order.length);
  const total = all.group(tierRank);
  return {
    since: since.toISOString(),
    until: until.toISOString(),
    mode: router.policy.enabled ? router.policy.mode : 'off',
    ...total,
    with_features: withFeatures,
    without_features: withoutFeatures,
    errors_left_out: errors,
    not_routed_left_out: notRouted,
    aggregated_left_out: aggregated.requests,
    changed,
    by_tier: [...all.tiers.entries()]
      .sort((a, b) => tierRank(a[0]) - tierRank(b[0]))
      .map(([tier, n]) => ({ tier, requests: n, share: all.requests === 0 ? 0 : n / all.requests, routed_cost_usd: decToNumber(tierCost.get(tier) ?? dec(0)) })),
    realised: {
      requests: realised.requests,
      original_cost_usd: decToNumber(realised.original),
      cost_usd: decToNumber(realised.cost),
      ...saving(realised.original, realised.cost),
      unpriced_routed_rows: realised.unpriced,
    },
    by_agent: [...byAgent.entries()].map(([agent, acc]) => ({ agent, ...acc.group(tierRank) })).sort((a, b) => b.saved_usd - a.saved_usd || compareText(a.agent, b.agent)),
  };
}
