/**
 * `report --metrics units`: the numbers product teams price features with — tokens per
 * request (p50/p95/p99, per feature), cost per customer per feature, agent loop length
 * (steps per trace, per agent), the model tier mix (flagship / workhorse / small, from
 * the catalogue) and the most expensive traces.
 */
import type { Attributor } from '../attribution/attributor.js';
import type { Identifiers } from '../attribution/identifiers.js';
import type { LedgerStore } from '../ledger/ledger-store.js';
import { requestSamples, traceSummaries, type Period } from '../ledger/queries/unit-queries.js';
import type { FactColumn } from '../ledger/queries/usage-facts.js';
import { buildReport, UNATTRIBUTED, type Basis, type ReportRow } from './build-report.js';
import { percentiles, type Percentiles } from './percentiles.js';
import { isTimeDimension, timeBucket } from './report-dimensions.js';
import { identifiersMatch, whereDimensions } from './dimension-matches.js';
import { dec, usdToTicks } from '../shared/money.js';
import { compareText } from '../shared/compare-text.js';

export interface UnitEconomics {
  since: string | null;
  until: string | null;
  tokens_per_request: Percentiles & { by_feature: Array<{ feature: string } & Percentiles> };
  cost_per_customer_feature: ReportRow[];
  agent_loop_length: Percentiles & { by_agent: Array<{ agent: string } & Percentiles> };
  /** `unpriced_rows`: rows of a model the catalogue does not know, whose cost is in no cost_ticks. */
  model_tier_mix: Array<{ tier: string; cost_ticks: bigint; share: number; unpriced_rows: number }>;
  top_traces: Array<{ trace: string; agent: string; steps: number; cost_ticks: bigint; unpriced_rows: number; first_ts: string; last_ts: string }>;
  /** Rows without a price in the period (as the grouped report counts them). */
  unpriced_rows: number;
}

/** Maps a served model to its catalogue class (flagship, workhorse, small), or undefined. */
export type ModelClassOf = (provider: string, model: string) => string | undefined;

function columnsFor(attributor: Attributor, dim: string): FactColumn[] {
  return [...new Set(attributor.fieldsFor(dim).map((f) => (f.startsWith('tags.') ? 'tags' : f) as FactColumn))];
}

export async function unitEconomics(
  ledger: LedgerStore,
  attributor: Attributor,
  classOf: ModelClassOf,
  o: { period: Period; basis: Basis; top: number; where: Readonly<Record<string, string>> },
): Promise<UnitEconomics> {
  const { period } = o;
  // Rows carry no day or week identifier: a time bucket in --where narrows the period of
  // the per-request samples and traces instead (the grouped reports below handle it).
  const requestPeriod = narrowPeriod(period, o.where);
  const idsWhere = Object.fromEntries(Object.entries(o.where).filter(([d]) => !isTimeDimension(d)));
  const keep = (ids: Identifiers) => identifiersMatch(attributor, idsWhere, ids);
  const whereColumns = whereDimensions(idsWhere).flatMap((d) => columnsFor(attributor, d));

  const featureColumns = [...new Set([...columnsFor(attributor, 'feature'), ...whereColumns])];
  const samples = (await requestSamples(ledger, requestPeriod, featureColumns)).filter((s) => keep(s.ids as Identifiers));
  const byFeature = new Map<string, number[]>();
  for (const s of samples) {
    const f = attributor.value(s.ids as Identifiers, 'feature') ?? UNATTRIBUTED;
    let list = byFeature.get(f);
    if (!list) byFeature.set(f, (list = []));
    list.push(s.tokens);
  }

  const agentColumns = [...new Set([...columnsFor(attributor, 'agent'), ...whereColumns])];
  const traces = (await traceSummaries(ledger, requestPeriod, agentColumns)).filter((t) => keep(t.ids as Identifiers));
  const byAgent = new Map<string, number[]>();
  for (const t of traces) {
    const a = attributor.value(t.ids as Identifiers, 'agent') ?? UNATTRIBUTED;
    let list = byAgent.get(a);
    if (!list) byAgent.set(a, (list = []));
    list.push(t.steps);
  }

  const customerFeature = await buildReport(ledger, attributor, { by: ['customer', 'feature'], where: o.where, ...period, basis: o.basis, top: o.top });
  const models = await buildReport(ledger, attributor, { by: ['provider', 'model'], where: o.where, ...period, basis: o.basis });
  const tiers = new Map<string, { cost_ticks: bigint; unpriced_rows: number }>();
  let all = 0n;
  for (const r of models.rows) {
    // Bill money no row explains has no model, so no class: it keeps the name every report
    // gives it, rather than a tier of its own that reads like an unknown (unpriced) model.
    const tier = r.model === UNATTRIBUTED ? UNATTRIBUTED : (classOf(r.provider!, r.model!) ?? 'unclassified');
    const ticks = usdToTicks(dec(r.cost_usd_exact));
    const t = tiers.get(tier) ?? { cost_ticks: 0n, unpriced_rows: 0 };
    t.cost_ticks += ticks;
    t.unpriced_rows += r.unpriced_rows;
    tiers.set(tier, t);
    all += ticks;
  }

  const sortedTraces = [...traces].sort((a, b) => (b.cost_ticks > a.cost_ticks ? 1 : b.cost_ticks < a.cost_ticks ? -1 : compareText(a.trace, b.trace)));
  return {
    since: period.since ?? null,
    until: period.until ?? null,
    tokens_per_request: {
      ...percentiles(samples.map((s) => s.tokens)),
      by_feature: [...byFeature].map(([feature, v]) => ({ feature, ...percentiles(v) })).sort((a, b) => b.count - a.count || compareText(a.feature, b.feature)),
    },
    cost_per_customer_feature: customerFeature.rows,
    agent_loop_length: {
      ...percentiles(traces.map((t) => t.steps)),
      by_agent: [...byAgent].map(([agent, v]) => ({ agent, ...percentiles(v) })).sort((a, b) => b.count - a.count || compareText(a.agent, b.agent)),
    },
    model_tier_mix: [...tiers]
      .map(([tier, { cost_ticks, unpriced_rows }]) => ({ tier, cost_ticks, share: all === 0n ? 0 : Number((cost_ticks * 1_000_000n) / all) / 1_000_000, unpriced_rows }))
      .sort((a, b) => (b.cost_ticks > a.cost_ticks ? 1 : -1)),
    top_traces: sortedTraces.slice(0, o.top).map((t) => ({ trace: t.trace, agent: attributor.value(t.ids as Identifiers, 'agent') ?? UNATTRIBUTED, steps: t.steps, cost_ticks: t.cost_ticks, unpriced_rows: t.unpriced_rows, first_ts: t.first_ts, last_ts: t.last_ts })),
    unpriced_rows: models.total.unpriced_rows,
  };
}

/** The period cut down to the day, week or month buckets named in `where` (empty when they do not meet). */
function narrowPeriod(period: Period, where: Readonly<Record<string, string>>): Period {
  let since = period.since;
  let until = period.until;
  for (const [d, v] of Object.entries(where)) {
    if (!isTimeDimension(d)) continue;
    const { start, end } = timeBucket(d, v);
    if (since === undefined || start.toISOString() > since) since = start.toISOString();
    if (until === undefined || end.toISOString() < until) until = end.toISOString();
  }
  if (since !== undefined && until !== undefined && until < since) until = since;
  return { ...(since !== undefined ? { since } : {}), ...(until !== undefined ? { until } : {}) };
}
