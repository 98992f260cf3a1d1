/**
 * The end of an attempt: price it (once), then — after the response is sent — queue its
 * ledger row, settle or release the gate's reservation, count it in /metrics and log
 * one line. Free endpoints (model lists, token counting) are counted and logged only.
 */
import type { ProxyRuntime } from '../proxy-runtime.js';
import { attemptEntry, type PricedAttempt } from '../ledger/attempt-entry.js';
import { elapsedMs, type AttemptState } from './attempt-state.js';

/** Prices the attempt as it stands; undefined for a free endpoint. */
export function priceAttempt(rt: ProxyRuntime, a: AttemptState): PricedAttempt | undefined {
  if (a.route.capture === undefined) return undefined;
  const now = Date.now();
  return attemptEntry(
    {
      requestId: a.requestId,
      attempt: a.attempt,
      startedAt: a.startedAt,
      endedAt: now,
      latencyMs: Math.round(elapsedMs(a)),
      ttfbMs: a.ttfbMs === undefined ? undefined : Math.round(a.ttfbMs),
      endpoint: a.route.endpoint,
      upstream: a.upstream,
      modelRequested: a.routedFrom ?? a.modelRequested,
      modelSent: a.modelSent,
      stream: a.stream,
      statusCode: a.statusCode,
      responded: a.responded,
      usage: a.usage,
      outputChars: a.outputChars,
      prompt: a.prompt,
      attribution: a.attribution,
      apiKeyId: a.apiKeyId,
      failure: a.failure,
      failureDetail: a.failureDetail,
    },
    rt.pricer,
    rt.catalogueVersion,
  );
}

/** Records the attempt once its response is sent (or abandoned). */
export function recordAttempt(rt: ProxyRuntime, a: AttemptState, priced: PricedAttempt | undefined): void {
  const latencyMs = elapsedMs(a);
  const upstream = a.upstream.name;
  if (priced !== undefined) {
    const e = priced.entry;
    // The latency is known only now that the last byte is written.
    e.latency_ms = Math.round(latencyMs);
    e.ts_end = new Date(a.startedAt + latencyMs).toISOString();
    rt.queue.push(e);
    if (a.ticket !== undefined) {
      try {
        if (priced.consumed) a.ticket.settle(priced.costTicks ?? 0n);
        else a.ticket.release();
      } catch (error) {
        rt.log.event('error', `budget gate failed to settle ${a.requestId}: ${(error as Error).message}`);
      }
    }
    const model = e.model ?? '(none)';
    const m = rt.metrics;
    m.tokens(upstream, model, 'input', e.input_tokens ?? 0);
    m.tokens(upstream, model, 'uncached_input', e.uncached_input_tokens ?? 0);
    m.tokens(upstream, model, 'cache_read', e.cache_read_tokens ?? 0);
    m.tokens(upstream, model, 'cache_write', (e.cache_write_5m_tokens ?? 0) + (e.cache_write_1h_tokens ?? 0));
    m.tokens(upstream, model, 'output', e.output_tokens ?? 0);
    m.tokens(upstream, model, 'reasoning', e.reasoning_tokens ?? 0);
    if (priced.consumed) m.cost(upstream, model, priced.costTicks);
  } else if (a.ticket !== undefined) {
    a.ticket.release();
  }
  rt.metrics.request(upstream, a.route.endpoint, a.statusCode);
  rt.metrics.latency(upstream, latencyMs / 1000, a.ttfbMs === undefined ? undefined : a.ttfbMs / 1000);
  if (a.failure !== undefined) rt.metrics.error(upstream, a.failure);
  else if (a.statusCode >= 400) rt.metrics.error(upstream, 'upstream_error');
  rt.log.request({
    id: a.requestId,
    method: a.method,
    endpoint: a.route.endpoint,
    upstream,
    model: priced?.entry.model ?? a.modelSent ?? undefined,
    routed_from: a.routedFrom,
    status: a.statusCode,
    stream: a.stream,
    input_tokens: priced?.entry.input_tokens ?? 0,
    output_tokens: priced?.entry.output_tokens ?? 0,
    cost_usd: priced?.costUsd ?? null,
    cost_status: priced?.costStatus ?? 'free',
    latency_ms: latencyMs,
    ttfb_ms: a.ttfbMs === undefined ? undefined : Math.round(a.ttfbMs * 10) / 10,
    error: a.failure === undefined ? undefined : `${a.failure}${a.failureDetail ? `: ${a.failureDetail}` : ''}`,
  });
}
