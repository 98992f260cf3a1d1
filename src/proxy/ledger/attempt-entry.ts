/**
 * One upstream attempt → one ledger row, priced once (the same figure goes to the
 * client's `x-llmfin-cost-usd`, the gate and the ledger). Usage the provider reported
 * is priced exactly; usage that never arrived (no usage in the response, a client that
 * went away, a stream cut short) is estimated at four characters a token from the
 * prompt and the text seen, and marked `estimated` with the reason in the description —
 * never recorded as $0 (gateways.md §3.5). An upstream error before the model ran is a
 * row with no tokens and no cost. A Responses API background response (`background: true`)
 * answers before the model has run, without usage: its row is estimated at its prompt and
 * its whole output cap until the proxy sees it finish (background-responses.ts).
 */
import type { CostStatus } from '../../ledger/ledger-schema.js';
import type { ServiceTier, UsageConvention } from '../../pricing/catalogue-schema.js';
import { ENTRY_COLUMNS } from '../../ledger/queries/insert-batch.js';
import type { Pricer } from '../../pricing/pricer.js';
import { CACHE_OUTSIDE_INPUT, type ReportedUsage } from '../../pricing/token-usage.js';
import { priceRow, type CostColumns } from '../../importers/price-entry.js';
import { isResolved, resolveModel } from '../../pricing/resolve-model.js';
import { isoTime } from '../iso-time.js';
import { estimateTokens } from '../max-cost.js';
import { PROXY_COLUMNS } from './proxy-columns.js';
import { memoFor, type PriceMemo } from '../price-memo.js';
import type { Attribution } from '../request/attribution-headers.js';
import type { PromptFeatures } from '../request/prompt-features.js';
import type { Upstream } from '../upstreams/upstream-table.js';
import type { CapturedUsage } from '../usage/usage-capture.js';

/** Why an attempt did not end normally. */
export type AttemptFailure = 'client_disconnected' | 'upstream_unreachable' | 'upstream_timeout' | 'stream_interrupted';

export interface AttemptOutcome {
  requestId: string;
  /** 1 for the first upstream call of a request (the proxy does not retry today). */
  attempt: number;
  startedAt: number;
  endedAt: number;
  latencyMs: number;
  ttfbMs: number | undefined;
  endpoint: string;
  upstream: Upstream;
  /** The model the client asked for (an upstream prefix removed). */
  modelRequested: string | undefined;
  /** The model sent upstream: differs after a budget downgrade. */
  modelSent: string | undefined;
  stream: boolean;
  /** The tier the request asked for when it costs more than standard: an estimate assumes it. */
  requestedTier?: ServiceTier | undefined;
  /** The region priced apart the request asked for: an estimate assumes it, as it does the tier. */
  requestedRegion?: string | undefined;
  /** The upstream's status; 502/504 when it gave none. */
  statusCode: number;
  /** True when the upstream sent response headers (the model may have run). */
  responded: boolean;
  usage: CapturedUsage | undefined;
  /** The model a stream's events named, when its usage never came. */
  streamModel?: string | undefined;
  /** Why a stream that ended cleanly has no final usage (no terminal event, an error event). */
  streamNote?: string | undefined;
  /** The provider's error sent with HTTP 200 in place of a response: the model did not run. */
  errorBody?: string | undefined;
  outputChars: number;
  /** Characters of prompt text, for an estimate when usage never arrives. */
  promptChars: number;
  attribution: Attribution;
  /** The caller's key as recorded: a proxy key's name, or a fingerprint of the client's own key. */
  apiKeyId: string | undefined;
  failure: AttemptFailure | undefined;
  failureDetail?: string | undefined;
  /** The routing record for `raw_usage.routing`, when routing is on. */
  routing?: unknown;
  /** A Responses API background response: its id and status as last seen, recorded in `raw_usage.background`. */
  background?: BackgroundFacts | undefined;
}

export interface BackgroundFacts {
  /** The upstream's response id (`resp_…`). */
  id: string;
  /** `queued` or `in_progress` when created; the terminal status once the proxy sees it end. */
  status: string;
  /** Output tokens the estimate assumes: the request's `max_output_tokens`, else the default cap. */
  outputCap: number;
}

/** The statuses of a background response that has not finished (insert-proxy-rows.ts matches the same two). */
export function isPendingStatus(status: unknown): boolean {
  return status === 'queued' || status === 'in_progress';
}

/** The cost of an attempt, computed before its response is sent (for `x-llmfin-cost-usd`). */
export interface AttemptCost {
  costTicks: bigint | null;
  /** Exact decimal USD, or null when unpriced. */
  costUsd: string | null;
  costStatus: CostStatus;
  /** False when the attempt cost nothing (an error before the model ran): the gate releases instead of settling. */
  consumed: boolean;
  /** The model as recorded: served, else sent, else requested. */
  model: string | undefined;
  /**
   * The tier it was served on: the one the provider said, else the one an estimate assumed
   * (and priced at, unless `unpricedTier` says the catalogue has no price for it).
   */
  serviceTier: ServiceTier | undefined;
  /** The tier served when the catalogue has no price for it on this model: estimated at standard rates instead. */
  unpricedTier?: ServiceTier | undefined;
  /** The region it was priced at, likewise. */
  region: string | undefined;
  source: UsageSource;
  description: string | null;
  cols: CostColumns | undefined;
}

export type UsageSource = 'reported' | 'partial' | 'estimated' | 'none';

const costMemos = new WeakMap<object, PriceMemo<CostColumns>>();

/** Model → the catalogue provider that prices it, for upstreams the catalogue does not know (vLLM, a gateway). */
const providerOfModel = new Map<string, string | null>();

/**
 * OpenAI's APIs count cached tokens inside `prompt_tokens` (and the Responses API's
 * `input_tokens`) whoever serves them: Claude through Anthropic's OpenAI-compatible endpoint
 * is not read in Anthropic's own convention, which leaves the cache out of input. The
 * output's convention stays the model's (Gemini's counts leave reasoning out). Undefined:
 * the model's own convention already is OpenAI's, or the model is not in the catalogue.
 */
function openaiApiConvention(pricer: Pricer, provider: string, model: string, at: Date): UsageConvention | undefined {
  const resolved = resolveModel(pricer.catalogue, { provider, model, at });
  if (!isResolved(resolved)) return undefined;
  const own = resolved.model.usage_convention ?? resolved.provider.usage_convention;
  return own.input_includes_cache ? undefined : { ...own, input_includes_cache: true };
}

/**
 * The provider to price under: the upstream's when the catalogue knows it; else whichever
 * catalogue provider lists the model (an OpenAI-compatible server serving gpt-4o-mini or
 * a self-hosted model from llmfin.yaml); else the upstream's own id, which prices as unpriced.
 */
function pricingProvider(pricer: Pricer, upstream: Upstream, model: string, at: number): string {
  if (upstream.pricingProvider !== undefined) return upstream.pricingProvider;
  let found = providerOfModel.get(model);
  if (found === undefined) {
    const resolved = resolveModel(pricer.catalogue, { model, at: new Date(at) });
    found = isResolved(resolved) ? resolved.provider.provider : null;
    if (providerOfModel.size > 1000) providerOfModel.clear();
    providerOfModel.set(model, found);
  }
  return found ?? upstream.provider;
}

function sortedTags(tags: Record<string, string>): string | null {
  const keys = Object.keys(tags);
  if (keys.length === 0) return null;
  if (keys.length === 1) return JSON.stringify(tags);
  // Stable key order: the same tags are the same text, so the daily rollup groups them.
  const out: Record<string, string> = {};
  for (const k of keys.sort()) out[k] = tags[k]!;
  return JSON.stringify(out);
}

/** Prices an attempt: exactly from reported usage, else an estimate; nothing for an error before the model ran. */
export function priceAttempt(o: AttemptOutcome, pricer: Pricer, catalogueVersion: string): AttemptCost {
  // An upstream that never connected (or refused) ran nothing. One that took the request and
  // did not answer in time may well have run it and will bill it, as for a client that left:
  // its prompt is estimated (usage_unknown), never a silent $0.
  const failedBeforeModel = !o.responded && o.failure !== 'client_disconnected' && o.failure !== 'upstream_timeout';
  // An error body in place of a response (HTTP 200, nothing a run leaves in it) is an upstream error too.
  const upstreamError = o.responded && (o.statusCode >= 400 || (o.errorBody !== undefined && o.failure === undefined));
  let source: UsageSource;
  let reported: ReportedUsage | undefined;
  let note: string | undefined;
  if (failedBeforeModel || upstreamError) {
    source = 'none';
    note = !upstreamError
      ? `${o.failure ?? 'upstream_error'}: ${o.failureDetail ?? 'no response'}`
      : o.statusCode >= 400
        ? `upstream_error: HTTP ${o.statusCode}`
        : `upstream_error: HTTP ${o.statusCode} with the provider's error in place of a response (${o.errorBody})`;
  } else if (o.usage !== undefined && o.usage.complete && o.failure === undefined) {
    source = 'reported';
    reported = o.usage.reported;
    if (o.background !== undefined) note = `background response ${o.background.id} ${o.background.status}: usage as the provider reported it when the proxy saw it end`;
    // A stream that reported its usage and still failed (a Responses API response.failed with
    // usage) is priced as reported, but must not read as a clean success.
    else if (o.streamNote !== undefined) note = `priced from the usage reported — ${o.streamNote}`;
  } else if (o.background !== undefined) {
    // The model runs on after the answer (whether or not the client stayed to read it, or a
    // stream of it broke off): its whole output cap is assumed, as the
    // budget's reservation does, so that the ledger (and the spend a restarted proxy reads
    // back) never counts a running background response as less than it may cost.
    const b = o.background;
    reported = { input: estimateTokens(o.promptChars), output: b.outputCap };
    source = 'estimated';
    const cut = o.failure !== undefined ? `its stream ended early (${o.failure}) and ` : o.streamNote !== undefined ? `its stream ended early (${o.streamNote}) and ` : '';
    const what = isPendingStatus(b.status)
      ? `background response ${b.id} ${b.status} when created; ${cut}usage comes when it is retrieved through the proxy once it has ended`
      : `background response ${b.id} ended ${b.status} without usage llmfin can read`;
    note = `usage_unknown: tokens estimated from the prompt (4 characters a token) and the output cap (${b.outputCap} tokens) — ${what}`;
  } else {
    // What is known is kept (Anthropic's input from message_start); the rest is estimated.
    // A usage object with no readable input count is not known at all (usage-capture.ts).
    const known = o.usage?.inputUnknown === true ? undefined : o.usage?.reported;
    // An output count given part way (an Anthropic stream's running message_delta) covers the
    // text up to it: the text after it is estimated on top. Never less than all the text seen.
    const counted = o.usage?.outputCharsCounted;
    const after = known !== undefined && counted !== undefined ? estimateTokens(Math.max(0, o.outputChars - counted)) : 0;
    const output = Math.max((known?.output ?? 0) + after, estimateTokens(o.outputChars));
    reported = known ? { ...known, output } : { input: estimateTokens(o.promptChars), output };
    source = known ? 'partial' : 'estimated';
    const why =
      o.failure !== undefined
        ? `${o.failure}${o.failureDetail ? ` (${o.failureDetail})` : ''}`
        : o.streamNote !== undefined
          ? o.streamNote
          : o.usage === undefined
            ? 'the provider reported no usage'
            : 'the provider reported usage without token counts llmfin can read';
    note = known
      ? `${o.failure ?? 'usage_incomplete'}: usage_unknown for output, estimated from the text seen (4 characters a token); input as reported — ${why}`
      : `usage_unknown: tokens estimated from prompt and output text (4 characters a token) — ${why}`;
  }

  const model = o.usage?.servedModel ?? o.streamModel ?? o.modelSent ?? o.modelRequested;
  // Usage that never came never said its tier: an estimate assumes the one the request asked for.
  const assumedTier = o.usage?.serviceTier === undefined && source !== 'reported' ? o.requestedTier : undefined;
  let serviceTier = o.usage?.serviceTier ?? assumedTier;
  const assumedRegion = o.usage?.region === undefined && source !== 'reported' ? o.requestedRegion : undefined;
  let region = o.usage?.region ?? assumedRegion;
  let cols: CostColumns | undefined;
  let unpricedTier: ServiceTier | undefined;
  let tierNote: string | undefined;
  if (reported !== undefined) {
    const u = reported;
    const priceModel = model ?? '(no model)';
    const provider = pricingProvider(pricer, o.upstream, priceModel, o.startedAt);
    // Usage read from Anthropic's Messages API is in that API's convention whoever serves it
    // (input_tokens leaves cache out): an Anthropic-compatible endpoint of a provider whose own
    // API counts cache inside input (DeepSeek's or Moonshot's /anthropic) is priced in it, not
    // in the provider's; for Anthropic itself the two are the same. OpenAI's APIs likewise (openaiApiConvention).
    const anthropicApi = o.upstream.dialect === 'anthropic';
    const usageKey = `${u.input}/${u.output}/${u.cacheRead ?? 0}/${u.cacheWrite5m ?? 0}/${u.cacheWrite1h ?? 0}/${u.reasoning ?? 0}/${u.inputAudio ?? 0}/${u.outputAudio ?? 0}/${u.inputImage ?? 0}/${u.outputImage ?? 0}/${u.webSearches ?? 0}`;
    // One template: the key is built (and hashed by the memo's map) once per request.
    // The columns are shared between rows with the same usage: they are copied into each entry, never changed.
    const priceAt = (tier: ServiceTier | undefined, where: string | undefined): CostColumns =>
      memoFor(costMemos, pricer).get(`${catalogueVersion}\u0000${o.upstream.dialect}\u0000${provider}\u0000${priceModel}\u0000${tier ?? ''}\u0000${where ?? ''}\u0000${usageKey}`, o.startedAt, () => {
        const at = new Date(o.startedAt);
        const convention = anthropicApi ? CACHE_OUTSIDE_INPUT : openaiApiConvention(pricer, provider, priceModel, at);
        return priceRow(pricer, { provider, model: priceModel, at, usage: u, serviceTier: tier, region: where, convention }, catalogueVersion);
      });
    cols = priceAt(serviceTier, region);
    if (cols.cost_status === 'unpriced' && (assumedTier !== undefined || assumedRegion !== undefined)) {
      // An assumed tier or region the model has no price for: the estimate stays at standard rates rather than none.
      if (assumedTier !== undefined) serviceTier = undefined;
      if (assumedRegion !== undefined) region = undefined;
      cols = priceAt(serviceTier, region);
    }
    if (cols.cost_status === 'unpriced' && serviceTier !== undefined && serviceTier !== 'standard') {
      // A tier the provider says it served on that the catalogue has no price for (Anthropic's
      // Priority Tier is sold by commitment, with no per-token list price): an unpriced row
      // would settle nothing against a budget. The standard rates are the best estimate there
      // is; the row keeps the tier it was served on and says how it was priced.
      const standard = priceAt(undefined, region);
      if (standard.cost_status === 'priced') {
        cols = standard;
        unpricedTier = serviceTier;
        tierNote = `service_tier_unpriced: ${standard.matched_model ?? priceModel} has no "${serviceTier}" price in the catalogue; estimated at its standard rates`;
      }
    }
  }

  let costStatus: CostStatus;
  let costUsd: string | null;
  let costTicks: bigint | null;
  if (cols === undefined) {
    costStatus = 'priced';
    costUsd = '0';
    costTicks = 0n;
  } else {
    costStatus = cols.cost_status === 'priced' && (source !== 'reported' || unpricedTier !== undefined) ? 'estimated' : cols.cost_status;
    costUsd = cols.cost_usd ?? null;
    costTicks = cols.cost_ticks === null || cols.cost_ticks === undefined ? null : BigInt(cols.cost_ticks);
  }
  // The note, the tier's, and the pricer's description, whichever are there, joined by '; '.
  const priced = cols?.description;
  const parts = [note, tierNote, typeof priced === 'string' ? priced : undefined].filter((p): p is string => p !== undefined && p !== '');
  const description = parts.length === 0 ? null : parts.join('; ');
  return { costTicks, costUsd, costStatus, consumed: source !== 'none', model, serviceTier, region, unpricedTier, source, description, cols };
}

/**
 * Columns every proxy row has the same value in. They are SQL literals in the INSERT
 * (insert-proxy-rows.ts) rather than values in each row: 12 fewer values to build, post
 * to the writer thread and bind, per request.
 */
export const CONSTANT_COLUMNS: Readonly<Record<string, string | number | null>> = {
  batch_id: null, provenance: 'metered', source: 'proxy', account: null, granularity: 'request', requests: 1, reported_cost_usd: null,
  currency: 'USD', workspace: null, estimated_cost_usd: null, estimated_cost_ticks: null, charge_category: 'usage',
};

/** The columns of a proxy row that vary, in the order `attemptRow` fills them: an entry's, then the proxy's own. */
export const ROW_COLUMNS: readonly string[] = [...new Set<string>([...ENTRY_COLUMNS, ...PROXY_COLUMNS])].filter((c) => !(c in CONSTANT_COLUMNS));
export const ROW_WIDTH = ROW_COLUMNS.length;

/** A ledger row as values in ROW_COLUMNS order: compact to queue and to post to the writer thread. */
export type ProxyRow = unknown[];

/** The column order `attemptRow` writes, checked against the ledger's once at load. */
const ORDER = [
  'dedupe_key', 'provider', 'model', 'model_requested', 'matched_model', 'offering', 'ts', 'ts_end',
  'input_tokens', 'uncached_input_tokens', 'cache_read_tokens', 'cache_write_5m_tokens', 'cache_write_1h_tokens',
  'input_audio_tokens', 'input_image_tokens', 'output_tokens', 'reasoning_tokens', 'output_audio_tokens', 'output_image_tokens', 'service_tier', 'region',
  'raw_usage', 'cost_usd', 'cost_ticks', 'cost_status', 'price_ref', 'catalogue_version', 'description', 'team', 'feature',
  'customer', 'agent', 'project', 'environment', 'api_key', 'user', 'trace_id', 'tags', 'request_id', 'created_at', 'web_search_requests',
  'latency_ms', 'ttfb_ms', 'status_code', 'prompt_hash',
];
if (ORDER.join() !== ROW_COLUMNS.join()) throw new Error('proxy rows: the ledger columns changed; update attemptRow');

/** A number as JSON writes it (null when not finite). */
function jsonNumber(n: number): string {
  return Number.isFinite(n) ? String(n) : 'null';
}

/**
 * The row's `raw_usage`: the text `JSON.stringify` gives for
 * `{ usage, usage_source, endpoint, upstream, stream, prompt: { chars, has_code, messages, text? }, output_chars, routing?, background? }`,
 * written around the values rather than by stringifying an object built for it: the
 * profile's largest line of the row (the provider's usage object and the routing record,
 * which are arbitrary JSON, are still stringified).
 */
export function rawUsageText(o: AttemptOutcome, cost: AttemptCost, prompt: PromptFeatures): string {
  const q = JSON.stringify;
  const text = prompt.text === undefined ? '' : `,"text":${q(prompt.text)}`;
  const routing = o.routing === undefined ? '' : `,"routing":${q(o.routing)}`;
  const background = o.background === undefined ? '' : `,"background":{"id":${q(o.background.id)},"status":${q(o.background.status)}}`;
  return (
    `{"usage":${q(o.usage?.raw ?? null)},"usage_source":${q(cost.source)},"endpoint":${q(o.endpoint)},"upstream":${q(o.upstream.name)},"stream":${String(o.stream)}` +
    `,"prompt":{"chars":${jsonNumber(prompt.chars)},"has_code":${String(prompt.hasCode)},"messages":${jsonNumber(prompt.messages)}${text}},"output_chars":${jsonNumber(o.outputChars)}${routing}${background}}`
  );
}

/**
 * The ledger row of a priced attempt, as values in ROW_COLUMNS order (no intermediate
 * object: this runs once per request). Built after the response is sent: nothing here is
 * on the client's critical path.
 */
export function attemptRow(o: AttemptOutcome, cost: AttemptCost, prompt: PromptFeatures, catalogueVersion: string): ProxyRow {
  const cols = cost.cols;
  const c = o.attribution.columns;
  return [
    `${o.requestId}#${o.attempt}`, o.upstream.provider, cost.model ?? null, o.modelRequested ?? null,
    cols?.matched_model ?? null, cols?.offering ?? null, isoTime(o.startedAt), isoTime(o.endedAt),
    cols?.input_tokens ?? 0, cols?.uncached_input_tokens ?? 0, cols?.cache_read_tokens ?? 0, cols?.cache_write_5m_tokens ?? 0, cols?.cache_write_1h_tokens ?? 0,
    cols?.input_audio_tokens ?? 0, cols?.input_image_tokens ?? 0, cols?.output_tokens ?? 0, cols?.reasoning_tokens ?? 0, cols?.output_audio_tokens ?? 0, cols?.output_image_tokens ?? 0,
    cost.serviceTier ?? null, cost.region ?? null,
    rawUsageText(o, cost, prompt), cost.costUsd, cost.costTicks, cost.costStatus, cols?.price_ref ?? null, catalogueVersion, cost.description,
    c.team ?? null, c.feature ?? null, c.customer ?? null, c.agent ?? null, c.project ?? null, c.environment ?? null, o.apiKeyId ?? null, c.user ?? null, c.trace_id ?? null,
    sortedTags(o.attribution.tags), o.requestId, isoTime(Date.now()), cols?.web_search_requests ?? 0,
    o.latencyMs, o.ttfbMs ?? null, o.statusCode, prompt.hash,
  ];
}
