// The proxy in front of OpenAI-compatible providers other than OpenAI, as configured in
// proxy.upstreams, each served by a loopback fake that answers the way that provider does:
// Groq (usage in `x_groq.usage` on a stream's last chunk), DeepSeek (cache hits as
// `prompt_cache_hit_tokens`), Together (usage on the finish chunk), Gemini's OpenAI
// endpoint under /v1beta/openai, and a local Ollama without a key (the client's own key
// passed through). Money is asserted exactly against the bundled catalogue's prices.
import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLedger, type LedgerStore, type UsageEntry } from '../../../src/ledger/index.js';
import { startProxy, type RunningProxy } from '../../../src/proxy/start-proxy.js';
import { bundledPricer } from '../proxy-harness.js';
import { startRawUpstream, type RawUpstream } from '../raw-upstream.js';

interface Seen {
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

/** What a provider's usage object looks like for 1,000 prompt tokens and 200 completion tokens. */
const USAGE: Record<string, Record<string, unknown>> = {
  groq: { queue_time: 0.01, prompt_tokens: 1000, prompt_time: 0.1, completion_tokens: 200, completion_time: 0.2, total_tokens: 1200, total_time: 0.3 },
  // DeepSeek's own fields: cache hits and misses beside prompt_tokens, no prompt_tokens_details.
  deepseek: { prompt_tokens: 1000, completion_tokens: 200, total_tokens: 1200, prompt_cache_hit_tokens: 600, prompt_cache_miss_tokens: 400 },
  together: { prompt_tokens: 1000, completion_tokens: 200, total_tokens: 1200 },
  gemini: { prompt_tokens: 1000, completion_tokens: 200, total_tokens: 1200 },
  ollama: { prompt_tokens: 1000, completion_tokens: 200, total_tokens: 1200 },
  mistral: { prompt_tokens: 1000, total_tokens: 1200, completion_tokens: 200 },
};

const seen: Seen[] = [];
let fake: RawUpstream;
let fakeUrl: string;
let proxy: RunningProxy;
let ledger: LedgerStore;
let dir: string;
let client: OpenAI;

function answer(provider: string, body: Record<string, unknown>, headers: IncomingHttpHeaders, res: ServerResponse): void {
  const usage = USAGE[provider]!;
  const model = body.model;
  if (provider === 'mistral' && 'stream_options' in body) {
    // Mistral validates strictly and has no stream_options.
    res.writeHead(422, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ object: 'error', message: { detail: [{ type: 'extra_forbidden', loc: ['body', 'stream_options'], msg: 'Extra inputs are not permitted' }] }, type: 'invalid_request_error' }));
    return;
  }
  if (body.stream !== true) {
    res.writeHead(200, { 'content-type': 'application/json', 'x-groq-region': 'us-east-1', 'x-request-id': 'req_prov_1' });
    res.end(JSON.stringify({ id: 'c1', object: 'chat.completion', created: 1, model, choices: [{ index: 0, message: { role: 'assistant', content: 'Hello there' }, finish_reason: 'stop' }], usage }));
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const chunk = (delta: Record<string, unknown>, finish: string | null, extra: Record<string, unknown> = {}) =>
    `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model, choices: [{ index: 0, delta, finish_reason: finish }], ...extra })}\n\n`;
  res.write(chunk({ role: 'assistant', content: '' }, null));
  res.write(chunk({ content: 'Hello there' }, null));
  const options = body.stream_options as { include_usage?: boolean } | undefined;
  // Groq: usage in x_groq on the finish chunk; the standard usage chunk only when asked to honour stream_options.
  if (provider === 'groq') {
    res.write(chunk({}, 'stop', { x_groq: { id: 'req_groq_1', usage } }));
    if (headers['x-fake-honour-options'] === '1' && options?.include_usage === true)
      res.write(`data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model, choices: [], usage })}\n\n`);
  } else if (provider === 'together' || provider === 'mistral') res.write(chunk({}, 'stop', { usage }));
  else {
    res.write(chunk({}, 'stop'));
    if (options?.include_usage === true) res.write(`data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model, choices: [], usage })}\n\n`);
  }
  res.end('data: [DONE]\n\n');
}

/** DeepSeek's Anthropic-compatible API, under https://api.deepseek.com/anthropic: only /anthropic/v1/messages exists. */
function answerAnthropic(path: string, body: Record<string, unknown>, headers: IncomingHttpHeaders, res: ServerResponse): void {
  if (path !== '/deepseek/anthropic/v1/messages') {
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { message: `no route ${path}`, type: 'not_found' } }));
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(
    JSON.stringify({
      id: 'msg_1', type: 'message', role: 'assistant', model: body.model, content: [{ type: 'text', text: 'Hello there' }], stop_reason: 'end_turn', stop_sequence: null,
      usage: { input_tokens: Number(headers['x-fake-input'] ?? 400), cache_read_input_tokens: 600, output_tokens: 200 },
    }),
  );
}

beforeAll(async () => {
  fake = await startRawUpstream((req, res, raw) => {
    const body = raw.length === 0 ? {} : (JSON.parse(raw.toString('utf8')) as Record<string, unknown>);
    seen.push({ path: req.url ?? '', headers: req.headers, body });
    if ((req.url ?? '').startsWith('/deepseek/anthropic/')) return answerAnthropic(req.url ?? '', body, req.headers, res);
    answer((req.url ?? '').split('/')[1]!, body, req.headers, res);
  });
  fakeUrl = fake.url;
  dir = mkdtempSync(join(tmpdir(), 'llmfin-providers-'));
  ledger = await openLedger(join(dir, 'ledger.db'));
  proxy = await startProxy({
    ledger,
    pricer: await bundledPricer(),
    config: {
      upstreams: {
        gemini: { base_url: `${fakeUrl}/gemini/v1beta/openai`, api_key_env: 'GEMINI_API_KEY', dialect: 'openai' },
        groq: { base_url: `${fakeUrl}/groq/openai/v1`, api_key_env: 'GROQ_API_KEY', dialect: 'openai' },
        together: { base_url: `${fakeUrl}/together/v1`, api_key_env: 'TOGETHER_API_KEY', dialect: 'openai' },
        deepseek: { base_url: `${fakeUrl}/deepseek`, api_key_env: 'DEEPSEEK_API_KEY', dialect: 'openai' },
        ollama: { base_url: `${fakeUrl}/ollama/v1`, dialect: 'openai' },
        mistral: { base_url: `${fakeUrl}/mistral/v1`, api_key_env: 'MISTRAL_API_KEY', dialect: 'openai' },
        'deepseek-anthropic': { base_url: `${fakeUrl}/deepseek/anthropic`, api_key_env: 'DEEPSEEK_API_KEY', dialect: 'anthropic', provider: 'deepseek' },
      },
    },
    port: 0,
    env: { GEMINI_API_KEY: 'gem-secret-1', GROQ_API_KEY: 'gsk-secret-2', TOGETHER_API_KEY: 'tog-secret-3', DEEPSEEK_API_KEY: 'ds-secret-4', MISTRAL_API_KEY: 'mis-secret-5' },
    logWrite: () => undefined,
    flushIntervalMs: 50,
  });
  client = new OpenAI({ baseURL: `${proxy.url}/v1`, apiKey: 'sk-client-own-key-77', maxRetries: 0 });
});

afterAll(async () => {
  await proxy.close();
  await ledger.close();
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

async function lastRow(): Promise<UsageEntry> {
  await proxy.flush();
  const rows = await ledger.db.selectFrom('usage_entries').selectAll().orderBy('id', 'desc').limit(1).execute();
  return rows[0]!;
}

const messages = [{ role: 'user' as const, content: 'hi there, how are you' }];

describe('OpenAI-compatible providers behind the proxy', () => {
  it('Groq stream: usage sent only in x_groq.usage is recorded exactly, not estimated', async () => {
    const stream = await client.chat.completions.create({ model: 'groq/llama-3.3-70b-versatile', stream: true, messages });
    const chunks = [];
    for await (const c of stream) chunks.push(c);
    // The provider's own last chunk reaches the client as Groq sent it.
    expect((chunks.at(-1) as unknown as { x_groq: { usage: unknown } }).x_groq.usage).toEqual(USAGE.groq);
    const sent = seen.at(-1)!;
    expect(sent.path).toBe('/groq/openai/v1/chat/completions');
    expect(sent.body.model).toBe('llama-3.3-70b-versatile');
    expect(sent.headers.authorization).toBe('Bearer gsk-secret-2');
    const row = await lastRow();
    expect(row).toMatchObject({ provider: 'groq', model: 'llama-3.3-70b-versatile', input_tokens: 1000, output_tokens: 200, cost_status: 'priced' });
    // llama-3.3-70b-versatile on Groq: $0.59 / $0.79 per 1M → 1000 × 0.59e-6 + 200 × 0.79e-6.
    expect(row.cost_usd).toBe('0.000748');
    expect(row.description ?? '').not.toContain('usage_unknown');
  });

  it('Groq stream that also sends the standard usage chunk: counted once, not twice', async () => {
    const stream = await client.chat.completions.create(
      { model: 'groq/llama-3.3-70b-versatile', stream: true, stream_options: { include_usage: true }, messages },
      { headers: { 'x-fake-honour-options': '1' } },
    );
    const chunks = [];
    for await (const c of stream) chunks.push(c);
    expect(chunks.at(-1)!.usage).toMatchObject({ prompt_tokens: 1000, completion_tokens: 200 });
    const row = await lastRow();
    expect(row).toMatchObject({ input_tokens: 1000, output_tokens: 200, cost_usd: '0.000748', cost_status: 'priced' });
  });

  it('DeepSeek: cache hits reported as prompt_cache_hit_tokens are priced at the cache-read rate', async () => {
    const { data, response } = await client.chat.completions.create({ model: 'deepseek/deepseek-chat', messages }).withResponse();
    expect(data.usage).toEqual(USAGE.deepseek);
    expect(seen.at(-1)!.path).toBe('/deepseek/chat/completions');
    const row = await lastRow();
    expect(row).toMatchObject({ provider: 'deepseek', input_tokens: 1000, uncached_input_tokens: 400, cache_read_tokens: 600, output_tokens: 200 });
    // deepseek-chat: $0.28 in, $0.028 cache read, $0.42 out per 1M → 400 × 0.28e-6 + 600 × 0.028e-6 + 200 × 0.42e-6.
    expect(row.cost_usd).toBe('0.0002128');
    expect(response.headers.get('x-llmfin-cost-usd')).toBe('0.0002128');
  });

  it('DeepSeek stream: the same fields in the usage chunk', async () => {
    const stream = await client.chat.completions.create({ model: 'deepseek-chat', stream: true, messages }, { headers: { 'x-llmfin-upstream': 'deepseek' } });
    for await (const c of stream) expect(c.usage ?? null).toBeNull();
    const row = await lastRow();
    expect(row).toMatchObject({ cache_read_tokens: 600, uncached_input_tokens: 400, cost_usd: '0.0002128' });
  });

  it('Together: usage on the finish chunk; model ids with a slash kept after the prefix', async () => {
    const stream = await client.chat.completions.create({ model: 'together/meta-llama/Llama-3.3-70B-Instruct-Turbo', stream: true, messages });
    for await (const c of stream) void c;
    expect(seen.at(-1)!.body.model).toBe('meta-llama/Llama-3.3-70B-Instruct-Turbo');
    expect(seen.at(-1)!.headers.authorization).toBe('Bearer tog-secret-3');
    const row = await lastRow();
    // $0.88 / $0.88 per 1M → 1200 × 0.88e-6.
    expect(row).toMatchObject({ provider: 'together', model: 'meta-llama/Llama-3.3-70B-Instruct-Turbo', cost_usd: '0.001056', cost_status: 'priced' });
  });

  it('Ollama without api_key_env: the client key is passed through and never stored', async () => {
    await client.chat.completions.create({ model: 'ollama/llama3.2', messages });
    const sent = seen.at(-1)!;
    expect(sent.path).toBe('/ollama/v1/chat/completions');
    expect(sent.headers.authorization).toBe('Bearer sk-client-own-key-77');
    const row = await lastRow();
    expect(row.api_key).toMatch(/^key-sha256:[0-9a-f]{12}$/);
    expect(JSON.stringify(row)).not.toContain('sk-client-own-key-77');
    expect(row).toMatchObject({ provider: 'ollama', input_tokens: 1000, output_tokens: 200 });
  });

  it('Gemini under /v1beta/openai: priced from the catalogue under google', async () => {
    const { response } = await client.chat.completions.create({ model: 'gemini/gemini-2.5-flash', messages }).withResponse();
    expect(seen.at(-1)!.path).toBe('/gemini/v1beta/openai/chat/completions');
    expect(seen.at(-1)!.headers.authorization).toBe('Bearer gem-secret-1');
    // gemini-2.5-flash: $0.30 / $2.50 per 1M → 1000 × 0.3e-6 + 200 × 2.5e-6.
    expect(response.headers.get('x-llmfin-cost-usd')).toBe('0.0008');
    expect(await lastRow()).toMatchObject({ provider: 'google', model: 'gemini-2.5-flash', cost_usd: '0.0008' });
  });

  it("DeepSeek's Anthropic-compatible endpoint: the Anthropic SDK's /v1/messages goes under its base path", async () => {
    const anthropic = new Anthropic({ baseURL: proxy.url, apiKey: 'sk-ant-client-77', maxRetries: 0 });
    const msg = await anthropic.messages.create({ model: 'deepseek-chat', max_tokens: 256, messages }, { headers: { 'x-llmfin-upstream': 'deepseek-anthropic' } });
    expect(msg.content).toEqual([{ type: 'text', text: 'Hello there' }]);
    const sent = seen.at(-1)!;
    expect(sent.path).toBe('/deepseek/anthropic/v1/messages');
    expect(sent.headers['x-api-key']).toBe('ds-secret-4');
    const row = await lastRow();
    // Anthropic's convention (input excludes the cache read): 400 × 0.28e-6 + 600 × 0.028e-6 + 200 × 0.42e-6.
    expect(row).toMatchObject({ provider: 'deepseek', model: 'deepseek-chat', uncached_input_tokens: 400, cache_read_tokens: 600, output_tokens: 200, cost_usd: '0.0002128' });
  });

  it('Anthropic-shaped usage from a provider that counts cache inside input is not under-charged', async () => {
    const anthropic = new Anthropic({ baseURL: proxy.url, apiKey: 'sk-ant-client-77', maxRetries: 0 });
    const { response } = await anthropic.messages
      .create({ model: 'deepseek-chat', max_tokens: 256, messages }, { headers: { 'x-llmfin-upstream': 'deepseek-anthropic', 'x-fake-input': '1000' } })
      .withResponse();
    // 1,000 uncached + 600 cache read: 1000 × 0.28e-6 + 600 × 0.028e-6 + 200 × 0.42e-6 (not 400 uncached, $0.0002128).
    expect(response.headers.get('x-llmfin-cost-usd')).toBe('0.0003808');
    expect(await lastRow()).toMatchObject({ input_tokens: 1600, uncached_input_tokens: 1000, cache_read_tokens: 600, cost_usd: '0.0003808' });
  });

  it('Mistral stream: no stream_options is added (Mistral refuses it with 422); its own usage is read', async () => {
    const stream = await client.chat.completions.create({ model: 'mistral/mistral-large-2411', stream: true, messages });
    const chunks = [];
    for await (const c of stream) chunks.push(c);
    const sent = seen.at(-1)!;
    expect(sent.path).toBe('/mistral/v1/chat/completions');
    expect('stream_options' in sent.body).toBe(false);
    // The usage Mistral sends unasked reaches the client as it would without the proxy.
    expect(chunks.at(-1)!.usage).toEqual(USAGE.mistral);
    const row = await lastRow();
    // mistral-large-2411: $2 / $6 per 1M → 1000 × 2e-6 + 200 × 6e-6.
    expect(row).toMatchObject({ provider: 'mistral', status_code: 200, input_tokens: 1000, output_tokens: 200, cost_usd: '0.0032', cost_status: 'priced' });
  });
});
