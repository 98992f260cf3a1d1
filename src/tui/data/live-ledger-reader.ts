/**
 * The dashboard's only SQL. Every query is bounded by an index: new rows by primary key
 * (`id > watermark`, a bounded batch), the seeds over a time range by the `ts` index,
 * and nothing is ever written, so a read-only connection can watch a ledger that
 * proxies are writing without slowing them (WAL readers never wait for the writer).
 */
import { sql } from 'kysely';
import type { LedgerStore } from '../../ledger/ledger-store.js';
import { IDENTIFIER_COLUMNS } from '../../ledger/ledger-schema.js';
import { COUNTED_REQUESTS } from '../../ledger/queries/failed-attempt.js';
import { routedFrom, tagLatency, type LiveRow } from './live-row.js';
import { REPRICED_KEY } from '../../repricing/repriced-mark.js';

/** Identifier fields a group may be decided from, and the column behind each. */
const FIELD_COLUMNS: Readonly<Record<string, string>> = IDENTIFIER_COLUMNS;

/** One minute of one identifier combination's spend (for the group sparklines). */
export interface MinuteGroupRow {
  /** Epoch minute (ms / 60000). */
  minute: number;
  /** Field (`team`, `tags`, `trace`…) → value. */
  ids: Record<string, string | null>;
  costTicks: bigint;
  /** Less the attempts that failed before the model ran (failed-attempt.ts), as a report counts. */
  requests: number;
  /** Rows without a price in the minute: their cost is unknown, not in costTicks. */
  unpriced: number;
  provider: string;
  provenance: string;
  rows: number;
  /** Request-level rows (a proxy's, a log's), not an export's hour or day bucket. */
  requestLevel: boolean;
}

/** Optional columns a newer ledger schema may have; read when present. */
interface ExtraColumns {
  latency: boolean;
  routedFrom: boolean;
  promptHash: boolean;
  statusCode: boolean;
}

type RawRow = Record<string, unknown>;

/** The columns a LiveRow is read from, in the order of the JSON array each row is read as. */
const LIVE_COLUMNS = [
  'id', 'ts', 'provider', 'source', 'provenance', 'charge_category', 'granularity', 'model', 'model_requested', 'matched_model', 'requests', 'input_tokens',
  'output_tokens', 'cost_ticks', 'cost_status', 'team', 'feature', 'customer', 'agent', 'project', 'environment', 'api_key', 'account', 'workspace', 'user',
  'trace_id', 'tags', 'latency_ms', 'routed_from', 'prompt_hash', 'status_code',
] as const;
type LiveColumn = (typeof LIVE_COLUMNS)[number];
/** Each column's place in the array. */
const AT = Object.fromEntries(LIVE_COLUMNS.map((c, i) => [c, i])) as Record<LiveColumn, number>;

const str = (v: unknown): string | null => (v === null || v === undefined || v === '' ? null : String(v));

export class LiveLedgerReader {
  readonly #ledger: LedgerStore;
  #extra: ExtraColumns = { latency: false, routedFrom: false, promptHash: false, statusCode: false };
  #select = '';

  constructor(ledger: LedgerStore) {
    this.#ledger = ledger;
    this.#select = this.#columns();
  }

  /**
   * Keeps SQLite's page cache small: the reads are narrow (new rows, a seed once), and
   * the driver's default 16 MB cache would mostly hold pages never read again.
   */
  async limitCache(kib: number): Promise<void> {
    await sql`pragma cache_size = ${sql.raw(String(-Math.abs(Math.trunc(kib))))}`.execute(this.#ledger.db);
  }

  /** Returns memory SQLite holds but no longer needs (after the seed's large reads). */
  async shrinkMemory(): Promise<void> {
    await sql`pragma shrink_memory`.execute(this.#ledger.db);
  }

  /** Looks for columns added by later migrations (latency_ms, routed_from, prompt_hash, status_code). */
  async detectColumns(): Promise<void> {
    const result = await sql<{ name: string }>`select name from pragma_table_info('usage_entries')`.execute(this.#ledger.db);
    const names = new Set(result.rows.map((r) => r.name));
    this.#extra = { latency: names.has('latency_ms'), routedFrom: names.has('routed_from'), promptHash: names.has('prompt_hash'), statusCode: names.has('status_code') };
    this.#select = this.#columns();
  }

  /**
   * A row's requests as report counts them: none for an attempt the upstream refused before
   * the model ran (failed-attempt.ts), which the proxy records as a row of its own, so that
   * a retried 503 neither adds a request nor lowers cost per request.
   */
  #requests(): string {
    return this.#extra.statusCode ? COUNTED_REQUESTS : 'requests';
  }

  /**
   * A row's columns as one JSON array (json_array), in the order of LIVE_COLUMNS. better-sqlite3
   * makes a row object property by property, and an object of 31 columns (BigInts for its
   * integers, as the ledger reads them) took ~17 µs a row to read; one text column, parsed
   * to an array, takes ~3, and the poll reads every row the proxies write. The ticks are
   * cast to text, as a JSON number above 2^53 would be rounded; the other integers (ids,
   * tokens, milliseconds, a status) are far below it.
   */
  #columns(): string {
    const columns: Record<LiveColumn, string> = {
      id: 'id', ts: 'ts', provider: 'provider', source: 'source', provenance: 'provenance', charge_category: 'charge_category', granularity: 'granularity',
      model: 'model', model_requested: 'model_requested', matched_model: 'matched_model', requests: this.#requests(), input_tokens: 'input_tokens', output_tokens: 'output_tokens',
      cost_ticks: 'cast(cost_ticks as text)', cost_status: 'cost_status', team: 'team', feature: 'feature', customer: 'customer', agent: 'agent', project: 'project',
      environment: 'environment', api_key: 'api_key', account: 'account', workspace: 'workspace', user: 'user', trace_id: 'trace_id', tags: 'tags',
      latency_ms: this.#extra.latency ? 'latency_ms' : 'null',
      routed_from: this.#extra.routedFrom ? 'routed_from' : 'null',
      prompt_hash: this.#extra.promptHash ? 'prompt_hash' : 'null',
      status_code: this.#extra.statusCode ? 'status_code' : 'null',
    };
    return `json_array(${LIVE_COLUMNS.map((c) => columns[c]).join(', ')}) as r`;
  }

  /** The newest row id (the primary key's last entry: no scan). */
  async maxId(): Promise<number> {
    const result = await sql<{ top: number | null }>`select max(id) as top from usage_entries`.execute(this.#ledger.db);
    return Number(result.rows[0]?.top ?? 0);
  }

  /**
   * A mark that changes whenever an import lands or is undone (`llmfin import`, `--undo`) or
   * the ledger is re-priced (`llmfin pricing reprice`): those add, replace, remove or re-cost
   * rows below the watermark and invoices, which reading new rows by id cannot see. The
   * batch count alone would miss an undo followed by an import that reuses the freed id, so
   * the newest batch's id and time are part of it.
   */
  async moneyMark(): Promise<string> {
    const result = await sql<{ n: number; last: number | null; at: string | null; repriced: string | null }>`select count(*) as n, max(id) as last, max(imported_at) as at,
        (select value from meta where key = ${REPRICED_KEY}) as repriced from import_batches`.execute(this.#ledger.db);
    const r = result.rows[0];
    return `${r?.n ?? 0}:${r?.last ?? 0}:${r?.at ?? ''}:${r?.repriced ?? 0}`;
  }

  /** Up to `limit` rows after `afterId`, oldest first. */
  async rowsAfter(afterId: number, limit: number): Promise<LiveRow[]> {
    const result = await sql<RawRow>`select ${sql.raw(this.#select)} from usage_entries where id > ${afterId} order by id limit ${limit}`.execute(this.#ledger.db);
    return result.rows.map(toLiveRow);
  }

  /** The `limit` newest rows at or below `maxId`, oldest first. */
  async latest(maxId: number, limit: number): Promise<LiveRow[]> {
    const result = await sql<RawRow>`select ${sql.raw(this.#select)} from usage_entries where id <= ${maxId} order by id desc limit ${limit}`.execute(this.#ledger.db);
    return result.rows.map(toLiveRow).reverse();
  }

  /** The costliest single requests since `since` (ts index range, then a top-N sort). */
  async costliestSince(since: string, maxId: number, limit: number): Promise<LiveRow[]> {
    const result = await sql<RawRow>`select ${sql.raw(this.#select)} from usage_entries
      where ts >= ${since} and id <= ${maxId} and granularity = 'request' and cost_ticks is not null
      order by cost_ticks desc limit ${limit}`.execute(this.#ledger.db);
    return result.rows.map(toLiveRow);
  }

  /**
   * Spend per minute since `since`, grouped by the identifier `fields` a group is decided
   * from (attribution rules may read more than the dimension's own column).
   */
  async minuteGroups(fields: readonly string[], since: string, maxId: number): Promise<MinuteGroupRow[]> {
    const known = [...new Set(fields.map((f) => (f.startsWith('tags.') ? 'tags' : f)))].filter((f) => FIELD_COLUMNS[f] !== undefined);
    const cols = known.map((f, i) => `"${FIELD_COLUMNS[f]}" as c${i}`);
    const groupBy = Array.from({ length: 4 + known.length }, (_, i) => String(i + 1)).join(', ');
    const result = await sql<RawRow>`select substr(ts, 1, 16) as minute, provider, provenance, granularity = 'request' as request_level${sql.raw(cols.length ? `, ${cols.join(', ')}` : '')},
      coalesce(sum(cost_ticks), 0) as cost_ticks, sum(${sql.raw(this.#requests())}) as requests, sum(cost_ticks is null) as unpriced, count(*) as n
      from usage_entries where ts >= ${since} and id <= ${maxId} and charge_category = 'usage'
      group by ${sql.raw(groupBy)}`.execute(this.#ledger.db);
    return result.rows.map((r) => {
      const ids: Record<string, string | null> = {};
      known.forEach((f, i) => (ids[f] = str(r[`c${i}`])));
      return {
        minute: Math.floor(Date.parse(`${String(r.minute)}:00.000Z`) / 60_000),
        ids,
        costTicks: BigInt((r.cost_ticks as bigint | number | null) ?? 0),
        requests: Number(r.requests ?? 0),
        unpriced: Number(r.unpriced ?? 0),
        provider: String(r.provider),
        provenance: String(r.provenance),
        rows: Number(r.n),
        requestLevel: Number(r.request_level) === 1,
      };
    });
  }
}

/** A row read as `json_array(...) as r` (see #columns). */
function toLiveRow(raw: RawRow): LiveRow {
  const r = JSON.parse(String(raw.r)) as unknown[];
  const tags = str(r[AT.tags]);
  const latency = r[AT.latency_ms];
  const costTicks = r[AT.cost_ticks];
  const status = r[AT.status_code];
  return {
    id: Number(r[AT.id]),
    ts: String(r[AT.ts]),
    provider: String(r[AT.provider]),
    source: String(r[AT.source]),
    provenance: String(r[AT.provenance]),
    chargeCategory: String(r[AT.charge_category]),
    granularity: String(r[AT.granularity]),
    model: str(r[AT.model]),
    modelRequested: str(r[AT.model_requested]),
    matchedModel: str(r[AT.matched_model]),
    requests: Number(r[AT.requests] ?? 1),
    inputTokens: Number(r[AT.input_tokens] ?? 0),
    outputTokens: Number(r[AT.output_tokens] ?? 0),
    costTicks: costTicks === null || costTicks === undefined ? null : BigInt(costTicks as string),
    estimated: r[AT.cost_status] === 'estimated',
    team: str(r[AT.team]),
    feature: str(r[AT.feature]),
    customer: str(r[AT.customer]),
    agent: str(r[AT.agent]),
    project: str(r[AT.project]),
    environment: str(r[AT.environment]),
    apiKey: str(r[AT.api_key]),
    account: str(r[AT.account]),
    workspace: str(r[AT.workspace]),
    user: str(r[AT.user]),
    trace: str(r[AT.trace_id]),
    tags,
    latencyMs: latency === null || latency === undefined ? tagLatency(tags) : Number(latency),
    routedFrom: routedFrom(str(r[AT.routed_from]), tags),
    promptHash: str(r[AT.prompt_hash]),
    statusCode: status === null || status === undefined ? null : Number(status),
  };
}
