/**
 * Background responses the ledger still holds as pending estimates, read back so that a
 * proxy that did not see them created — this one after a restart, or another proxy on the
 * same ledger — re-prices them when it sees them end (background-responses.ts).
 *
 * Two reads, both bounded by the index on `ts`: at start, the pending proxy rows of the
 * re-pricing window (the last BACKGROUND_FORGET_MS); and, on a retrieval of a response
 * this proxy does not hold that shows it ended with usage, the pending row of that one
 * response id, looked for around the time the provider says it was created. Neither
 * runs on a billed request's path.
 *
 * A row read back becomes the same held entry the create's own proxy keeps (its outcome
 * and prompt as recorded in the row and its raw_usage), so that its re-pricing writes the
 * same columns the same way. It has no reservation: its estimate is already in the spend
 * the budgets read from the ledger at start — when it was there before this proxy started.
 */
import { sql } from 'kysely';
import type { LedgerStore } from '../../ledger/ledger-store.js';
import type { UsageEntry } from '../../ledger/ledger-schema.js';
import { isoTime } from '../iso-time.js';
import type { AttemptCost, AttemptOutcome } from '../ledger/attempt-entry.js';
import { HEADER_ATTRIBUTION_COLUMNS } from '../request/attribution-headers.js';
import { CATALOGUE_MODEL } from '../../attribution/recorded-only-dimensions.js';
import type { PromptFeatures } from '../request/prompt-features.js';
import type { Upstream, UpstreamTable } from '../upstreams/upstream-table.js';

/** The columns a held entry is rebuilt from. */
const COLUMNS = [
  'dedupe_key', 'provider', 'model', 'model_requested', 'matched_model', 'ts', 'ts_end', 'input_tokens', 'output_tokens', 'raw_usage', 'cost_usd', 'cost_ticks', 'cost_status',
  'description', 'team', 'feature', 'customer', 'agent', 'project', 'environment', 'api_key', 'user', 'trace_id', 'tags', 'request_id', 'latency_ms', 'ttfb_ms',
  'status_code', 'prompt_hash',
] as const;

export type PendingRow = Pick<UsageEntry, (typeof COLUMNS)[number]> & { latency_ms: number | null; ttfb_ms: number | null; status_code: number | null; prompt_hash: string | null };

/**
 * A proxy row, as a condition SQLite does not look up an index for (the unary plus): the
 * (source, dedupe_key) index would otherwise be chosen for `source =`, and every proxy row
 * of the ledger read, instead of the range of the ts index.
 */
const proxyRows = sql<boolean>`+source = 'proxy'`;

/**
 * A proxy row whose raw_usage says its background response is still running (the writer's
 * replacement matches the same). Such a row is an estimate (or unpriced: a model without a
 * price), and that column is read before raw_usage is parsed: on a ledger with a million
 * rows in the window, the read takes about 350 ms instead of 550.
 */
const pending = sql<boolean>`cost_status in ('estimated', 'unpriced') and json_extract(raw_usage, '$.background.status') in ('queued', 'in_progress')`;

/**
 * The pending background rows written at or after `since` (ms), newest first, at most
 * `limit`: one range read of the ts index, each row of the range checked once.
 */
export async function pendingBackgroundRows(ledger: LedgerStore, since: number, limit: number): Promise<PendingRow[]> {
  const rows = await ledger.db
    .selectFrom('usage_entries')
    .select([...COLUMNS])
    .where('ts', '>=', isoTime(since))
    .where(proxyRows)
    .where(pending)
    .orderBy('ts', 'desc')
    .limit(limit)
    .execute();
  return rows as PendingRow[];
}

/** The pending row of response `id` created on `upstream`, written between `from` and `to` (ms). */
export async function pendingBackgroundRow(ledger: LedgerStore, upstream: string, id: string, from: number, to: number): Promise<PendingRow | undefined> {
  const row = await ledger.db
    .selectFrom('usage_entries')
    .select([...COLUMNS])
    .where('ts', '>=', isoTime(from))
    .where('ts', '<=', isoTime(to))
    .where(proxyRows)
    .where(sql<boolean>`json_extract(raw_usage, '$.background.id') = ${id}`)
    .where(sql<boolean>`json_extract(raw_usage, '$.upstream') = ${upstream}`)
    .where(pending)
    .limit(1)
    .executeTakeFirst();
  return row as PendingRow | undefined;
}

/** What a held entry needs, rebuilt from its row. */
export interface RowHeld {
  outcome: AttemptOutcome;
  prompt: PromptFeatures;
  estimate: AttemptCost;
  /** The gate's dimensions of the create (forward-llm-request.ts `gateDims`), to move a budget from the estimate to the real cost. */
  dims: Record<string, string>;
}

interface RawUsage {
  endpoint?: unknown;
  upstream?: unknown;
  stream?: unknown;
  prompt?: { chars?: unknown; has_code?: unknown; messages?: unknown; text?: unknown };
  output_chars?: unknown;
  routing?: unknown;
  background?: { id?: unknown; status?: unknown };
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/**
 * The held entry of a pending row, or undefined when it cannot be re-priced here: raw_usage
 * unreadable, or its upstream not configured in this proxy (a retrieval could not reach it).
 */
export function heldFromRow(row: PendingRow, upstreams: UpstreamTable): RowHeld | undefined {
  let raw: RawUsage;
  try {
    raw = JSON.parse(row.raw_usage ?? '') as RawUsage;
  } catch {
    return undefined;
  }
  const b = raw.background;
  if (b === undefined || typeof b.id !== 'string' || typeof b.status !== 'string' || typeof raw.upstream !== 'string') return undefined;
  const upstream: Upstream | undefined = upstreams.byName.get(raw.upstream);
  if (upstream === undefined) return undefined;
  const hash = row.dedupe_key.lastIndexOf('#');
  const requestId = hash === -1 ? row.dedupe_key : row.dedupe_key.slice(0, hash);
  const attempt = hash === -1 ? 1 : Number(row.dedupe_key.slice(hash + 1)) || 1;
  const startedAt = Date.parse(row.ts);
  const endedAt = row.ts_end === null ? startedAt : Date.parse(row.ts_end);

  const columns: AttemptOutcome['attribution']['columns'] = {};
  for (const c of HEADER_ATTRIBUTION_COLUMNS) {
    const v = row[c];
    if (typeof v === 'string') columns[c] = v;
  }
  let tags: Record<string, string> = {};
  if (row.tags !== null) {
    try {
      tags = JSON.parse(row.tags) as Record<string, string>;
    } catch {
      tags = {};
    }
  }
  const prompt: PromptFeatures = {
    hash: row.prompt_hash ?? '',
    chars: num(raw.prompt?.chars),
    hasCode: raw.prompt?.has_code === true,
    messages: num(raw.prompt?.messages),
    ...(typeof raw.prompt?.text === 'string' ? { text: raw.prompt.text } : {}),
  };
  const model = row.model ?? undefined;
  const outcome: AttemptOutcome = {
    requestId,
    attempt,
    startedAt,
    endedAt,
    latencyMs: row.latency_ms ?? endedAt - startedAt,
    ttfbMs: row.ttfb_ms ?? undefined,
    endpoint: typeof raw.endpoint === 'string' ? raw.endpoint : '/v1/responses',
    upstream,
    modelRequested: row.model_requested ?? undefined,
    // The model recorded: the one sent (after any downgrade), as the estimate named it.
    modelSent: model,
    stream: raw.stream === true,
    statusCode: row.status_code ?? 200,
    responded: true,
    usage: undefined,
    outputChars: num(raw.output_chars),
    promptChars: prompt.chars,
    attribution: { columns, tags },
    apiKeyId: row.api_key ?? undefined,
    failure: undefined,
    ...(raw.routing !== undefined ? { routing: raw.routing } : {}),
    // The estimate assumed the whole output cap: its output tokens.
    background: { id: b.id, status: b.status, outputCap: row.output_tokens },
  };
  const estimate: AttemptCost = {
    costTicks: row.cost_ticks === null ? null : BigInt(row.cost_ticks),
    costUsd: row.cost_usd,
    costStatus: row.cost_status,
    consumed: true,
    model,
    // Only the estimate's cost is read back (the row keeps its own service_tier and region).
    serviceTier: undefined,
    region: undefined,
    source: 'estimated',
    description: row.description,
    cols: undefined,
  };
  const dims: Record<string, string> = { ...tags };
  for (const [k, v] of Object.entries(columns)) if (v !== undefined) dims[k] = v;
  dims.provider = upstream.provider;
  if (model !== undefined) dims.model = model;
  // The catalogue model its estimate was priced as: a budget on the model holds it (budget-scope.ts).
  if (row.matched_model !== null) dims[CATALOGUE_MODEL] = row.matched_model;
  else delete dims[CATALOGUE_MODEL];
  dims.upstream = upstream.name;
  // A proxy key is recorded by its name; a client's own key by a fingerprint, which no budget names.
  if (row.api_key !== null && !row.api_key.startsWith('key-sha256:')) dims.key = row.api_key;
  return { outcome, prompt, estimate, dims };
}
