/**
 * One LiteLLM_SpendLogs row → one metered ledger row. Tokens are priced from the
 * catalogue in LiteLLM's normalised (OpenAI-style) convention: prompt_tokens include
 * cached tokens, completion_tokens include reasoning. LiteLLM's own `spend` is an
 * estimate from its price map, kept beside ours as the reported cost.
 */
import type { NewUsageEntry } from '../../ledger/ledger-schema.js';
import { CACHE_OUTSIDE_INPUT, LEDGER_CONVENTION, type ReportedUsage } from '../../pricing/token-usage.js';
import { dec } from '../../shared/money.js';
import { buildEntry } from '../entry-builder.js';
import type { ImportContext } from '../importer.js';
import { tagDims } from '../tag-dims.js';

export type RowResult = { ok: true; entry: NewUsageEntry } | { ok: false; column: string; message: string };

/** LiteLLM `custom_llm_provider` names → catalogue provider ids (others pass through lower-cased). */
const PROVIDERS: Record<string, string> = {
  openai: 'openai', text_completion_openai: 'openai', 'text-completion-openai': 'openai', chatgpt: 'openai',
  azure: 'azure', azure_ai: 'azure', azure_text: 'azure',
  anthropic: 'anthropic', anthropic_text: 'anthropic',
  bedrock: 'bedrock', bedrock_converse: 'bedrock',
  vertex_ai: 'vertex', vertex_ai_beta: 'vertex', 'vertex_ai-anthropic_models': 'vertex', 'vertex_ai-language-models': 'vertex',
  gemini: 'google', google_ai_studio: 'google',
  mistral: 'mistral', codestral: 'mistral', deepseek: 'deepseek', xai: 'xai', groq: 'groq',
  together_ai: 'together', fireworks_ai: 'fireworks', cohere: 'cohere', cohere_chat: 'cohere',
  cerebras: 'cerebras', perplexity: 'perplexity', moonshot: 'moonshotai',
};

/** Providers whose longer LiteLLM model paths carry meaning the catalogue reads (`bedrock/<region>/…`, `azure/eu/…`). */
const KEEP_PREFIX = new Set(['bedrock', 'azure']);

/** LiteLLM's prompt_tokens include cache reads and writes (it normalises every provider to this)… */
export const LEDGER_LIKE = LEDGER_CONVENTION;
/** …except on a provider path it did not normalise, where the prompt is smaller than its cache counts. */
export const DISJOINT = CACHE_OUTSIDE_INPUT;

type Json = Record<string, unknown>;

function text(v: unknown): string {
  if (v === null || v === undefined) return '';
  return typeof v === 'string' ? v.trim() : typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function obj(v: unknown): Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {};
}

function bad(column: string, expected: string, got: unknown): RowResult {
  const g = text(got);
  return { ok: false, column, message: `expected ${expected}, got ${g === '' ? 'nothing' : JSON.stringify(g.length > 60 ? `${g.slice(0, 60)}…` : g)}` };
}

/** A whole token count: JSON number, or text ("1200", "1200.0" from CSV exports); undefined when absent. */
function count(v: unknown): number | undefined | 'bad' {
  const t = text(v);
  if (t === '') return undefined;
  if (!/^\d+(\.0+)?$/.test(t)) return 'bad';
  const n = Number(t);
  return Number.isSafeInteger(n) ? n : 'bad';
}

/** LiteLLM times: ISO with or without zone (naive = UTC, as the proxy stores them), space-separated, or epoch. */
export function parseLiteLLMTime(v: unknown): string | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return new Date(v > 1e12 ? v : v * 1000).toISOString();
  const t = text(v);
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(\.\d+)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i.exec(t);
  if (!m) return undefined;
  const zone = m[4] === undefined ? 'Z' : /^[+-]\d{2}$/.test(m[4]) ? `${m[4]}:00` : m[4];
  const ms = m[3] === undefined ? '' : m[3].slice(0, 4).padEnd(4, '0');
  const date = new Date(`${m[1]}T${m[2]}${ms}${zone}`);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** A JSON value that CSV exports write as text. */
function structured(v: unknown): { ok: true; value: unknown } | { ok: false } {
  if (typeof v !== 'string') return { ok: true, value: v };
  if (v.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(v) };
  } catch {
    return { ok: false };
  }
}

/** `request_tags` / `metadata.tags`: ["feature:summarize", "prod"] → {feature: "summarize", prod: "true"}. */
function addTags(tags: Record<string, string>, list: unknown): void {
  if (!Array.isArray(list)) return;
  for (const item of list) {
    const t = text(item);
    if (t === '') continue;
    const colon = t.indexOf(':');
    if (colon > 0) tags[t.slice(0, colon).trim()] ??= t.slice(colon + 1).trim();
    else tags[t] ??= 'true';
  }
}

/** Postgres array text (`{a,b}`) as CSV exports of the table write `request_tags` when it is not JSON. */
function tagList(v: unknown): unknown[] | undefined {
  if (Array.isArray(v)) return v;
  const t = text(v);
  if (t === '') return [];
  const parsed = structured(t);
  if (parsed.ok) return Array.isArray(parsed.value) ? parsed.value : undefined;
  const pg = /^\{(.*)\}$/s.exec(t);
  return pg ? pg[1]!.split(',').map((s) => s.replace(/^"|"$/g, '')) : undefined;
}

/** The first part of a LiteLLM model path (`anthropic` of `anthropic/claude-haiku-4-5`), lower-cased; '' without one. */
function pathHead(model: string): string {
  const slash = model.indexOf('/');
  return slash > 0 ? model.slice(0, slash).toLowerCase() : '';
}

/** The catalogue provider of a LiteLLM model: its custom_llm_provider, its `provider/` prefix, or the catalogue's guess. */
export function providerOf(row: Json, model: string, ctx: ImportContext, at: Date): string {
  const raw = text(row.custom_llm_provider).toLowerCase();
  if (raw !== '') return PROVIDERS[raw] ?? raw;
  const head = pathHead(model);
  if (head !== '' && PROVIDERS[head]) return PROVIDERS[head];
  // No provider column: the catalogue names the provider of a model id it knows.
  const guess = ctx.pricer.price({ model, at, usage: { input: 0, output: 0 } });
  return guess.provider ?? 'unknown';
}

/**
 * The model id without the provider path LiteLLM routed by (`anthropic/claude-sonnet-4-5`):
 * stripped whether custom_llm_provider names it or only the prefix does, so one model is one
 * row in `report --by model` however the log spelt it. Bedrock's and Azure's longer paths
 * (`bedrock/<region>/…`, `azure/eu/…`) are kept: the catalogue reads them.
 */
export function litellmModelId(rawModel: string, customLlmProvider: string): string {
  const head = pathHead(rawModel);
  const routedBy = customLlmProvider.toLowerCase() || (PROVIDERS[head] !== undefined ? head : '');
  if (routedBy === '' || !rawModel.toLowerCase().startsWith(`${routedBy}/`)) return rawModel;
  const rest = rawModel.slice(routedBy.length + 1);
  return KEEP_PREFIX.has(routedBy) && rest.includes('/') ? rawModel : rest;
}

export function readSpendLog(row: Json, ctx: ImportContext): RowResult {
  const requestId = text(row.request_id);
  if (requestId === '') return bad('request_id', 'a request id', row.request_id);
  const ts = parseLiteLLMTime(row.startTime ?? row.start_time);
  if (!ts) return bad('startTime', 'a date/time', row.startTime ?? row.start_time);
  const md = structured(row.metadata);
  if (!md.ok || (md.value !== undefined && md.value !== null && (typeof md.value !== 'object' || Array.isArray(md.value)))) return bad('metadata', 'a JSON object', row.metadata);
  const metadata = obj(md.value);
  const usageObject = obj(metadata.usage_object);

  const counts: Record<string, number> = {};
  for (const column of ['prompt_tokens', 'completion_tokens']) {
    const n = count(row[column]);
    if (n === 'bad') return bad(column, 'a whole number of tokens', row[column]);
    counts[column] = n ?? 0;
  }
  const details = obj(usageObject.prompt_tokens_details);
  const outDetails = obj(usageObject.completion_tokens_details);
  const extra: Record<string, number> = {};
  for (const [name, v] of Object.entries({
    cache_read: usageObject.cache_read_input_tokens ?? details.cached_tokens,
    cache_write: usageObject.cache_creation_input_tokens,
    cache_write_1h: obj(usageObject.cache_creation_token_details).ephemeral_1h_input_tokens,
    reasoning: outDetails.reasoning_tokens,
    input_audio: details.audio_tokens,
    output_audio: outDetails.audio_tokens,
  })) {
    const n = count(v);
    if (n === 'bad') return bad(`metadata.usage_object.${name}`, 'a whole number of tokens', v);
    extra[name] = n ?? 0;
  }
  let reported: string | undefined;
  const spend = text(row.spend);
  if (spend !== '') {
    if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(spend)) return bad('spend', 'a decimal amount', row.spend);
    reported = dec(spend).toFixed();
  }
  const tagsList = tagList(row.request_tags);
  if (!tagsList) return bad('request_tags', 'a JSON array of tags', row.request_tags);

  // The id LiteLLM priced with (a deployment's base model) names the model better than a deployment name.
  const mapKey = text(obj(metadata.model_map_information).model_map_key);
  const rawModel = mapKey || text(row.model);
  const at = new Date(ts);
  const provider = providerOf(row, rawModel, ctx, at);
  const model = litellmModelId(rawModel, text(row.custom_llm_provider));

  if (model === '' && counts.prompt_tokens! + counts.completion_tokens! > 0) return bad('model', 'a model id', row.model);
  const cacheWrite1h = Math.min(extra.cache_write_1h!, extra.cache_write!);
  const usage: ReportedUsage = {
    input: counts.prompt_tokens!,
    output: counts.completion_tokens!,
    cacheRead: extra.cache_read,
    cacheWrite5m: extra.cache_write! - cacheWrite1h,
    cacheWrite1h,
    reasoning: extra.reasoning,
    inputAudio: extra.input_audio,
    outputAudio: extra.output_audio,
  };
  const cached = extra.cache_read! + extra.cache_write!;
  // LiteLLM normalises prompt_tokens to include cache; a row whose prompt is smaller than its
  // cache counts comes from a provider path that was not normalised (Anthropic's own split).
  const convention = usage.input >= cached ? LEDGER_LIKE : DISJOINT;
  const cacheHit = /^true$/i.test(text(row.cache_hit));
  const tokenless = usage.input === 0 && usage.output === 0;
  // No tokens but money (image, audio, rerank calls): leave it unpriced rather than $0.
  const unpriceable = tokenless && !cacheHit && reported !== undefined && !dec(reported).isZero();

  const tags: Record<string, string> = {};
  addTags(tags, tagsList);
  addTags(tags, metadata.tags);
  const userMeta = obj(metadata.spend_logs_metadata);
  const dim = (...values: unknown[]) => values.map(text).find((v) => v !== '') ?? null;
  // A request tag such as `feature:summarize` fills its dimension when no field names one.
  const tagged = tagDims(tags);

  const entry = buildEntry(
    {
      source: 'litellm',
      provenance: 'metered',
      dedupeKey: requestId,
      provider,
      ts,
      model: model || null,
      modelRequested: text(row.model_group) || null,
      account: text(row.organization_id) || null,
      // A LiteLLM cache hit never reached the provider: nothing to pay for.
      usage: unpriceable || !model ? undefined : cacheHit ? { input: 0, output: 0 } : usage,
      convention,
      description: cacheHit ? 'LiteLLM cache hit (no provider call)' : unpriceable ? `no token counts for ${text(row.call_type) || 'this call'}; LiteLLM's spend is the reported cost` : undefined,
      dims: {
        team: dim(metadata.user_api_key_team_alias, row.team_id, metadata.user_api_key_team_id) ?? tagged.team ?? null,
        user: dim(row.user, metadata.user_api_key_user_id),
        customer: dim(row.end_user, metadata.user_api_key_end_user_id, userMeta.customer) ?? tagged.customer ?? null,
        api_key: dim(metadata.user_api_key_alias, row.api_key),
        trace_id: dim(row.session_id, metadata.trace_id, metadata.litellm_trace_id),
        request_id: requestId,
        agent: dim(row.agent_id, userMeta.agent) ?? tagged.agent ?? null,
        feature: dim(userMeta.feature) ?? tagged.feature ?? null,
        project: dim(userMeta.project, metadata.project_id) ?? tagged.project ?? null,
        environment: dim(userMeta.environment, userMeta.env) ?? tagged.environment ?? null,
      },
      tags,
      raw: {
        convention: convention === LEDGER_LIKE ? 'litellm (prompt includes cache)' : 'prompt excludes cache',
        prompt_tokens: counts.prompt_tokens, completion_tokens: counts.completion_tokens, ...extra,
        spend: reported ?? null, call_type: text(row.call_type) || null, model: text(row.model) || null,
        cache_hit: cacheHit, status: text(row.status) || null, endTime: text(row.endTime) || null,
      },
    },
    ctx,
  );
  // LiteLLM's spend is its own estimate: kept beside ours, never as the row's cost.
  if (reported !== undefined) entry.reported_cost_usd = reported;
  return { ok: true, entry };
}
