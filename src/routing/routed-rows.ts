/**
 * Reads the ledger rows routing learns from and replays: per-request metered rows in a
 * period, oldest first, with their routing record when the proxy wrote one. Streams in
 * pages so that a month of proxied traffic never sits in memory at once.
 */
import type { LedgerStore } from '../ledger/ledger-store.js';
import { SERVICE_TIERS, type ServiceTier } from '../pricing/service-tiers.js';
import { parseRouteRecord, type RouteRecord } from './route-record.js';

export interface RoutedRow {
  id: number;
  ts: string;
  provider: string;
  model: string | null;
  model_requested: string | null;
  agent: string | null;
  feature: string | null;
  trace_id: string | null;
  request_id: string | null;
  input_tokens: number;
  cache_read_tokens: number;
  cache_write_5m_tokens: number;
  cache_write_1h_tokens: number;
  output_tokens: number;
  reasoning_tokens: number;
  web_search_requests: number;
  /** The service tier the request was served at (priority, flex, batch…); undefined for standard or unknown. */
  service_tier: ServiceTier | undefined;
  requests: number;
  /** The row's cost as recorded (exact decimal USD), null when unknown. */
  cost_usd: string | null;
  /** The proxy's HTTP status for the attempt (null for imported rows). */
  status_code: number | null;
  /**
   * The tag `routed_from`: the model the client asked for, set only when the proxy rewrote
   * it (routing in enforce mode, a budget's downgrade). A provider that answers with a
   * dated snapshot (`gpt-4o-2024-08-06` for `gpt-4o`) makes `model` differ without it.
   */
  routed_from: string | undefined;
  /** The proxy endpoint the request was sent to (`/v1/embeddings`), undefined for imported rows. */
  endpoint: string | undefined;
  record: RouteRecord | undefined;
}

/** The proxy writes `"endpoint":"/v1/…"` at the top level of raw_usage (no provider usage object has such a key). */
const ENDPOINT = /"endpoint":\s*"(\/v1\/[^"]*)"/;

function endpointOf(rawUsage: string | null): string | undefined {
  return rawUsage ? ENDPOINT.exec(rawUsage)?.[1] : undefined;
}

function serviceTierOf(text: string | null): ServiceTier | undefined {
  return text !== null && text !== 'standard' && (SERVICE_TIERS as readonly string[]).includes(text) ? (text as ServiceTier) : undefined;
}

/** The tag `routed_from` of a row's tags text, or undefined when the proxy did not rewrite its model. */
export function routedFromOf(tags: string | null): string | undefined {
  if (!tags || !tags.includes('"routed_from"')) return undefined;
  try {
    const value = (JSON.parse(tags) as { routed_from?: unknown }).routed_from;
    return typeof value === 'string' && value !== '' ? value : undefined;
  } catch {
    return undefined;
  }
}

const PAGE = 5000;

/**
 * In time order (ties by id), paged by the last (ts, id) seen: each page is a range of the
 * ts index read from where the last one stopped. Paging by id alone made SQLite read the
 * whole period's rows from that index and sort them again for every page (a month of a busy
 * proxy: thousands of pages), and time order is the order the proxy decided them in.
 */
export async function* routedRows(ledger: LedgerStore, since: Date, until: Date): AsyncGenerator<RoutedRow> {
  let after: { ts: string; id: number } | undefined;
  for (;;) {
    const last = after;
    const page = await ledger.db
      .selectFrom('usage_entries')
      .select([
        'id', 'ts', 'provider', 'model', 'model_requested', 'agent', 'feature', 'trace_id', 'request_id', 'input_tokens', 'cache_read_tokens',
        'cache_write_5m_tokens', 'cache_write_1h_tokens', 'output_tokens', 'reasoning_tokens', 'web_search_requests', 'service_tier', 'requests', 'cost_usd', 'status_code',
        'raw_usage', 'tags',
      ])
      .where('ts', '>=', last?.ts ?? since.toISOString())
      .where('ts', '<', until.toISOString())
      .$if(last !== undefined, (q) => q.where((eb) => eb.or([eb('ts', '>', last!.ts), eb('id', '>', last!.id)])))
      .where('provenance', '=', 'metered')
      .where('granularity', '=', 'request')
      .where('charge_category', '=', 'usage')
      .orderBy('ts')
      .orderBy('id')
      .limit(PAGE)
      .execute();
    if (page.length === 0) return;
    for (const r of page) {
      // Written out rather than `{ ...rest }`: copying the rest of a row was a quarter of a replay's time.
      yield {
        id: Number(r.id),
        ts: r.ts,
        provider: r.provider,
        model: r.model,
        model_requested: r.model_requested,
        agent: r.agent,
        feature: r.feature,
        trace_id: r.trace_id,
        request_id: r.request_id,
        input_tokens: r.input_tokens,
        cache_read_tokens: r.cache_read_tokens,
        cache_write_5m_tokens: r.cache_write_5m_tokens,
        cache_write_1h_tokens: r.cache_write_1h_tokens,
        output_tokens: r.output_tokens,
        reasoning_tokens: r.reasoning_tokens,
        web_search_requests: r.web_search_requests,
        service_tier: serviceTierOf(r.service_tier),
        requests: r.requests,
        cost_usd: r.cost_usd,
        status_code: r.status_code === null ? null : Number(r.status_code),
        routed_from: routedFromOf(r.tags),
        endpoint: endpointOf(r.raw_usage),
        record: parseRouteRecord(r.raw_usage),
      };
    }
    const end = page[page.length - 1]!;
    after = { ts: end.ts, id: Number(end.id) };
    if (page.length < PAGE) return;
  }
}

/**
 * Metered rows of the period that sum many requests (per hour, day or month: OpenTelemetry
 * rollups, imported usage logs): there is no request in them to replay, so a simulation
 * leaves them out and says how many requests that was.
 */
export async function aggregatedRequests(ledger: LedgerStore, since: Date, until: Date): Promise<{ rows: number; requests: number }> {
  const r = await ledger.db
    .selectFrom('usage_entries')
    .select((eb) => [eb.fn.countAll<number>().as('rows'), eb.fn.sum<number>('requests').as('requests')])
    .where('ts', '>=', since.toISOString())
    .where('ts', '<', until.toISOString())
    .where('provenance', '=', 'metered')
    .where('granularity', '!=', 'request')
    .where('charge_category', '=', 'usage')
    .executeTakeFirst();
  return { rows: Number(r?.rows ?? 0), requests: Number(r?.requests ?? 0) };
}
