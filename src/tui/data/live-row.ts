/**
 * One ledger row as the dashboard needs it: the money, the tokens, who it belongs to
 * and the proxy's extras (the model it was routed from, latency). Read in bounded
 * batches by id; nothing else of the row is kept.
 */
import type { Identifiers } from '../../attribution/identifiers.js';
import { tagsOf } from '../../attribution/identifiers.js';

export interface LiveRow {
  id: number;
  /** ISO 8601 UTC start of the request (or of an aggregated row's span). */
  ts: string;
  provider: string;
  source: string;
  provenance: string;
  chargeCategory: string;
  granularity: string;
  model: string | null;
  modelRequested: string | null;
  /** The catalogue model the row was priced as, which a budget on a model counts by (budgets/budget-scope.ts). */
  matchedModel?: string | null;
  /** 0 for an attempt that failed before the model ran (failed-attempt.ts): the feed shows it, no total counts it. */
  requests: number;
  inputTokens: number;
  outputTokens: number;
  /** Exact cost in ticks; null when unpriced. */
  costTicks: bigint | null;
  /**
   * The cost rests on estimated usage (`cost_status: estimated`): a stream cut mid-way, a
   * response without usage. The feed marks it `~` so it never passes for a measured cost.
   */
  estimated: boolean;
  team: string | null;
  feature: string | null;
  customer: string | null;
  agent: string | null;
  project: string | null;
  environment: string | null;
  apiKey: string | null;
  /** Identifiers only attribution rules read (a rule may set the team from the user, say). */
  account: string | null;
  workspace: string | null;
  user: string | null;
  trace: string | null;
  tags: string | null;
  /** From a `latency_ms` column when the ledger has one, else the `latency_ms` tag. */
  latencyMs: number | null;
  /**
   * The model the router or a budget's downgrade took the request from: a `routed_from`
   * column or tag, which the proxy sets only when it rewrote the model. A `model` that
   * differs from `model_requested` is not enough: OpenAI answers `gpt-4o` with the dated
   * snapshot that ran (`gpt-4o-2024-08-06`), which is no routing decision.
   */
  routedFrom: string | null;
  /** The proxy's sha256 of the prompt (identical prompts, identical hash), when recorded. */
  promptHash: string | null;
  /** The upstream's HTTP status on proxy rows (an error repeated is a loop too). */
  statusCode: number | null;
}

/** The row's identifiers in the shape attribution rules read. */
export function rowIdentifiers(row: LiveRow): Identifiers {
  return {
    provider: row.provider,
    source: row.source,
    model: row.model,
    matched_model: row.matchedModel ?? null,
    project: row.project,
    api_key: row.apiKey,
    account: row.account,
    workspace: row.workspace,
    user: row.user,
    customer: row.customer,
    team: row.team,
    feature: row.feature,
    agent: row.agent,
    environment: row.environment,
    trace: row.trace,
    tags: row.tags,
  };
}

/** The LiveRow property behind each identifier field rowIdentifiers gives (the same mapping). */
const ROW_PROPERTY = new Map<string, keyof LiveRow>(
  Object.entries({
    provider: 'provider', source: 'source', model: 'model', matched_model: 'matchedModel', project: 'project', api_key: 'apiKey', account: 'account',
    workspace: 'workspace', user: 'user', customer: 'customer', team: 'team', feature: 'feature', agent: 'agent', environment: 'environment', trace: 'trace', tags: 'tags',
  } satisfies Record<string, keyof LiveRow>),
);

/**
 * Reads identifier `field` (`team`, `api_key`, `tags.KEY`) of a row as `fieldValue` reads it
 * from `rowIdentifiers(row)` (undefined when not recorded), without making the identifiers:
 * what a decision remembered per distinct value (row-memo.ts) looks up for every row.
 */
export function rowFieldReader(field: string): (row: LiveRow) => string | undefined {
  if (field.startsWith('tags.')) {
    const key = field.slice(5);
    return (row) => tagsOf(row.tags)[key] || undefined;
  }
  const property = ROW_PROPERTY.get(field);
  // A field a LiveRow does not carry (service_tier) is not recorded, as in rowIdentifiers.
  if (property === undefined) return () => undefined;
  return (row) => (row[property] as string | null | undefined) || undefined;
}

/** Latency from the tags when no column carried it. */
export function tagLatency(tags: string | null): number | null {
  const v = tagsOf(tags).latency_ms;
  if (v === undefined) return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

/** Where the router (or a budget's downgrade) took the request from, as the proxy recorded it; null when it served the model asked for. */
export function routedFrom(explicit: string | null, tags: string | null): string | null {
  if (explicit) return explicit;
  return tagsOf(tags).routed_from || null;
}
