// A fake LLM provider on loopback (node:http on 127.0.0.1:0) that answers like the real
// OpenAI and Anthropic APIs: chat completions (JSON and SSE, usage chunk only with
// stream_options.include_usage), responses (JSON and SSE ending in response.completed),
// embeddings (float or base64), models, Anthropic messages (JSON and SSE with
// message_start usage and CUMULATIVE message_delta usage) and count_tokens.
// Per request, headers choose the case: x-fake-scenario (no-usage, error-400, error-429,
// error-500, slow-stream, hang), x-fake-usage (JSON of FakeUsage), x-fake-served-model, and
// x-fake-fail-times: N with x-fake-fail-key: K, which fails the first N requests of key K
// with x-fake-fail-status (default 503; its error body with HTTP 200 given x-fake-fail-with-200: 1)
// and x-fake-fail-retry-after when given, then
// answers normally (a flaky upstream, for retries), and x-fake-count-prompt: 1, which reports the prompt's own size as input tokens (its message
// text at four characters a token, none cached), so longer prompts cost more as they would.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeUsage {
  /** OpenAI: prompt_tokens (includes cached); Anthropic: input_tokens (excludes cache). */
  input: number;
  output: number;
  cached?: number;
  reasoning?: number;
  cacheWrite5m?: number;
  cacheWrite1h?: number;
  /** What the response says it was served on (`default`, `priority`, `flex`; Anthropic `standard`, `priority`). */
  serviceTier?: string;
  /**
   * Server-side web searches, absent when undefined. Anthropic: `server_tool_use.web_search_requests`;
   * Responses API: that many `web_search_call` items in `output` (and in a stream, their output_item events).
   */
  webSearches?: number;
  /** Anthropic: `speed` (`fast` for fast mode) and `inference_geo` (`us`, `global`), absent when undefined. */
  speed?: string;
  inferenceGeo?: string;
}

export interface FakeRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown> | undefined;
  raw: string;
}

export const DEFAULT_USAGE: FakeUsage = { input: 1200, output: 80, cached: 1024, reasoning: 0 };
export const REPLY_WORDS = ['Hello', ' from', ' the', ' fake', ' provider.'];
export const REPLY = REPLY_WORDS.join('');

export interface FakeProvider {
  url: string;
  requests: FakeRequest[];
  /** Streams whose client went away before the end (the proxy aborted them). */
  aborted: number;
  /** Streams started. */
  streamsStarted: number;
  close(): Promise<void>;
}

function openaiUsage(u: FakeUsage) {
  return {
    prompt_tokens: u.input,
    completion_tokens: u.output,
    total_tokens: u.input + u.output,
    prompt_tokens_details: { cached_tokens: u.cached ?? 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: u.reasoning ?? 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

/** A message's usage; `searches` is the web searches so far (none yet in a stream's message_start). */
function anthropicUsage(u: FakeUsage, output: number, searches = u.webSearches) {
  const w5 = u.cacheWrite5m ?? 0;
  const w1 = u.cacheWrite1h ?? 0;
  return {
    input_tokens: u.input,
    cache_creation_input_tokens: w5 + w1,
    cache_read_input_tokens: u.cached ?? 0,
    cache_creation: { ephemeral_5m_input_tokens: w5, ephemeral_1h_input_tokens: w1 },
    output_tokens: output,
    service_tier: u.serviceTier ?? 'standard',
    ...(u.webSearches === undefined ? {} : { server_tool_use: { web_search_requests: searches ?? 0 } }),
    ...(u.speed === undefined ? {} : { speed: u.speed }),
    ...(u.inferenceGeo === undefined ? {} : { inference_geo: u.inferenceGeo }),
  };
}

function responsesUsage(u: FakeUsage) {
  return {
    input_tokens: u.input,
    input_tokens_details: { cached_tokens: u.cached ?? 0 },
    output_tokens: u.output,
    output_tokens_details: { reasoning_tokens: u.reasoning ?? 0 },
    total_tokens: u.input + u.output,
  };
}

/** The text of a request's messages (or input) at four characters a token, at least 1. */
function promptTokens(body: Record<string, unknown> | undefined): number {
  let chars = 0;
  const add = (content: unknown): void => {
    if (typeof content === 'string') chars += content.length;
    else if (Array.isArray(content)) for (const part of content) add(typeof part === 'object' && part !== null ? (part as { text?: unknown }).text : part);
  };
  const items = Array.isArray(body?.messages) ? body.messages : [body?.input];
  for (const m of items) add(typeof m === 'object' && m !== null ? (m as { content?: unknown }).content : m);
  if (typeof body?.system === 'string') chars += body.system.length;
  return Math.max(1, Math.ceil(chars / 4));
}

export async function startFakeProvider(): Promise<FakeProvider> {
  const state = { requests: [] as FakeRequest[], aborted: 0, streamsStarted: 0, failCounts: new Map<string, number>() };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: Record<string, unknown> | undefined;
      try {
        body = raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined;
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":{"message":"bad json"}}');
        return;
      }
      const fullPath = (req.url ?? '/').split('?')[0]!;
      state.requests.push({ method: req.method ?? 'GET', path: fullPath, headers: req.headers, body, raw });
      // OpenAI-compatible providers serve the same API under their own prefix (/openai/v1/…).
      const v1 = fullPath.lastIndexOf('/v1/');
      const path = v1 === -1 ? fullPath : fullPath.slice(v1);
      const h = (name: string) => {
        const v = req.headers[name];
        return Array.isArray(v) ? v[0] : v;
      };
      const scenario = h('x-fake-scenario') ?? 'ok';
      let usage: FakeUsage = h('x-fake-usage') ? (JSON.parse(h('x-fake-usage')!) as FakeUsage) : DEFAULT_USAGE;
      if (h('x-fake-count-prompt') === '1') usage = { ...usage, input: promptTokens(body), cached: 0 };
      const model = (body?.model as string | undefined) ?? 'unknown';
      const served = h('x-fake-served-model') ?? model;
      const anthropic = path.startsWith('/v1/messages');
      const json = (status: number, value: unknown, headers: Record<string, string> = {}) => {
        const text = JSON.stringify(value);
        res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'x-request-id': 'fake-req-1', ...headers }).end(text);
      };

      const failKey = h('x-fake-fail-key');
      if (failKey !== undefined) {
        const seen = (state.failCounts.get(failKey) ?? 0) + 1;
        state.failCounts.set(failKey, seen);
        if (seen <= Number(h('x-fake-fail-times') ?? 0)) {
          const status = Number(h('x-fake-fail-status') ?? 503);
          const retryAfter = h('x-fake-fail-retry-after');
          const headers: Record<string, string> = retryAfter !== undefined ? { 'retry-after': retryAfter } : {};
          // x-fake-fail-with-200: the error body comes with HTTP 200, as overloaded providers sometimes send it.
          const sent = h('x-fake-fail-with-200') === '1' ? 200 : status;
          if (anthropic) return json(sent, { type: 'error', error: { type: status === 529 ? 'overloaded_error' : 'api_error', message: `fake ${status} (${seen})` } }, headers);
          return json(sent, { error: { message: `fake ${status} (${seen})`, type: 'server_error', param: null, code: `fake_${status}` } }, headers);
        }
      }
      if (scenario.startsWith('error-')) {
        const status = Number(scenario.slice(6));
        const message = `fake ${status}`;
        const headers: Record<string, string> = status === 429 ? { 'retry-after': '7' } : {};
        if (anthropic) return json(status, { type: 'error', error: { type: status === 429 ? 'rate_limit_error' : status === 400 ? 'invalid_request_error' : 'api_error', message } }, headers);
        return json(status, { error: { message, type: status === 429 ? 'rate_limit_exceeded' : 'server_error', param: null, code: `fake_${status}` } }, headers);
      }
      // Never answers: for upstream timeouts.
      if (scenario === 'hang') return;
      const noUsage = scenario === 'no-usage';
      const slow = scenario === 'slow-stream';

      const sse = () => {
        state.streamsStarted++;
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-request-id': 'fake-req-1' });
        res.on('close', () => {
          if (!res.writableFinished) state.aborted++;
        });
      };
      const send = async (parts: string[]) => {
        for (const p of parts) {
          if (res.destroyed) return;
          res.write(p);
          if (slow) await new Promise((r) => setTimeout(r, 20));
        }
        if (!res.destroyed) res.end();
      };
      const words = slow ? Array.from({ length: 400 }, (_, i) => ` w${i}`) : REPLY_WORDS;

      if (path === '/v1/chat/completions') {
        if (!body?.stream) {
          return json(200, {
            id: 'chatcmpl-fake', object: 'chat.completion', created: 1760000000, model: served, system_fingerprint: 'fp_fake', service_tier: usage.serviceTier ?? 'default',
            choices: [{ index: 0, message: { role: 'assistant', content: REPLY, refusal: null }, logprobs: null, finish_reason: 'stop' }],
            ...(noUsage ? {} : { usage: openaiUsage(usage) }),
          });
        }
        const include = (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true && !noUsage;
        const base = { id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 1760000000, model: served, system_fingerprint: 'fp_fake', service_tier: usage.serviceTier ?? 'default' };
        const chunk = (extra: object) => `data: ${JSON.stringify({ ...base, ...extra, ...(include ? { usage: null } : {}) })}\n\n`;
        sse();
        const parts = [chunk({ choices: [{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }] })];
        for (const w of words) parts.push(chunk({ choices: [{ index: 0, delta: { content: w }, logprobs: null, finish_reason: null }] }));
        parts.push(chunk({ choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }] }));
        if (include) parts.push(`data: ${JSON.stringify({ ...base, choices: [], usage: openaiUsage(usage) })}\n\n`);
        parts.push('data: [DONE]\n\n');
        void send(parts);
        return;
      }

      if (path === '/v1/responses') {
        const searchCalls = Array.from({ length: usage.webSearches ?? 0 }, (_, i) => ({ type: 'web_search_call', id: `ws_fake_${i}`, status: 'completed', action: { type: 'search', query: `fake query ${i}` } }));
        const response = (status: string, withUsage: boolean) => ({
          id: 'resp_fake', object: 'response', created_at: 1760000000, status, model: served, service_tier: usage.serviceTier ?? 'default',
          output: status === 'completed' ? [...searchCalls, { type: 'message', id: 'msg_fake', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: REPLY, annotations: [] }] }] : [],
          usage: withUsage ? responsesUsage(usage) : null,
          // A request in a conversation (Conversations API) is answered as part of it.
          ...(typeof body?.conversation === 'string' ? { conversation: { id: body.conversation } } : {}),
        });
        if (!body?.stream) return json(200, response('completed', !noUsage));
        sse();
        let seq = 0;
        const ev = (type: string, data: object) => `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: seq++, ...data })}\n\n`;
        const parts = [ev('response.created', { response: response('in_progress', false) }), ev('response.in_progress', { response: response('in_progress', false) })];
        for (const [i, call] of searchCalls.entries()) {
          parts.push(ev('response.output_item.added', { output_index: i, item: { ...call, status: 'in_progress' } }));
          parts.push(ev('response.web_search_call.completed', { output_index: i, item_id: call.id }));
          parts.push(ev('response.output_item.done', { output_index: i, item: call }));
        }
        const at = searchCalls.length;
        for (const w of words) parts.push(ev('response.output_text.delta', { item_id: 'msg_fake', output_index: at, content_index: 0, delta: w }));
        parts.push(ev('response.output_text.done', { item_id: 'msg_fake', output_index: at, content_index: 0, text: REPLY }));
        parts.push(ev('response.completed', { response: response('completed', !noUsage) }));
        void send(parts);
        return;
      }

      if (path === '/v1/embeddings') {
        const inputs = Array.isArray(body?.input) ? body.input : [body?.input];
        const vector = [0.25, -0.5, 0.125];
        const base64 = body?.encoding_format === 'base64';
        return json(200, {
          object: 'list',
          data: inputs.map((_, index) => ({ object: 'embedding', index, embedding: base64 ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector })),
          model: served,
          ...(noUsage ? {} : { usage: { prompt_tokens: usage.input, total_tokens: usage.input } }),
        });
      }

      if (path === '/v1/models' || path.startsWith('/v1/models/')) {
        if (anthropic || req.headers['anthropic-version']) return json(200, { data: [{ type: 'model', id: 'claude-sonnet-4-5', display_name: 'Claude Sonnet 4.5', created_at: '2025-09-29T00:00:00Z' }], has_more: false, first_id: 'claude-sonnet-4-5', last_id: 'claude-sonnet-4-5' });
        return json(200, { object: 'list', data: [{ id: 'gpt-4o-mini', object: 'model', created: 1721172741, owned_by: 'system' }] });
      }

      if (path === '/v1/messages/count_tokens') return json(200, { input_tokens: 42 });

      if (path === '/v1/messages') {
        const message = (output: number, searches?: number) => ({
          id: 'msg_fake', type: 'message', role: 'assistant', model: served, content: [{ type: 'text', text: REPLY }], stop_reason: 'end_turn', stop_sequence: null,
          usage: anthropicUsage(usage, output, searches),
        });
        if (!body?.stream) {
          const m = message(usage.output) as Record<string, unknown>;
          if (noUsage) delete m.usage;
          return json(200, m);
        }
        sse();
        const ev = (type: string, data: object) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
        const start = { ...message(1, 0), content: [], stop_reason: null } as Record<string, unknown>;
        if (noUsage) delete start.usage;
        const parts = [ev('message_start', { message: start }), ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }), ev('ping', {})];
        words.forEach((w, i) => {
          parts.push(ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: w } }));
          // A mid-stream message_delta with a partial cumulative count: summing would over-count.
          if (i === 1 && !noUsage) parts.push(ev('message_delta', { delta: { stop_reason: null, stop_sequence: null }, usage: { output_tokens: 10 } }));
        });
        parts.push(ev('content_block_stop', { index: 0 }));
        // The last message_delta's usage is cumulative, server tool counts included.
        const final = { output_tokens: usage.output, ...(usage.webSearches === undefined ? {} : { server_tool_use: { web_search_requests: usage.webSearches } }) };
        parts.push(ev('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, ...(noUsage ? {} : { usage: final }) }));
        parts.push(ev('message_stop', {}));
        void send(parts);
        return;
      }
      json(404, { error: { message: `fake: no route ${path}` } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get requests() {
      return state.requests;
    },
    get aborted() {
      return state.aborted;
    },
    get streamsStarted() {
      return state.streamsStarted;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  } as FakeProvider;
}
