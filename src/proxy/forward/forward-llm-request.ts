/**
 * One LLM request through the proxy: read the body, identify the caller (proxy key or
 * own key), route it to an upstream, read its attribution, ask the gate (a budget may
 * refuse or downgrade it), prepare the body so that usage comes back, forward it (again,
 * after a failure, when proxy.retries allows), and hand the response to relay-response.ts.
 * Every refusal is answered in the endpoint's dialect so that SDKs surface it as an API error.
 */
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Dispatcher } from 'undici';
import type { LoopCall, LoopFinding } from '../../anomalies/loop-detector.js';
import { extractRouteText } from '../../routing/extract-route-text.js';
import type { RouteDecision } from '../../routing/route-decision.js';
import { routeTags } from '../../routing/route-record.js';
import { isRoutedEndpoint } from '../../routing/routed-endpoints.js';
import { loopHeader } from '../loops/loop-watch.js';
import { DEFAULT_MAX_OUTPUT_TOKENS, maxCostTicks } from '../max-cost.js';
import { refusalLine } from '../ops/request-log.js';
import type { ProxyRuntime } from '../proxy-runtime.js';
import type { GateDecision, GateTicket } from '../request-gate.js';
import { readAttribution, type Attribution } from '../request/attribution-headers.js';
import { promptHash } from '../request/prompt-features.js';
import { clientSecret, PROXY_KEY_PREFIX, type ProxyKeyIdentity } from '../request/proxy-keys.js';
import type { EndpointRoute } from '../usage/registry.js';
import { isObject, type JsonObject, type PreparedRequest, type RequestFacts } from '../usage/usage-capture.js';
import { mayReroute, routeRequest, upstreamPath, type Upstream } from '../upstreams/upstream-table.js';
import type { AttemptState } from './attempt-state.js';
import { upstreamRequestHeaders } from './proxy-headers.js';
import { editBody } from './body-edit.js';
import { resolveDowngrade, servedBy } from './budget-downgrade.js';
import { BodyTooLargeError, readBody } from './read-body.js';
import { priceAttempt, recordAttempt } from './record-attempt.js';
import { isTimeout, readBeforeRelay, relayStream, relayWhole, type ReadBody } from './relay-response.js';
import { nextAttempt } from './next-attempt.js';
import { retryWaitMs, type RetryCause } from './retry-policy.js';
import { respondError } from './respond.js';
import { firstTime } from '../ops/first-time.js';
import { CATALOGUE_MODEL } from '../../attribution/recorded-only-dimensions.js';
import { catalogueModel } from '../catalogue-model.js';

const NO_FACTS: RequestFacts = { stream: false, promptText: [], messageCount: 0, maxOutputTokens: undefined };
const NOT_PREPARED: PreparedRequest = { injectedUsage: false };
const INCLUDE_USAGE = Buffer.from('"stream_options":{"include_usage":true},');

/** Client keys are recorded as a short fingerprint, never as themselves. */
const fingerprints = new Map<string, string>();
function keyFingerprint(secret: string): string {
  let f = fingerprints.get(secret);
  if (f === undefined) {
    if (fingerprints.size > 1000) fingerprints.clear();
    f = `key-sha256:${createHash('sha256').update(secret).digest('hex').slice(0, 12)}`;
    fingerprints.set(secret, f);
  }
  return f;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * `"stream_options":{"include_usage":true}` spliced in after the body's opening brace: what
 * editBody gives in this case, without its scan of the body (this is the common case, a
 * stream whose client did not ask for usage). Only used when the body had no
 * `stream_options` key (so no duplicate key), no model to change, and has other keys.
 */
function spliceIncludeUsage(raw: Buffer): Buffer {
  const brace = raw.indexOf(0x7b);
  return Buffer.concat([raw.subarray(0, brace + 1), INCLUDE_USAGE, raw.subarray(brace + 1)]);
}

/**
 * What the gate may match a request on: its dimensions, tags, proxy key, provider, model
 * and the catalogue model that is priced as (`matched_model`, as its row will record it).
 */
function gateDims(rt: ProxyRuntime, attribution: Attribution, key: ProxyKeyIdentity | undefined, upstream: Upstream, model: string, at: number): Record<string, string> {
  const dims: Record<string, string> = { ...attribution.tags };
  for (const [k, v] of Object.entries(attribution.columns)) if (v !== undefined) dims[k] = v;
  dims.provider = upstream.provider;
  dims.model = model;
  dims.upstream = upstream.name;
  if (key !== undefined) dims.key = key.name;
  // Never a tag's: a client's tags cannot move its request into or out of a model's budgets.
  const matched = catalogueModel(rt.pricer, upstream.pricingProvider, model, at);
  if (matched !== undefined) dims[CATALOGUE_MODEL] = matched;
  else delete dims[CATALOGUE_MODEL];
  return dims;
}

export async function forwardLlmRequest(rt: ProxyRuntime, req: IncomingMessage, res: ServerResponse, route: EndpointRoute, path: string, query: string): Promise<void> {
  const t0 = performance.now();
  const startedAt = Date.now();
  const config = rt.config;
  const dialect = route.dialect;
  const requestId = rt.ids.next();
  // Judged by the gate in place when its id was taken: budgets that SIGHUP brings count the
  // requests of earlier ids from their rows (start-proxy.ts startBudgets), not from a ticket too.
  const gate = rt.gate;
  // Refusals carry the request id too; successful responses set it with the others in one writeHead.
  const fail = (status: number, code: string, message: string, headers: Record<string, string> = {}) =>
    respondError(res, dialect, status, code, message, { 'x-llmfin-request-id': requestId, ...headers });
  // Refused before anything went upstream: still one line in the log (an unknown proxy key is worth seeing), never a row.
  const logRefusal = (status: number, error: string, to: { upstream?: string; model?: string | undefined; routedFrom?: string | undefined; stream?: boolean } = {}): void =>
    rt.log.request(
      refusalLine({
        id: requestId, method: req.method ?? 'POST', endpoint: route.endpoint, status, error,
        upstream: to.upstream, model: to.model, routed_from: to.routedFrom, stream: to.stream, latency_ms: Math.round((performance.now() - t0) * 10) / 10,
      }),
    );
  // Counted in /metrics as well, as budget refusals are: an operator sees a client sending bad JSON or unknown keys.
  const refuse = (status: number, code: string, message: string, upstreamName = '-', model?: string): void => {
    rt.metrics.request(upstreamName, route.endpoint, route.method, status);
    fail(status, code, message);
    logRefusal(status, code, { upstream: upstreamName, model });
  };

  let raw: Buffer | undefined;
  if (req.method === 'POST') {
    try {
      raw = await readBody(req, rt.maxBodyBytes);
    } catch (error) {
      if (error instanceof BodyTooLargeError) refuse(413, 'request_too_large', error.message);
      // Otherwise the client went away while sending: nothing was forwarded, nothing to record.
      return;
    }
  }
  let body: JsonObject | undefined;
  if (raw !== undefined && raw.length > 0) {
    try {
      const parsed: unknown = JSON.parse(raw.toString('utf8'));
      if (isObject(parsed)) body = parsed;
    } catch {
      // Answered below.
    }
    if (body === undefined) return refuse(400, 'invalid_json', 'the request body is not a JSON object');
  }

  // Who is calling: a proxy key pins attribution and uses the upstream's key.
  const secret = clientSecret(req.headers, config.keys);
  let key: ProxyKeyIdentity | undefined;
  if (secret !== undefined) {
    key = config.keys.lookup(secret);
    if (key === undefined && secret.startsWith(PROXY_KEY_PREFIX)) {
      return refuse(401, 'unknown_proxy_key', 'this llmfin proxy key is not configured (proxy.keys in llmfin.yaml, and its environment variable)');
    }
  }
  if (key === undefined && config.requireKey) return refuse(401, 'proxy_key_required', 'this proxy requires an llmfin proxy key (llmfin-sk-…) as the API key');

  const modelIn = typeof body?.model === 'string' ? body.model : undefined;
  const routed = routeRequest(config.upstreams, dialect, header(req, 'x-llmfin-upstream'), modelIn, (u, model) => servedBy(rt.pricer, u, model, new Date(startedAt)));
  if (!routed.ok) return refuse(routed.status, routed.code, routed.message, '-', modelIn);
  const requestedUpstream = routed.upstream;
  let upstream = requestedUpstream;
  const modelRequested = routed.model;
  let modelSent = modelRequested;

  const capture = route.capture;
  const facts = capture !== undefined && body !== undefined ? capture.facts(body) : NO_FACTS;
  // The prompt's length is needed now (the reservation); its hash only for the row, later.
  let promptChars = Math.max(0, facts.promptText.length - 1);
  for (const part of facts.promptText) promptChars += part.length;
  // A Responses API request that continues a response (or a conversation) is billed for that conversation as well:
  // its size, when this proxy saw it, counts as prompt (at the four characters a token estimates use).
  if (facts.previousResponseId !== undefined) promptChars += 4 * rt.responseContexts.tokensOf(facts.previousResponseId);
  if (facts.conversationId !== undefined) promptChars += 4 * rt.responseContexts.tokensOf(facts.conversationId);
  const attribution = readAttribution(req.headers, key, rt.runId);
  if (attribution.dropped !== undefined) noteDropped(rt, attribution.dropped, requestId);
  const traceId = attribution.columns.trace_id;

  // A trace that keeps making the same call is an agent loop: flag it, or refuse the repeat.
  let loopCall: LoopCall | undefined;
  let loop: LoopFinding | undefined;
  // A flag is logged once the request is sure to go upstream: a refused one is no call of its trace.
  let flagged: (() => void) | undefined;
  let hash: string | undefined;
  if (capture !== undefined && traceId !== undefined) {
    hash = promptHash(facts.promptText);
    const repeats = config.loops.repeats;
    const seen = rt.loopWatch.observe(traceId, `h:${hash}`, repeats);
    loopCall = seen.call;
    loop = seen.finding;
    if (loop !== undefined) {
      attribution.tags.loop = loop.kind;
      const what = `trace ${traceId} is looping (${loop.kind}: the same call ${loop.repeats} times in its last ${2 * repeats} calls)`;
      if (config.loops.action === 'block') {
        rt.log.event('warn', `${what}: ${requestId} refused (proxy.loops.action: block)`, { trace_id: traceId, loop: loop.kind, repeats: loop.repeats });
        rt.metrics.request(upstream.name, route.endpoint, route.method, 429);
        fail(429, 'agent_loop', `llmfin proxy: agent loop detected in trace ${traceId}: ${loop.kind}, ${loop.repeats} repeats; request refused (proxy.loops.action: block)`, {
          'x-llmfin-loop': loopHeader(loop),
          // The SDKs retry a 429 (twice, by default), and a retry is the same call again: refused again, and one more repeat.
          'x-should-retry': 'false',
        });
        // Its request line too, as a budget's refusal has: a reader of the request log sees every 429 the proxy answered.
        logRefusal(429, 'agent_loop', { upstream: upstream.name, model: modelRequested, stream: facts.stream });
        return;
      }
      const { kind, repeats: times } = loop;
      flagged = () => rt.log.event('warn', `${what}: ${requestId} flagged`, { trace_id: traceId, loop: kind, repeats: times });
    }
  }

  // Routing: decided before the gate, so that a reservation is made for the model that will run.
  let decision: RouteDecision | undefined;
  let routeHashes: AttemptState['routeHashes'];
  let routedFrom: string | undefined;
  const router = config.router;
  // Only requests that generate from a conversation: an embeddings model has no stand-in in a tier.
  if (router !== undefined && capture !== undefined && body !== undefined && modelRequested !== undefined && isRoutedEndpoint(route.endpoint)) {
    try {
      const text = extractRouteText(body, dialect);
      decision = router.decide({ ...text, dialect, model: modelRequested, agent: attribution.columns.agent, feature: attribution.columns.feature, traceId });
      routeHashes = { systemHash: text.systemHash, promptHash: text.promptHash };
    } catch (error) {
      // Routing is an optimisation: a failure forwards the request as asked.
      rt.log.event('error', `routing failed on ${requestId}, request forwarded unchanged: ${(error as Error).message}`);
    }
    if (decision !== undefined) {
      if (decision.apply) {
        const target = decision.upstream !== undefined ? config.upstreams.byName.get(decision.upstream) : config.upstreams.defaults[dialect];
        // Never across dialects: a pool's upstream that does not speak the client's dialect is not used.
        // Nor one with no key of its own (api_key_env) unless it is where the client sent its request:
        // the client's own key is only ever sent where the client addressed it, and a proxy key is never
        // sent on (a budget's downgrade checks the same).
        const keyless = target !== undefined && target.dialect === dialect && !mayReroute(upstream, target, key !== undefined);
        if (target !== undefined && target.dialect === dialect && !keyless) {
          upstream = target;
          modelSent = decision.model;
          routedFrom = modelRequested;
        } else {
          const why = keyless ? 'has no key of its own (api_key_env), and the caller\'s credentials only go to the upstream it addressed' : `unusable for ${dialect}`;
          decision = { ...decision, apply: false, reason: `${decision.reason}; upstream ${decision.upstream ?? dialect} ${why}: kept ${modelRequested}` };
          if (keyless) noteNotRerouted(rt, 'routing', upstream.name, target.name);
        }
      }
      Object.assign(attribution.tags, routeTags(decision));
    }
  }
  // Refused from here on, the request never reached the upstream: it is no call of its trace.
  const unwatch = (): void => {
    if (loopCall !== undefined) rt.loopWatch.withdraw(traceId!, loopCall);
  };
  if (key !== undefined && upstream.apiKey === undefined) {
    // The proxy key must never be sent upstream, and there is no other key to send.
    unwatch();
    return refuse(401, 'upstream_key_missing', `requests with a proxy key need the upstream's own key: set api_key_env for upstream "${upstream.name}" in llmfin.yaml`, upstream.name, modelSent);
  }

  let ticket: GateTicket | undefined;
  let notice: string | undefined;
  /** The dims the ticket holds the request under: settling moves it to those of the model that served it. */
  let admittedDims: Record<string, string> | undefined;
  if (capture !== undefined && modelSent !== undefined) {
    // The most this request may cost on a model at an upstream: its reservation, and what a downgrade must lower.
    const costOf = (model: string, at: Upstream): bigint =>
      maxCostTicks(rt.pricer, {
        provider: at.pricingProvider,
        model,
        promptChars,
        maxOutputTokens: facts.maxOutputTokens,
        choices: facts.choices,
        webSearches: facts.maxWebSearches,
        serviceTier: facts.serviceTier,
        region: facts.region,
        defaultMaxOutputTokens: config.defaultMaxOutputTokens,
        at: new Date(startedAt),
      });
    let admitted: GateDecision | undefined;
    try {
      admitted = gate.admit({
        dialect,
        endpoint: route.endpoint,
        provider: upstream.provider,
        model: modelSent,
        dims: (admittedDims = gateDims(rt, attribution, key, upstream, modelSent, startedAt)),
        maxCostTicks: costOf(modelSent, upstream),
        upstream: upstream.name,
        requestId,
      });
    } catch (error) {
      // A failing gate must not take the traffic down with it: forward, and say so loudly.
      rt.log.event('error', `budget gate failed on ${requestId}, request forwarded without a reservation: ${(error as Error).message}`);
    }
    if (admitted?.kind === 'reject') {
      const refused = admitted;
      unwatch();
      rt.metrics.rejected(refused.budget);
      rt.metrics.request(upstream.name, route.endpoint, route.method, refused.status);
      const headers: Record<string, string> = { 'x-llmfin-budget': refused.budget.replace(/[^\x20-\x7e]/g, '?') };
      if (refused.retryAfterSeconds !== undefined) headers['retry-after'] = String(Math.max(0, Math.ceil(refused.retryAfterSeconds)));
      // A block stands until its period ends: an SDK told nothing would sleep the whole Retry-After and ask again.
      if (refused.retry === false) headers['x-should-retry'] = 'false';
      fail(refused.status, 'budget_exceeded', refused.message, headers);
      logRefusal(refused.status, `budget ${refused.budget}`, { upstream: upstream.name, model: modelSent, routedFrom, stream: facts.stream });
      return;
    }
    if (admitted?.kind === 'allow') {
      ticket = admitted.ticket;
      notice = admitted.notice;
      let replacement: string | undefined;
      if (admitted.model !== undefined || admitted.downgrade === true) {
        // A budget's downgrade: its downgrade_to, else the routing policy's cheapest tier, within this dialect.
        const choice = resolveDowngrade({ admitted, model: modelSent, dialect, endpoint: route.endpoint, upstream, requestedUpstream, upstreams: config.upstreams, key, router, pricer: rt.pricer, at: new Date(startedAt), costOf });
        notice = choice.notice;
        if (choice.warning !== undefined) noteDowngradeWarning(rt, choice.warning, requestId);
        if (choice.notRerouted !== undefined) noteNotRerouted(rt, 'budget downgrade', requestedUpstream.name, choice.notRerouted.name);
        if (choice.model !== undefined && choice.upstream !== undefined) {
          replacement = choice.model;
          upstream = choice.upstream;
        }
      }
      if (replacement !== undefined && replacement !== modelSent) {
        // A budget's downgrade: recorded like a routed request, so that reports show what it saved.
        routedFrom = modelRequested;
        modelSent = replacement;
        if (modelRequested !== undefined) attribution.tags.routed_from = modelRequested;
        admittedDims = gateDims(rt, attribution, key, upstream, modelSent, startedAt);
        ticket.rescope?.(admittedDims);
      }
    }
  }

  flagged?.();

  // The body upstream: the client's bytes, unless the model or the stream options change,
  // and then still the client's bytes apart from those (body-edit.ts).
  let outBody = raw;
  let prepared = NOT_PREPARED;
  if (body !== undefined) {
    const hadStreamOptions = 'stream_options' in body;
    // An API that refuses stream_options (Mistral) sends a stream's usage unasked: nothing to add.
    if (capture !== undefined && upstream.acceptsStreamOptions) prepared = capture.prepare(body, facts);
    const modelChanged = modelSent !== modelIn;
    if (modelChanged || (prepared.injectedUsage && hadStreamOptions)) outBody = editBody(raw!, { model: modelChanged ? modelSent : undefined, includeUsage: prepared.injectedUsage });
    else if (prepared.injectedUsage) outBody = spliceIncludeUsage(raw!);
  }

  // A background create's estimate assumes its whole output cap, as the reservation does;
  // a retrieval of a background response (this proxy's, or one pending in the ledger) may carry that response's usage.
  const backgroundCap = facts.background === true ? (facts.maxOutputTokens ?? config.defaultMaxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS) : undefined;
  const settling = route.settles !== undefined ? retrievedResponseId(route.endpoint, path) : undefined;

  let a: AttemptState = {
    requestId, attempt: 1, method: req.method ?? 'GET', startedAt, t0, route, upstream, requestedUpstream, res, modelRequested, modelSent, routedFrom, routing: decision, routeHashes, notice,
    stream: facts.stream, requestedTier: facts.serviceTier, requestedRegion: facts.region, prepared, promptText: facts.promptText, promptChars, promptHash: hash, messageCount: facts.messageCount, attribution, apiKeyId: key !== undefined ? key.name : secret !== undefined ? keyFingerprint(secret) : undefined,
    ticket, gateDims: admittedDims, loopCall, loop, loopSettled: false, statusCode: 0, responded: false, ttfbMs: undefined, usage: undefined, outputChars: 0, failure: undefined, failureDetail: undefined, clientGone: false,
    backgroundCap, settling,
  };

  // A client that goes away aborts the upstream call (gateways.md §6.4); its row is estimated.
  // undici takes an EventEmitter as the signal: cheaper than an AbortController per request.
  // `a` is the current attempt's state (retries replace it).
  const abort = new EventEmitter();
  res.on('error', () => undefined);
  res.on('close', () => {
    if (!res.writableFinished) {
      a.clientGone = true;
      abort.emit('abort');
    }
  });

  // Retries happen only here, before any byte of a response has gone to the client.
  const retries = config.retries;
  for (;;) {
    let up: Dispatcher.ResponseData | undefined;
    let failedWith: unknown;
    let cause: RetryCause | undefined;
    try {
      up = await rt.pools.get(upstream.origin).request({
        path: upstreamPath(upstream, path, query),
        method: a.method as Dispatcher.HttpMethod,
        // Uncompressed when llmfin reads the answer: a billed endpoint's, or a background response's retrieval.
        headers: upstreamRequestHeaders(req.headers, upstream, capture !== undefined || settling !== undefined),
        body: outBody ?? null,
        signal: abort,
        headersTimeout: config.timeoutMs,
        bodyTimeout: config.timeoutMs,
      });
      a.statusCode = up.statusCode;
      a.responded = true;
      if (up.statusCode >= 400) cause = { kind: 'status', status: up.statusCode, headers: up.headers };
    } catch (error) {
      failedWith = error;
      if (a.clientGone) {
        a.statusCode = 499;
        a.failure = 'client_disconnected';
      } else {
        const timeout = isTimeout(error);
        a.statusCode = timeout ? 504 : 502;
        a.failure = timeout ? 'upstream_timeout' : 'upstream_unreachable';
        a.failureDetail = (error as { code?: string }).code ?? (error as Error).message;
        cause = { kind: timeout ? 'timeout' : 'unreachable' };
      }
    }
    const eventStream = up !== undefined && isEventStream(up);
    // While a retry is left, a JSON answer is read before it is relayed: an error in its
    // body with HTTP 200 is retried as the status it stands for (relay-response.ts).
    let read: ReadBody | undefined;
    if (up !== undefined && cause === undefined && !eventStream && capture !== undefined && retries !== undefined && a.attempt - 1 < retries.max) {
      read = await readBeforeRelay(a, up);
      if ('errorStatus' in read && read.errorStatus !== undefined) cause = { kind: 'status', status: read.errorStatus, headers: up.headers };
    }
    const wait = retries === undefined || cause === undefined ? undefined : retryWaitMs(retries, a.attempt - 1, cause, Date.now());
    if (wait !== undefined) {
      // An error body is read and dropped so that the connection can be reused.
      if (read === undefined) await up?.body.dump().catch(() => undefined);
      const next = await nextAttempt(rt, a, wait, abort);
      if (next === undefined) return;
      a = next;
      continue;
    }
    if (up === undefined) {
      if (!a.clientGone) {
        const what = a.failure === 'upstream_timeout' ? `did not answer within ${config.timeoutMs} ms` : `is unreachable (${(failedWith as Error).message})`;
        const tries = a.attempt > 1 ? ` (${a.attempt} attempts)` : '';
        fail(a.statusCode, a.failure!, `llmfin proxy: upstream "${upstream.name}" (${upstream.baseUrl}) ${what}${tries}`, a.attempt > 1 ? { 'x-llmfin-attempts': String(a.attempt) } : {});
      }
      recordAttempt(rt, a, priceAttempt(rt, a));
      return;
    }
    if (eventStream && up.statusCode < 400) await relayStream(rt, a, up);
    else await relayWhole(rt, a, up, read);
    return;
  }
}

/** The response id in a retrieval's path (`/v1/responses/{id}`…). */
function retrievedResponseId(endpoint: string, path: string): string | undefined {
  const prefix = endpoint.slice(0, endpoint.indexOf('{id}'));
  const end = path.indexOf('/', prefix.length);
  const segment = path.slice(prefix.length, end === -1 ? undefined : end);
  // The registry let only ids that decode cleanly through (isStoredId).
  return segment.includes('%') ? decodeURIComponent(segment) : segment;
}

/** Logs, once per addressed and target upstream (the row records every request), that a request was served as asked rather than sent to an upstream with no key of its own. */
export function noteNotRerouted(rt: ProxyRuntime, by: 'routing' | 'budget downgrade', addressed: string, target: string): void {
  if (!firstTime(rt, 'not rerouted', `${by}\u0000${addressed}\u0000${target}`)) return;
  rt.log.event(
    'warn',
    `${by}: requests to upstream "${addressed}" are served as asked, not sent to upstream "${target}": it has no key of its own, and a caller's credentials only go to the upstream it addressed; set api_key_env for "${target}" in llmfin.yaml (logged once)`,
  );
}

/**
 * Logs a budget downgrade that could not be done as configured, once per proxy run (the
 * notice header and the row tell each request): it holds for every request of that budget
 * and upstream until the config changes, and a line per request would flood the log. Its
 * text names only the budget, models and upstreams of the config.
 */
function noteDowngradeWarning(rt: ProxyRuntime, warning: string, requestId: string): void {
  if (!firstTime(rt, 'downgrade', warning)) return;
  rt.log.event('warn', `${warning} (first on ${requestId}; logged once)`);
}

/** When each header's dropped value was last logged: once a minute per header, so a client that always sends one does not flood the log. */
const droppedLogged = new WeakMap<ProxyRuntime, Map<string, number>>();
const DROPPED_LOG_MS = 60_000;

/** Logs attribution headers the request gave but whose values were not stored (the row goes without them). */
function noteDropped(rt: ProxyRuntime, dropped: NonNullable<ReturnType<typeof readAttribution>['dropped']>, requestId: string): void {
  const now = Date.now();
  let logged = droppedLogged.get(rt);
  if (logged === undefined) droppedLogged.set(rt, (logged = new Map()));
  for (const { header, reason } of dropped) {
    const last = logged.get(header);
    if (last !== undefined && now - last < DROPPED_LOG_MS) continue;
    logged.set(header, now);
    rt.log.event('warn', `${header} ignored on ${requestId}: ${reason}; the row is stored without it (logged once a minute per header)`);
  }
}

function isEventStream(up: Dispatcher.ResponseData): boolean {
  const contentType = up.headers['content-type'];
  return typeof contentType === 'string' && contentType.includes('text/event-stream');
}
