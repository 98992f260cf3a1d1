/**
 * Reads one recorded run out of the ledger as token slices per group: the metered
 * rows (the proxy's, or llmfin JSONL imports of them), optionally only those tagged
 * `run_id`, summed in SQL by model, service tier, region and the identifiers the group
 * dimension depends on — so a run of 100,000 requests comes back as a few dozen rows.
 */
import { sql } from 'kysely';
import type { Attributor } from '../attribution/attributor.js';
import type { Identifiers } from '../attribution/identifiers.js';
import type { LedgerStore } from '../ledger/ledger-store.js';
import { FAILED_ATTEMPT } from '../ledger/queries/failed-attempt.js';
import { UsageError } from '../shared/errors.js';
import { dec, ticksToUsd } from '../shared/money.js';
import type { TokenSlice } from './baseline-schema.js';
import { DIMENSION_COLUMNS } from '../ledger/ledger-schema.js';
import type { LongContextSplit } from './reprice.js';

export const GROUP_DIMENSIONS = ['feature', 'scenario', 'model'] as const;
export type GroupDimension = (typeof GROUP_DIMENSIONS)[number];

/** The group a request without the dimension falls into. */
export const NO_GROUP = '(none)';

export interface RunQuery {
  by: GroupDimension;
  /** Only rows whose tags carry `run_id` = this value. */
  runId?: string | undefined;
  /** Inclusive start, canonical ISO instant. */
  since?: string | undefined;
  /** Exclusive end, canonical ISO instant. */
  until?: string | undefined;
  /**
   * Split each group's requests at the models' long-context thresholds (each slice then
   * carries `long_context_above`); without it, slices are not split and carry no such field.
   */
  split?: LongContextSplit | undefined;
}

export interface RunUsage {
  /** Group name → its slices, sorted. */
  groups: Map<string, TokenSlice[]>;
  /** The last request's time (prices are looked up then); null for an empty run. */
  lastTs: string | null;
  rows: number;
  /** Attempts the upstream answered with an error before any token ran: not requests, left out. */
  failedAttempts: number;
}

/** Identifier columns a rule may match on, as the ledger names them. */
const COLUMN_OF: Readonly<Record<string, string>> = DIMENSION_COLUMNS;

const TAG_KEY = /^[A-Za-z0-9_.-]+$/;

/** Sums the run's metered usage rows per group and slice. */
export async function readRunUsage(ledger: LedgerStore, attributor: Attributor, query: RunQuery): Promise<RunUsage> {
  // The identifiers that decide the group: for `scenario`, the tag and, as a fallback, the feature.
  const dims = query.by === 'scenario' ? ['scenario', 'feature'] : [query.by];
  const fields = [...new Set(dims.flatMap((d) => attributor.fieldsFor(d)))].filter((f) => f !== 'provider' && f !== 'model');
  const columns = fields.filter((f) => !f.startsWith('tags.') && COLUMN_OF[f] !== undefined);
  const tagKeys = fields.filter((f) => f.startsWith('tags.')).map((f) => f.slice(5)).filter((k) => TAG_KEY.test(k));

  const idSelects = [
    ...columns.map((c, i) => sql`${sql.ref(COLUMN_OF[c]!)} as ${sql.raw(`c${i}`)}`),
    ...tagKeys.map((k, i) => sql`json_extract(tags, ${`$."${k}"`}) as ${sql.raw(`t${i}`)}`),
  ];
  const keys = [...columns.map((_, i) => sql.raw(`c${i}`)), ...tagKeys.map((_, i) => sql.raw(`t${i}`))];
  const filters = [
    sql`provenance = 'metered'`,
    sql`charge_category = 'usage'`,
    ...(query.runId !== undefined ? [sql`json_extract(tags, '$.run_id') = ${query.runId}`] : []),
    ...(query.since !== undefined ? [sql`ts >= ${query.since}`] : []),
    ...(query.until !== undefined ? [sql`ts < ${query.until}`] : []),
  ];
  // The proxy records an attempt the upstream refused (a 429 or 503 the SDK then retried, a
  // 400) as a $0 row of one request. Counted, each would lower the cost per request: a run
  // whose calls are retried once would hide a doubled prompt. They ran no model: left out.
  // Counted in the same pass as the rest, as a group of their own; the rule is report's (failed-attempt.ts).
  const failed = sql.raw(FAILED_ATTEMPT);
  let failedAttempts = 0;
  // Which band between the catalogue's long-context thresholds each row's requests fall in:
  // the input per request as the cost engine judges a tier (an aggregate's average, rounded up).
  const perRequest = sql`(case when requests > 1 then (input_tokens + requests - 1) / requests else input_tokens end)`;
  const thresholds = query.split?.thresholds ?? [];
  const band = thresholds.length
    ? sql.join(thresholds.map((t) => (t.compare === 'gte' ? sql`(${perRequest} >= ${t.above})` : sql`(${perRequest} > ${t.above})`)), sql` + `)
    : sql`0`;
  const result = await sql<Record<string, unknown>>`
    select ${failed} as failed, provider, coalesce(model, '') as model, service_tier, region, ${band} as band${idSelects.length ? sql`, ${sql.join(idSelects)}` : sql``},
      count(*) as n, sum(requests) as requests, sum(input_tokens) as input, sum(cache_read_tokens) as cache_read,
      sum(cache_write_5m_tokens) as cache_write_5m, sum(cache_write_1h_tokens) as cache_write_1h,
      sum(input_audio_tokens) as input_audio, sum(input_image_tokens) as input_image, sum(output_tokens) as output,
      sum(reasoning_tokens) as reasoning, sum(output_audio_tokens) as output_audio, sum(output_image_tokens) as output_image,
      sum(web_search_requests) as web_searches, coalesce(sum(cost_ticks), 0) as cost_ticks, max(ts) as last_ts
    from usage_entries
    where ${sql.join(filters, sql` and `)}
    group by failed, provider, model, service_tier, region, band${keys.length ? sql`, ${sql.join(keys)}` : sql``}`.execute(ledger.db);

  const slices = new Map<string, Map<string, TokenSlice>>();
  let lastTs: string | null = null;
  let rows = 0;
  for (const r of result.rows) {
    if (Number(r.failed) === 1) {
      failedAttempts += Number(r.n);
      continue;
    }
    const ids: Identifiers = { provider: String(r.provider), model: String(r.model) || null };
    columns.forEach((c, i) => {
      const v = r[`c${i}`];
      (ids as Record<string, string | null>)[c] = v === null || v === undefined || v === '' ? null : String(v);
    });
    const tags: Record<string, string> = {};
    tagKeys.forEach((k, i) => {
      const v = r[`t${i}`];
      if (v !== null && v !== undefined && v !== '') tags[k] = String(v);
    });
    if (tagKeys.length > 0) ids.tags = JSON.stringify(tags);
    const group = groupOf(attributor, ids, query.by);

    const slice: TokenSlice = {
      provider: String(r.provider),
      model: String(r.model) || '(unknown)',
      service_tier: r.service_tier === null || r.service_tier === undefined ? null : String(r.service_tier),
      region: r.region === null || r.region === undefined ? null : String(r.region),
      requests: Number(r.requests),
      input: Number(r.input),
      cache_read: Number(r.cache_read),
      cache_write_5m: Number(r.cache_write_5m),
      cache_write_1h: Number(r.cache_write_1h),
      input_audio: Number(r.input_audio),
      input_image: Number(r.input_image),
      output: Number(r.output),
      reasoning: Number(r.reasoning),
      output_audio: Number(r.output_audio),
      output_image: Number(r.output_image),
      web_searches: Number(r.web_searches),
      recorded_cost_usd: ticksToUsd(BigInt(r.cost_ticks as bigint | number)).toFixed(),
    };
    // Several identifier combinations can land in one group and slice: add them up.
    let bySlice = slices.get(group);
    if (!bySlice) slices.set(group, (bySlice = new Map()));
    // Rows of one band are summed apart; after the loop, each band takes its model's tier.
    const key = `${sliceKey(slice)}\u0000${Number(r.band)}`;
    const prior = bySlice.get(key);
    bySlice.set(key, prior ? addSlices(prior, slice) : slice);
    rows += Number(r.n);
    const ts = String(r.last_ts);
    if (lastTs === null || ts > lastTs) lastTs = ts;
  }
  const groups = new Map<string, TokenSlice[]>();
  const split = query.split;
  for (const name of [...slices.keys()].sort()) {
    // Bands within one tier of the model (all of them, for a model without long-context
    // prices) are one slice again: a split only where the price changes.
    const byTier = new Map<string, TokenSlice>();
    for (const s of slices.get(name)!.values()) {
      const slice = split && lastTs !== null ? { ...s, long_context_above: split.tierOf(s, new Date(lastTs)) } : s;
      const key = sliceKey(slice);
      const prior = byTier.get(key);
      byTier.set(key, prior ? addSlices(prior, slice) : slice);
    }
    groups.set(name, [...byTier.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, s]) => s));
  }
  // Aggregate rows (a day's tokens, `requests` 0) have no per-request figures: compared as
  // they are, $0 a request against $0 a request, any growth would pass without a word.
  const uncounted = [...groups].filter(([, s]) => s.every((x) => x.requests === 0)).map(([name]) => `"${name}"`);
  if (uncounted.length > 0) {
    throw new UsageError(
      `no request count for ${query.by} ${uncounted.join(', ')}${query.runId !== undefined ? ` in run ${query.runId}` : ''}: its ledger rows are aggregates (requests 0), so there is no cost or tokens per request to compare`,
      { hint: 'record the run request by request through `llmfin proxy --run-id ID --record-only`, or import rows that carry "requests"' },
    );
  }
  return { groups, lastTs, rows, failedAttempts };
}

function groupOf(attributor: Attributor, ids: Identifiers, by: GroupDimension): string {
  if (by === 'model') return ids.model ?? NO_GROUP;
  if (by === 'scenario') return attributor.value(ids, 'scenario') ?? attributor.value(ids, 'feature') ?? NO_GROUP;
  return attributor.value(ids, 'feature') ?? NO_GROUP;
}

export function sliceKey(s: Pick<TokenSlice, 'provider' | 'model' | 'service_tier' | 'region' | 'long_context_above'>): string {
  // Zero-padded so that a part past a threshold sorts after the part below it.
  const context = s.long_context_above === undefined ? '' : s.long_context_above === null ? '0' : String(s.long_context_above).padStart(12, '0');
  return `${s.provider}\u0000${s.model}\u0000${s.service_tier ?? ''}\u0000${s.region ?? ''}\u0000${context}`;
}

export function addSlices(a: TokenSlice, b: TokenSlice): TokenSlice {
  return {
    ...a,
    requests: a.requests + b.requests,
    input: a.input + b.input,
    cache_read: a.cache_read + b.cache_read,
    cache_write_5m: a.cache_write_5m + b.cache_write_5m,
    cache_write_1h: a.cache_write_1h + b.cache_write_1h,
    input_audio: a.input_audio + b.input_audio,
    input_image: a.input_image + b.input_image,
    output: a.output + b.output,
    reasoning: a.reasoning + b.reasoning,
    output_audio: a.output_audio + b.output_audio,
    output_image: a.output_image + b.output_image,
    web_searches: a.web_searches + b.web_searches,
    recorded_cost_usd: dec(a.recorded_cost_usd).plus(dec(b.recorded_cost_usd)).toFixed(),
  };
}
