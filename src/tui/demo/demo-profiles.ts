/**
 * What the demo replays: each row of the bundled sample month (a day of one feature,
 * customer and model) becomes a request profile — its share of that day's requests,
 * and the average tokens and priced cost of one of its requests.
 */
import { sql } from 'kysely';
import type { LedgerStore } from '../../ledger/ledger-store.js';

export interface RequestProfile {
  provider: string;
  model: string;
  team: string | null;
  feature: string | null;
  customer: string | null;
  agent: string | null;
  environment: string | null;
  project: string | null;
  apiKey: string | null;
  /** Requests that day: the profile's weight. */
  requests: number;
  inputTokens: number;
  outputTokens: number;
  /** Average cost of one request, in ticks. */
  costTicks: number;
}

/** Profiles per day of the sample, in day order. */
export async function demoProfiles(ledger: LedgerStore): Promise<RequestProfile[][]> {
  const result = await sql<Record<string, unknown>>`select substr(ts, 1, 10) as day, provider, model, team, feature, customer, agent, environment, project, api_key,
      sum(requests) as requests, sum(input_tokens) as input_tokens, sum(output_tokens) as output_tokens, coalesce(sum(cost_ticks), 0) as cost_ticks
    from usage_entries where charge_category = 'usage' and requests > 0 and model is not null
    group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 order by 1`.execute(ledger.db);
  const days = new Map<string, RequestProfile[]>();
  const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
  for (const r of result.rows) {
    const requests = Number(r.requests);
    const day = String(r.day);
    const list = days.get(day) ?? [];
    list.push({
      provider: String(r.provider),
      model: String(r.model),
      team: text(r.team),
      feature: text(r.feature),
      customer: text(r.customer),
      agent: text(r.agent),
      environment: text(r.environment),
      project: text(r.project),
      apiKey: text(r.api_key),
      requests,
      inputTokens: Number(r.input_tokens) / requests,
      outputTokens: Number(r.output_tokens) / requests,
      costTicks: Number(r.cost_ticks as bigint) / requests,
    });
    days.set(day, list);
  }
  return [...days.values()];
}

/** The mean cost of a request over the whole sample, and each team's and agent's share of spend. */
export function demoSpendMix(days: readonly RequestProfile[][]): { meanCostTicks: number; share: (dim: 'team' | 'agent', value: string) => number } {
  let requests = 0;
  let cost = 0;
  const by = new Map<string, number>();
  for (const day of days) {
    for (const p of day) {
      requests += p.requests;
      const spend = p.costTicks * p.requests;
      cost += spend;
      for (const key of [`team=${p.team}`, `agent=${p.agent}`]) by.set(key, (by.get(key) ?? 0) + spend);
    }
  }
  return { meanCostTicks: requests > 0 ? cost / requests : 0, share: (dim, value) => (cost > 0 ? (by.get(`${dim}=${value}`) ?? 0) / cost : 0) };
}
