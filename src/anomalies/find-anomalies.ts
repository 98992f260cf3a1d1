/**
 * `llmfin anomalies`: loads each entity's daily spend, requests and tokens (on the
 * default basis, grouped by the dimensions asked for) and the period's traces, runs the
 * registry's detectors, and ranks what they found by excess $.
 */
import { sql } from 'kysely';
import type { Attributor } from '../attribution/attributor.js';
import type { Identifiers } from '../attribution/identifiers.js';
import type { AnomaliesConfig } from '../config/config-schema.js';
import type { LedgerStore } from '../ledger/ledger-store.js';
import { buildReport, UNATTRIBUTED, type Basis } from '../reports/build-report.js';
import { identifiersMatch } from '../reports/dimension-matches.js';
import { usdTextAndTicks } from '../shared/money.js';
import type { Anomaly, AnomalyInput, EntitySeries, TraceCalls } from './anomaly.js';
import { DETECTORS } from './detector-registry.js';
import { THRESHOLDS } from './sensitivity.js';
import { compareText } from '../shared/compare-text.js';

export interface AnomalyQuery {
  by: readonly string[];
  where?: Readonly<Record<string, string>>;
  since: string;
  until?: string;
  basis: Basis;
  settings: AnomaliesConfig;
  /** Only detectors whose kind is listed (default all). */
  kinds?: readonly string[];
}

const DAY_MS = 86_400_000;
/** The first day of a series the spend scan judges (its warm-up at the weekly season: two weeks). */
export const FIRST_JUDGED_DAY = 14;

export async function findAnomalies(
  ledger: LedgerStore,
  attributor: Attributor,
  q: AnomalyQuery,
): Promise<{ days: string[]; anomalies: Anomaly[]; entities: number; traces: number; /** Series too short for any day to be judged yet. */ too_short: number; /** Ledger rows with no price (unknown model): their spend is not judged. */ unpriced_rows: number }> {
  const { unpriced_rows, ...input } = await loadInput(ledger, attributor, q);
  const settings = {
    thresholds: THRESHOLDS[q.settings.sensitivity],
    minImpactUsd: q.settings.min_impact_usd,
    runawaySessionUsd: q.settings.runaway_session_usd,
    loopRepeats: q.settings.loop_repeats,
  };
  const anomalies = DETECTORS.flatMap((d) => d.detect(input, settings)).filter((a) => !q.kinds || q.kinds.includes(a.kind));
  anomalies.sort((a, b) => b.excess_usd - a.excess_usd || compareText(a.since, b.since));
  const tooShort = input.entities.filter((e) => e.cost.length <= FIRST_JUDGED_DAY).length;
  return { days: input.days, anomalies, entities: input.entities.length, traces: input.traces.length, too_short: tooShort, unpriced_rows };
}

async function loadInput(ledger: LedgerStore, attributor: Attributor, q: AnomalyQuery): Promise<AnomalyInput & { unpriced_rows: number }> {
  const report = await buildReport(ledger, attributor, { by: [...q.by, 'day'], where: q.where ?? {}, since: q.since, ...(q.until ? { until: q.until } : {}), basis: q.basis, sort: 'name' });
  const rows = report.rows.filter((r) => r.day && r.day.length === 10);
  const seen = rows.map((r) => r.day!).sort();
  const days: string[] = [];
  if (seen.length > 0) {
    for (let t = Date.parse(`${q.since.slice(0, 10)}T00:00:00Z`); t <= Date.parse(`${seen.at(-1)}T00:00:00Z`); t += DAY_MS) days.push(new Date(t).toISOString().slice(0, 10));
  }
  const index = new Map(days.map((d, i) => [d, i]));
  const entities = new Map<string, Omit<EntitySeries, 'days'> & { first: number }>();
  for (const r of rows) {
    const i = index.get(r.day!);
    if (i === undefined) continue;
    const dims = Object.fromEntries(q.by.map((d) => [d, r[d] ?? '']));
    const key = JSON.stringify(dims);
    let e = entities.get(key);
    if (!e) entities.set(key, (e = { dims, cost: new Float64Array(days.length), costTicks: new BigInt64Array(days.length), requests: new Float64Array(days.length), tokens: new Float64Array(days.length), first: days.length }));
    e.cost[i]! += r.cost_usd;
    e.costTicks[i]! += usdTextAndTicks(r.cost_usd_exact).ticks;
    e.requests[i]! += r.requests;
    e.tokens[i]! += r.input_tokens + r.output_tokens;
    if (r.cost_usd !== 0) e.first = Math.min(e.first, i);
  }
  // An entity's series starts at its first spend: days before it existed are not zeros.
  const series: EntitySeries[] = [];
  for (const e of entities.values()) {
    if (e.first >= days.length) continue;
    series.push({ dims: e.dims, days: days.slice(e.first), cost: e.cost.subarray(e.first), costTicks: e.costTicks.subarray(e.first), requests: e.requests.subarray(e.first), tokens: e.tokens.subarray(e.first) });
  }
  return { days, entities: series, traces: await loadTraces(ledger, attributor, q), unpriced_rows: report.total.unpriced_rows };
}

async function loadTraces(ledger: LedgerStore, attributor: Attributor, q: AnomalyQuery): Promise<TraceCalls[]> {
  const result = await sql<Record<string, unknown>>`select trace_id, ts, provider, model, input_tokens, output_tokens, cost_ticks, tags, prompt_hash, status_code, team, feature, agent, customer, environment, project, api_key, user, service_tier, matched_model
    from usage_entries where trace_id is not null and charge_category = 'usage' and ts >= ${q.since} ${q.until ? sql`and ts < ${q.until}` : sql``}
    order by trace_id, ts, id`.execute(ledger.db);
  const traces = new Map<string, TraceCalls>();
  for (const r of result.rows) {
    const trace = String(r.trace_id);
    let t = traces.get(trace);
    if (!t) {
      const ids: Identifiers = {};
      for (const c of ['provider', 'model', 'team', 'feature', 'agent', 'customer', 'environment', 'project', 'api_key', 'user'] as const) ids[c] = (r[c] as string | null) ?? null;
      ids.tags = (r.tags as string | null) ?? null;
      ids.service_tier = (r.service_tier as string | null) ?? null;
      ids.matched_model = (r.matched_model as string | null) ?? null;
      ids.trace = trace;
      if (!identifiersMatch(attributor, q.where ?? {}, ids)) continue;
      t = { trace, dims: Object.fromEntries(q.by.map((d) => [d, attributor.value(ids, d) ?? UNATTRIBUTED])), calls: [] };
      traces.set(trace, t);
    }
    const tags = r.tags ? (JSON.parse(String(r.tags)) as Record<string, string>) : {};
    t.calls.push({
      ts: String(r.ts),
      model: (r.model as string | null) ?? null,
      input_tokens: Number(r.input_tokens),
      output_tokens: Number(r.output_tokens),
      cost_ticks: r.cost_ticks === null ? 0n : BigInt(r.cost_ticks as bigint),
      // The proxy records the prompt hash and the upstream status in columns; imported
      // rows may carry them as tags.
      prompt_hash: (r.prompt_hash as string | null) ?? tags.prompt_hash ?? null,
      error: tags.error ?? (Number(r.status_code) >= 400 ? `HTTP ${String(r.status_code)}` : null),
    });
  }
  return [...traces.values()];
}
