/**
 * One upstream attempt → one ledger row, priced once (the same figure goes to the
 * client's `x-llmfin-cost-usd`, the gate and the ledger). Usage the provider reported
 * is priced exactly; usage that never arrived (no usage in the response, a client that
 * went away, a stream cut short) is estimated at four characters a token from the
 * prompt and the text seen, and marked `estimated` with the reason in the description —
 * never recorded as $0 (gateways.md §3.5). An upstream error before the model ran is a
 * row with no tokens and no cost.
 */
import type { CostStatus, NewUsageEntry } from '../../ledger/ledger-schema.js';
import type { Pricer } from '../../pricing/pricer.js';
import type { ReportedUsage } from '../../pricing/token-usage.js';
import { priceRow, type CostColumns } from '../../importers/price-entry.js';
import { isResolved, resolveModel } from '../../pricing/resolve-model.js';
import { estimateTokens } from '../max-cost.js';
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
  /** The upstream's status; 502/504 when it gave none. */
  statusCode: number;
  /** True when the upstream sent response headers (the model may have run). */
  responded: boolean;
  usage: CapturedUsage | undefined;
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
  source: UsageSource;
  description: string | null;
  cols: CostColumns | undefined;
}

export type UsageSource = 'reported' | 'partial' | 'estimated' | 'none';

const costMemos = new WeakMap<object, PriceMemo<CostColumns>>();

/** Model → the catalogue provider that prices it, for upstreams the catalogue does not know (vLLM, a gateway). */
const providerOfModel = new Map<string, string | null>();

/**
 * The provider to price under: the upstream's when the catalogue knows it; else whichever
 * catalogue provider lists the model (an OpenAI-compatible server serving gpt-4o-mini or
 * a self-hosted model from llmfin.yaml); else the upstream's own id, which prices as unpriced.
 */
function pricingProvider(pricer: Pricer, upstream: Upstream, model: string, at: Date): string {
  if (upstream.pricingProvider !== undefined) return upstream.pricingProvider;
  let found = providerOfModel.get(model);
  if (found === undefined) {
    const resolved = resolveModel(pricer.catalogue, { model, at });
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
  const failedBeforeModel = !o.responded && o.failure !== 'client_disconnected';
  const upstreamError = o.responded && o.statusCode >= 400;
  let source: UsageSource;
  let reported: ReportedUsage | undefined;
  let note: string | undefined;
  if (failedBeforeModel || upstreamError) {
    source = 'none';
    note = upstreamError ? `upstream_error: HTTP ${o.statusCode}` : `${o.failure ?? 'upstream_error'}: ${o.failureDetail ?? 'no response'}`;
  } else if (o.usage !== undefined && o.usage.complete && o.failure === undefined) {
    source = 'reported';
    reported = o.usage.reported;
  } else {
    // What is known is kept (Anthropic's input from message_start); the rest is estimated.
    const known = o.usage?.reported;
    const output = Math.max(known?.output ?? 0, estimateTokens(o.outputChars));
    reported = known ? { ...known, output } : { input: estimateTokens(o.promptChars), output };
    source = known ? 'partial' : 'estimated';
    const why = o.failure === undefined ? 'the provider reported no usage' : `${o.failure}${o.failureDetail ? ` (${o.failureDetail})` : ''}`;
    note = known
      ? `${o.failure ?? 'usage_incomplete'}: usage_unknown for output, estimated from the text seen (4 characters a token); input as reported — ${why}`
      : `usage_unknown: tokens estimated from prompt and output text (4 characters a token) — ${why}`;
  }

  const model = o.usage?.servedModel ?? o.modelSent ?? o.modelRequested;
  const at = new Date(o.startedAt);
  const serviceTier = o.usage?.serviceTier;
  let cols: CostColumns | undefined;
  if (reported !== undefined) {
    const u = reported;
    const priceModel = model ?? '(no model)';
    const provider = pricingProvider(pricer, o.upstream, priceModel, at);
    const key = `${provider}\u0000${priceModel}\u0000${serviceTier ?? ''}\u0000${u.input}/${u.output}/${u.cacheRead ?? 0}/${u.cacheWrite5m ?? 0}/${u.cacheWrite1h ?? 0}/${u.reasoning ?? 0}/${u.inputAudio ?? 0}/${u.outputAudio ?? 0}/${u.inputImage ?? 0}/${u.outputImage ?? 0}`;
    // The columns are shared between rows with the same usage: they are copied into each entry, never changed.
    cols = memoFor(costMemos, pricer).get(`${catalogueVersion}\u0000${key}`, o.startedAt, () => priceRow(pricer, { provider, model: priceModel, at, usage: u, serviceTier }, catalogueVersion));
  }

  let costStatus: CostStatus;
  let costUsd: string | null;
  let costTicks: bigint | null;
  if (cols === undefined) {
    costStatus = 'priced';
    costUsd = '0';
    costTicks = 0n;
  } else {
    costStatus = cols.cost_status === 'priced' && source !== 'reported' ? 'estimated' : cols.cost_status;
    costUsd = cols.cost_usd ?? null;
    costTicks = cols.cost_ticks === null || cols.cost_ticks === undefined ? null : BigInt(cols.cost_ticks);
  }
  const description = [note, cols?.description].filter((d): d is string => typeof d === 'string' && d !== '').join('; ') || null;
  return { costTicks, costUsd, costStatus, consumed: source !== 'none', model, source, description, cols };
}

/**
 * The ledger row of a priced attempt. Built after the response is sent: nothing here is
 * on the client's critical path.
 */
export function attemptEntry(o: AttemptOutcome, cost: AttemptCost, prompt: PromptFeatures, catalogueVersion: string): NewUsageEntry {
  const cols = cost.cols;
  const raw: Record<string, unknown> = {
    usage: o.usage?.raw ?? null,
    usage_source: cost.source,
    endpoint: o.endpoint,
    upstream: o.upstream.name,
    stream: o.stream,
    prompt: { chars: prompt.chars, has_code: prompt.hasCode, messages: prompt.messages, ...(prompt.text !== undefined ? { text: prompt.text } : {}) },
    output_chars: o.outputChars,
  };
  if (o.routing !== undefined) raw.routing = o.routing;
  const c = o.attribution.columns;
  return {
    provenance: 'metered',
    source: 'proxy',
    dedupe_key: `${o.requestId}#${o.attempt}`,
    provider: o.upstream.provider,
    account: null,
    model: cost.model ?? null,
    model_requested: o.modelRequested ?? null,
    matched_model: cols?.matched_model ?? null,
    offering: cols?.offering ?? null,
    ts: new Date(o.startedAt).toISOString(),
    ts_end: new Date(o.endedAt).toISOString(),
    granularity: 'request',
    requests: 1,
    input_tokens: cols?.input_tokens ?? 0,
    uncached_input_tokens: cols?.uncached_input_tokens ?? 0,
    cache_read_tokens: cols?.cache_read_tokens ?? 0,
    cache_write_5m_tokens: cols?.cache_write_5m_tokens ?? 0,
    cache_write_1h_tokens: cols?.cache_write_1h_tokens ?? 0,
    input_audio_tokens: cols?.input_audio_tokens ?? 0,
    input_image_tokens: cols?.input_image_tokens ?? 0,
    output_tokens: cols?.output_tokens ?? 0,
    reasoning_tokens: cols?.reasoning_tokens ?? 0,
    output_audio_tokens: cols?.output_audio_tokens ?? 0,
    output_image_tokens: cols?.output_image_tokens ?? 0,
    service_tier: o.usage?.serviceTier ?? null,
    region: null,
    raw_usage: JSON.stringify(raw),
    cost_usd: cost.costUsd,
    cost_ticks: cost.costTicks,
    cost_status: cost.costStatus,
    reported_cost_usd: null,
    price_ref: cols?.price_ref ?? null,
    catalogue_version: catalogueVersion,
    currency: 'USD',
    description: cost.description,
    team: c.team ?? null,
    feature: c.feature ?? null,
    customer: c.customer ?? null,
    agent: c.agent ?? null,
    project: c.project ?? null,
    environment: c.environment ?? null,
    api_key: o.apiKeyId ?? null,
    workspace: null,
    user: c.user ?? null,
    trace_id: c.trace_id ?? null,
    tags: sortedTags(o.attribution.tags),
    request_id: o.requestId,
    created_at: new Date().toISOString(),
    estimated_cost_usd: null,
    estimated_cost_ticks: null,
    charge_category: 'usage',
    latency_ms: o.latencyMs,
    ttfb_ms: o.ttfbMs ?? null,
    status_code: o.statusCode,
    prompt_hash: prompt.hash,
  };
}
