/**
 * One day of a LiteLLM daily-activity report as ledger rows: a row per model and API key
 * (the report's `breakdown.models[m].api_key_breakdown`), and a row for the model's rest
 * when its keys do not add up to it (calls made without a key, or a model with no key
 * breakdown at all). Tokens follow LiteLLM's convention (prompt_tokens include cache reads
 * and writes); its `spend` is its own estimate, kept beside llmfin's catalogue price as
 * the reported cost, as for spend logs.
 */
import type { NewUsageEntry } from '../../ledger/ledger-schema.js';
import { dec } from '../../shared/money.js';
import { buildEntry } from '../entry-builder.js';
import type { ImportContext } from '../importer.js';
import { DISJOINT, LEDGER_LIKE, litellmModelId, providerOf } from '../litellm/litellm-row.js';

type Json = Record<string, unknown>;

export type DayResult = { ok: true; entries: NewUsageEntry[] } | { ok: false; column: string; message: string };

const obj = (v: unknown): Json => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

/** The metrics this importer reads, as whole numbers (tokens, requests) and a decimal (spend). */
interface Metrics {
  spend: string;
  prompt: number;
  completion: number;
  cacheRead: number;
  cacheWrite: number;
  requests: number;
}

const COUNTS = { prompt: 'prompt_tokens', completion: 'completion_tokens', cacheRead: 'cache_read_input_tokens', cacheWrite: 'cache_creation_input_tokens', requests: 'api_requests' } as const;

/** `where`: the path of `v` in the day, for messages; '' for the day itself. */
function metricsOf(v: unknown, where: string): Metrics | { column: string; message: string } {
  const m = obj(obj(v).metrics);
  const at = where === '' ? 'metrics' : `${where}.metrics`;
  const spend = m.spend ?? 0;
  if (typeof spend !== 'number' || !Number.isFinite(spend) || spend < 0) return { column: `${at}.spend`, message: `expected an amount in USD, got ${JSON.stringify(spend)}` };
  const out: Metrics = { spend: dec(spend).toFixed(), prompt: 0, completion: 0, cacheRead: 0, cacheWrite: 0, requests: 0 };
  for (const [key, name] of Object.entries(COUNTS) as Array<[keyof typeof COUNTS, string]>) {
    const n = m[name] ?? 0;
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) return { column: `${at}.${name}`, message: `expected a whole number, got ${JSON.stringify(n)}` };
    out[key] = n;
  }
  return out;
}

const minus = (a: Metrics, b: Metrics): Metrics => ({
  spend: dec(a.spend).minus(b.spend).toFixed(),
  prompt: a.prompt - b.prompt,
  completion: a.completion - b.completion,
  cacheRead: a.cacheRead - b.cacheRead,
  cacheWrite: a.cacheWrite - b.cacheWrite,
  requests: a.requests - b.requests,
});
/**
 * LiteLLM adds a day's spend up in floating point, so its total may differ from the sum of
 * its models' by a trace (0.30000000000000004 against 0.1 + 0.2): a rest of less than this,
 * with no tokens or requests, is that and not spend of its own.
 */
const SPEND_NOISE = '0.000001';

/** A rest (a whole less its parts) of no usage: no counts, and spend within SPEND_NOISE of none. */
const negligible = (m: Metrics) => m.prompt === 0 && m.completion === 0 && m.cacheRead === 0 && m.cacheWrite === 0 && m.requests === 0 && dec(m.spend).abs().lessThan(SPEND_NOISE);

const isEmpty = (m: Metrics) => dec(m.spend).isZero() && m.prompt === 0 && m.completion === 0 && m.cacheRead === 0 && m.cacheWrite === 0 && m.requests === 0;
const isNegative = (m: Metrics) => dec(m.spend).isNegative() || m.prompt < 0 || m.completion < 0 || m.cacheRead < 0 || m.cacheWrite < 0 || m.requests < 0;

/** `account` scopes the day's replacement: the entity (user, team) the report is about. */
export function readActivityDay(day: unknown, account: string | null, ctx: ImportContext): DayResult {
  const d = obj(day);
  const date = str(d.date);
  if (date === null || !/^\d{4}-\d\d-\d\d$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) {
    return { ok: false, column: 'date', message: `expected a day (YYYY-MM-DD), got ${JSON.stringify(d.date ?? null)}` };
  }
  const ts = `${date}T00:00:00.000Z`;
  const tsEnd = new Date(Date.parse(ts) + 86_400_000).toISOString();
  const at = new Date(ts);
  const breakdown = obj(d.breakdown);
  const keys = obj(breakdown.api_keys);
  const entries: NewUsageEntry[] = [];

  /** `keyless`: the model's rest beside its keys (calls made without a key). `model` '': the day's rest beside its models. */
  const row = (model: string, key: string | null, m: Metrics, keyless = false): NewUsageEntry => {
    const meta = key === null ? {} : obj(obj(keys[key]).metadata);
    const cached = m.cacheRead + m.cacheWrite;
    // Money with no tokens (a provisioned-throughput model, an image call): unpriced, never $0.
    const tokenless = m.prompt === 0 && m.completion === 0 && cached === 0 && !dec(m.spend).isZero();
    const entry = buildEntry(
      {
        source: 'litellm-activity',
        provenance: 'metered',
        // The entity is part of the key: two users' reports share days, models and even keys.
        dedupeKey: `${account ?? ''}|${date}|${model}|${key ?? ''}`,
        provider: providerOf({}, model, ctx, at),
        ts,
        tsEnd,
        granularity: 'day',
        model: model === '' ? null : litellmModelId(model, ''),
        account,
        requests: m.requests,
        usage: tokenless ? undefined : { input: m.prompt, output: m.completion, cacheRead: m.cacheRead, cacheWrite5m: m.cacheWrite, requests: m.requests },
        convention: m.prompt >= cached ? LEDGER_LIKE : DISJOINT,
        description: model === '' ? DAY_REST : tokenless ? "no token counts; LiteLLM's spend is the reported cost" : keyless ? 'calls without an API key in the report' : undefined,
        dims: {
          api_key: str(meta.key_alias) ?? key,
          team: str(meta.team_id),
          user: str(meta.user_id),
        },
        raw: { convention: 'litellm daily activity (prompt includes cache)', date, model, api_key: key, spend: m.spend, prompt_tokens: m.prompt, completion_tokens: m.completion, cache_read_input_tokens: m.cacheRead, cache_creation_input_tokens: m.cacheWrite, api_requests: m.requests },
      },
      ctx,
    );
    // LiteLLM's spend is its own estimate: kept beside ours, never as the row's cost.
    entry.reported_cost_usd = m.spend;
    return entry;
  };

  // The day's own metrics less its models': usage the model breakdown leaves out (a report
  // saved without it) is kept as a row of no model, not dropped. A day without metrics has none.
  let dayRest: Metrics | undefined;
  if (d.metrics !== undefined) {
    const day = metricsOf(d, '');
    if ('column' in day) return { ok: false, ...day };
    dayRest = day;
  }
  for (const [model, v] of Object.entries(obj(breakdown.models))) {
    const where = `breakdown.models.${model}`;
    const total = metricsOf(v, where);
    if ('column' in total) return { ok: false, ...total };
    let rest = total;
    const byKey = Object.entries(obj(obj(v).api_key_breakdown));
    for (const [key, kv] of byKey) {
      const m = metricsOf(kv, `${where}.api_key_breakdown.${key}`);
      if ('column' in m) return { ok: false, ...m };
      if (!isEmpty(m)) entries.push(row(model, key, m));
      rest = minus(rest, m);
    }
    if (!negligible(rest)) {
      if (isNegative(rest)) return { ok: false, column: `${where}.api_key_breakdown`, message: `expected its keys to add up to at most the model's own metrics, got more (${JSON.stringify(rest)})` };
      entries.push(row(model, null, rest, byKey.length > 0));
    }
    if (dayRest !== undefined) dayRest = minus(dayRest, total);
  }
  if (dayRest !== undefined) {
    if (negligible(dayRest)) return { ok: true, entries };
    if (isNegative(dayRest)) return { ok: false, column: 'breakdown.models', message: `expected the models to add up to at most the day's own metrics, got more (${JSON.stringify(dayRest)})` };
    entries.push(row('', null, dayRest));
  }
  return { ok: true, entries };
}

/** What a row of the day's usage beside its models is. */
const DAY_REST = "usage the report gives for the day but not under any model (breakdown.models): LiteLLM's spend is the reported cost";
