/**
 * The end of an attempt: price it (once, before the response goes out, so that the
 * client's `x-llmfin-cost-usd` and the ledger agree), then — after the response is sent —
 * hash the prompt, build and queue the ledger row, settle or release the gate's
 * reservation, count it in /metrics and log one line. Free endpoints (model lists, token
 * counting) are counted and logged only.
 */
import type { ProxyRuntime } from '../proxy-runtime.js';
import { attemptRow, isPendingStatus, priceAttempt as priceOutcome, type AttemptCost, type AttemptOutcome } from '../ledger/attempt-entry.js';
import { countCost } from './background-responses.js';
import { promptFeatures } from '../request/prompt-features.js';
import { routingRaw } from '../ledger/routing-raw.js';
import { elapsedMs, type AttemptState } from './attempt-state.js';
import { MAX_MODEL_LABELS } from '../ops/proxy-metrics.js';
import { firstTime } from '../ops/first-time.js';
import { CATALOGUE_MODEL } from '../../attribution/recorded-only-dimensions.js';

function outcome(a: AttemptState, latencyMs: number): AttemptOutcome {
  return {
    requestId: a.requestId,
    attempt: a.attempt,
    startedAt: a.startedAt,
    endedAt: a.startedAt + latencyMs,
    latencyMs: Math.round(latencyMs),
    ttfbMs: a.ttfbMs === undefined ? undefined : Math.round(a.ttfbMs),
    endpoint: a.route.endpoint,
    upstream: a.upstream,
    modelRequested: a.modelRequested,
    modelSent: a.modelSent,
    stream: a.stream,
    requestedTier: a.requestedTier,
    requestedRegion: a.requestedRegion,
    statusCode: a.statusCode,
    responded: a.responded,
    usage: a.usage,
    streamModel: a.streamModel,
    streamNote: a.streamNote,
    errorBody: a.errorBody,
    outputChars: a.outputChars,
    promptChars: a.promptChars,
    attribution: a.attribution,
    apiKeyId: a.apiKeyId,
    failure: a.failure,
    failureDetail: a.failureDetail,
    background: a.background,
  };
}

/** Prices the attempt as it stands; undefined for a free endpoint. */
export function priceAttempt(rt: ProxyRuntime, a: AttemptState): AttemptCost | undefined {
  if (a.route.capture === undefined) return undefined;
  return priceOutcome(outcome(a, elapsedMs(a)), rt.pricer, rt.catalogueVersion);
}

/**
 * Notes how a traced call ended in its trace's loop window (once), and flags the trace
 * when this call completes a same-error loop. Before the response headers when it can be.
 */
export function settleLoop(rt: ProxyRuntime, a: AttemptState): void {
  if (a.loopSettled || a.loopCall === undefined) return;
  a.loopSettled = true;
  // A client that went away says nothing about the call; the upstream's errors do.
  const error =
    a.failure !== undefined && a.failure !== 'client_disconnected' ? a.failure : a.statusCode >= 400 ? `http_${a.statusCode}` : a.errorBody !== undefined ? 'error_body' : null;
  const traceId = a.attribution.columns.trace_id!;
  const finding = rt.loopWatch.settle(traceId, a.loopCall, error, rt.config.loops.repeats);
  if (finding === undefined || a.loop !== undefined) return;
  a.loop = finding;
  a.attribution.tags.loop = finding.kind;
  rt.log.event('warn', `trace ${traceId} is looping (same_error: ${error} ${finding.repeats} times): ${a.requestId} flagged`, { trace_id: traceId, loop: finding.kind, repeats: finding.repeats });
}

/** Logs, once per model and tier (every row says so in its description), that a tier the provider served on has no price and is estimated at standard rates. */
function noteUnpricedTier(rt: ProxyRuntime, cost: AttemptCost): void {
  const tier = cost.unpricedTier;
  if (tier === undefined) return;
  const model = cost.cols?.matched_model ?? cost.model ?? '(no model)';
  if (!firstTime(rt, 'unpriced tier', `${model}\u0000${tier}`)) return;
  rt.log.event(
    'warn',
    `${model} was served on the "${tier}" tier, and the catalogue has no "${tier}" price for it: its requests are estimated at its standard rates (cost_status estimated; logged once per model and tier)`,
    { model, service_tier: tier },
  );
}

/**
 * Logs, once per upstream and model (every row says so in its description), that the
 * catalogue has no price for a model it served: its rows are unpriced and add nothing to a
 * budget's spend, so a hard limit cannot hold it back (gateways.md §4.2, LiteLLM #35524) —
 * the operator has to hear of it, and how to fix it. A client sending random model names
 * must not grow the proxy's memory or flood its log: capped as /metrics' model labels are.
 */
function noteUnpricedModel(rt: ProxyRuntime, a: AttemptState, cost: AttemptCost): void {
  if (cost.costStatus !== 'unpriced') return;
  const model = cost.model ?? '(no model)';
  if (!firstTime(rt, 'unpriced model', `${a.upstream.name}\u0000${model}`, MAX_MODEL_LABELS)) return;
  rt.log.event(
    'warn',
    `${model} (upstream ${a.upstream.name}) has no price in the catalogue: its requests are recorded unpriced, not as $0, and count nothing against budgets; price it under pricing.custom_models (or pricing.self_hosted) in llmfin.yaml (logged once per model)`,
    { model, upstream: a.upstream.name },
  );
}

/**
 * Before its reservation is settled (or held, for a background response), moves a request
 * to the budgets of the model its row records: the one that served it and the catalogue
 * model that was priced as. OpenAI answers `gpt-4o` with `gpt-4o-2024-08-06`; a budget on
 * that snapshot counts the request, as `budget status` and a proxy restarted from the
 * ledger do (budgets/budget-scope.ts).
 */
function rescopeToServed(a: AttemptState, cost: AttemptCost): void {
  const dims = a.gateDims;
  // No columns: nothing was priced, and the request stays where it was admitted.
  if (a.ticket?.rescope === undefined || dims === undefined || cost.cols === undefined) return;
  const model = cost.model ?? dims.model;
  const matched = cost.cols.matched_model ?? undefined;
  if (model === dims.model && matched === dims[CATALOGUE_MODEL]) return;
  const served: Record<string, string> = { ...dims };
  if (model !== undefined) served.model = model;
  if (matched !== undefined) served[CATALOGUE_MODEL] = matched;
  else delete served[CATALOGUE_MODEL];
  a.ticket.rescope(served);
}

/** Records the attempt once its response is sent (or abandoned). */
export function recordAttempt(rt: ProxyRuntime, a: AttemptState, cost: AttemptCost | undefined): void {
  settleLoop(rt, a);
  if (cost !== undefined) {
    noteUnpricedTier(rt, cost);
    noteUnpricedModel(rt, a, cost);
  }
  const latencyMs = elapsedMs(a);
  const upstream = a.upstream.name;
  let inputTokens = 0;
  let outputTokens = 0;
  if (cost !== undefined) {
    const prompt = promptFeatures(a.promptText, a.messageCount, rt.config.storePrompts, a.promptHash);
    const o = outcome(a, latencyMs);
    if (a.routing !== undefined) {
      const router = rt.config.router;
      const servedTier = a.modelSent === undefined || router === undefined ? null : router.policy.tiers[router.tierOf(a.modelSent)]?.name ?? null;
      o.routing = routingRaw(rt.pricer, {
        decision: a.routing,
        dialect: a.route.dialect,
        hashes: a.routeHashes,
        modelSent: a.modelSent,
        servedTier,
        requestedProvider: a.requestedUpstream.pricingProvider,
        sentProvider: a.upstream.pricingProvider,
        serviceTier: a.usage?.serviceTier,
        startedAt: a.startedAt,
      }, cost);
    }
    rt.queue.push(attemptRow(o, cost, prompt, rt.catalogueVersion));
    // A Responses API response's context, for the requests that continue it (response-contexts.ts).
    const usage = a.usage;
    if (usage !== undefined && cost.source === 'reported') {
      const context = usage.reported.input + usage.reported.output;
      if (usage.responseId !== undefined) rt.responseContexts.remember(usage.responseId, context);
      // The conversation now holds what this response had in its context, and its output.
      if (usage.conversationId !== undefined) rt.responseContexts.remember(usage.conversationId, context);
    }
    const cols = cost.cols;
    inputTokens = cols?.input_tokens ?? 0;
    outputTokens = cols?.output_tokens ?? 0;
    try {
      rescopeToServed(a, cost);
    } catch (error) {
      rt.log.event('error', `budget gate failed to rescope ${a.requestId}: ${(error as Error).message}`);
    }
    if (a.background !== undefined && isPendingStatus(a.background.status)) {
      // Still running upstream: its reservation stays and its cost is counted once it is known.
      rt.background.hold(rt, o, prompt, cost, a.ticket);
    } else {
      if (a.ticket !== undefined) {
        try {
          if (cost.consumed) a.ticket.settle(cost.costTicks ?? 0n);
          else a.ticket.release();
        } catch (error) {
          rt.log.event('error', `budget gate failed to settle ${a.requestId}: ${(error as Error).message}`);
        }
      }
      countCost(rt, upstream, cost);
    }
  } else {
    if (a.ticket !== undefined) a.ticket.release();
    // A free retrieval that shows a background response has ended: the proxy's own, else one the ledger may hold pending.
    if (a.settling !== undefined && a.finalStatus !== undefined && a.failure === undefined && a.statusCode < 400) {
      if (!rt.background.settle(rt, upstream, a.settling, a.finalStatus, a.usage)) void rt.background.lookUp(rt, upstream, a.settling, a.finalStatus, a.usage, a.finalCreatedAt);
    }
  }
  rt.metrics.request(upstream, a.route.endpoint, a.route.method, a.statusCode);
  rt.metrics.latency(upstream, latencyMs / 1000, a.ttfbMs === undefined ? undefined : a.ttfbMs / 1000);
  if (a.failure !== undefined) rt.metrics.error(upstream, a.failure);
  else if (a.statusCode >= 400 || a.errorBody !== undefined) rt.metrics.error(upstream, 'upstream_error');
  rt.log.request({
    id: a.requestId,
    method: a.method,
    endpoint: a.route.endpoint,
    upstream,
    model: cost?.model ?? a.modelSent ?? undefined,
    routed_from: a.routedFrom,
    status: a.statusCode,
    stream: a.stream,
    input_tokens: inputTokens,
    output_tokens: outputTokens,
    cost_usd: cost?.costUsd ?? null,
    cost_status: cost?.costStatus ?? 'free',
    latency_ms: Math.round(latencyMs * 10) / 10,
    ttfb_ms: a.ttfbMs === undefined ? undefined : Math.round(a.ttfbMs * 10) / 10,
    error: a.failure !== undefined ? `${a.failure}${a.failureDetail ? `: ${a.failureDetail}` : ''}` : a.errorBody !== undefined ? `upstream_error: ${a.errorBody}` : undefined,
  });
}
