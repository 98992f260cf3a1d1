// Writes request rows into a ledger file the way the proxy does (plain SQL, its own connection).
import Database from 'better-sqlite3';

export interface RequestRowInput {
  ts: string;
  model?: string;
  provider?: string;
  team?: string | null;
  agent?: string | null;
  feature?: string | null;
  customer?: string | null;
  trace?: string | null;
  inputTokens?: number;
  outputTokens?: number;
  /** Cost in ticks (1e-10 USD); null for an unpriced row (an unknown model). */
  costTicks: bigint | null;
  modelRequested?: string | null;
  /** The catalogue model the row was priced as (`gpt-4o` for `gpt-4o-2024-08-06`); none by default. */
  matchedModel?: string | null;
  /** The proxy's request id (`<run>-<n>`), which tells one proxy's rows from another's. */
  requestId?: string | null;
  provenance?: 'metered' | 'billed' | 'provider_usage';
  granularity?: 'request' | 'hour' | 'day';
  requests?: number;
  /** JSON object of tags, as the proxy writes them (`{"routed_from":"gpt-4o"}` on a routed request). */
  tags?: Record<string, string>;
  user?: string | null;
  /** The proxy's `key-sha256:…` of the caller's key, which attribution rules may read. */
  apiKey?: string | null;
  workspace?: string | null;
  account?: string | null;
  /** The upstream's HTTP status, as the proxy records it. */
  statusCode?: number | null;
  /** Default `priced` (`unpriced` when costTicks is null); `estimated` as the proxy writes a cut stream. */
  costStatus?: 'priced' | 'estimated';
}

let serial = 0;

export function insertRows(path: string, rows: readonly RequestRowInput[]): void {
  const db = new Database(path);
  db.pragma('busy_timeout = 5000');
  const insert = db.prepare(`insert into usage_entries (provenance, source, dedupe_key, provider, model, model_requested, matched_model, ts, granularity, requests,
    input_tokens, uncached_input_tokens, output_tokens, cost_usd, cost_ticks, cost_status, team, agent, feature, customer, trace_id, created_at, tags, status_code, user, workspace, account, request_id, api_key)
    values (?, 'proxy', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  db.transaction(() => {
    for (const r of rows) {
      const usd = r.costTicks === null ? null : (Number(r.costTicks) / 1e10).toString();
      insert.run(r.provenance ?? 'metered', `test-${process.pid}-${serial++}`, r.provider ?? 'anthropic', r.model ?? 'claude-haiku-4-5', r.modelRequested ?? null, r.matchedModel ?? null, r.ts,
        r.granularity ?? 'request', r.requests ?? 1, r.inputTokens ?? 1000, r.inputTokens ?? 1000, r.outputTokens ?? 100, usd, r.costTicks, r.costTicks === null ? 'unpriced' : (r.costStatus ?? 'priced'),
        r.team ?? null, r.agent ?? null, r.feature ?? null, r.customer ?? null, r.trace ?? null, new Date().toISOString(),
        r.tags === undefined ? null : JSON.stringify(r.tags), r.statusCode ?? null, r.user ?? null, r.workspace ?? null, r.account ?? null, r.requestId ?? null, r.apiKey ?? null);
    }
  })();
  db.close();
}
