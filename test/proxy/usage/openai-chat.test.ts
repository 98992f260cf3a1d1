// OpenAI chat completions through the proxy with the official client: what the client
// receives is what the provider sent (no injected usage chunk leaks to a client that did
// not ask; a client that asked gets it), and each request is one exact ledger row.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPLY } from '../../helpers/fake-provider.js';
import { startHarness, type Harness } from '../proxy-harness.js';

let h: Harness;
let client: OpenAI;
beforeAll(async () => {
  h = await startHarness();
  client = new OpenAI({ baseURL: `${h.proxy.url}/v1`, apiKey: 'sk-client-own-key-0001', maxRetries: 0 });
});
afterAll(() => h.close());

const messages = [
  { role: 'system' as const, content: 'You are terse.' },
  { role: 'user' as const, content: 'Say hello' },
];

describe('openai chat completions', () => {
  it('JSON: the body is passed through and the row priced exactly', async () => {
    const before = h.fake.requests.length;
    const { data, response } = await client.chat.completions.create({ model: 'gpt-4o-mini', messages }).withResponse();
    expect(data.choices[0]!.message.content).toBe(REPLY);
    expect(data.usage?.prompt_tokens).toBe(1200);
    // gpt-4o-mini (llmfin pricing show gpt-4o-mini): input 0.15, cache_read 0.075, output 0.6 USD/1M.
    // 1200 prompt tokens of which 1024 cached: 176 x 0.15e-6 = 0.0000264; 1024 x 0.075e-6 = 0.0000768;
    // 80 output x 0.6e-6 = 0.000048; total 0.0001512.
    expect(response.headers.get('x-llmfin-cost-usd')).toBe('0.0001512');
    expect(response.headers.get('x-llmfin-cost-status')).toBe('priced');
    expect(response.headers.get('x-llmfin-model')).toBe('gpt-4o-mini');
    const id = response.headers.get('x-llmfin-request-id')!;
    expect(id).toMatch(/^req_/);
    // Non-streamed requests are sent upstream byte for byte.
    expect(h.fake.requests[before]!.body).toEqual({ model: 'gpt-4o-mini', messages });
    const row = (await h.rows()).find((r) => r.request_id === id)!;
    expect(row).toMatchObject({
      provenance: 'metered', source: 'proxy', granularity: 'request', requests: 1, provider: 'openai', model: 'gpt-4o-mini', model_requested: 'gpt-4o-mini',
      matched_model: 'gpt-4o-mini', input_tokens: 1200, uncached_input_tokens: 176, cache_read_tokens: 1024, cache_write_5m_tokens: 0, output_tokens: 80,
      reasoning_tokens: 0, cost_usd: '0.0001512', cost_ticks: 1_512_000n, cost_status: 'priced', status_code: 200, dedupe_key: `${id}#1`, batch_id: null,
      service_tier: 'standard', description: null,
    });
    expect(row.latency_ms).toBeGreaterThanOrEqual(0);
    expect(row.ttfb_ms).toBeGreaterThanOrEqual(0);
    expect(row.prompt_hash).toMatch(/^[0-9a-f]{64}$/);
    const raw = JSON.parse(row.raw_usage!) as Record<string, unknown>;
    expect(raw).toMatchObject({ usage_source: 'reported', endpoint: '/v1/chat/completions', stream: false, prompt: { chars: 'You are terse.\nSay hello'.length, has_code: false, messages: 2 } });
  });

  it('stream, client did not ask for usage: usage is requested upstream and hidden from the client', async () => {
    const before = h.fake.requests.length;
    const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true });
    const chunks: Array<Record<string, unknown>> = [];
    for await (const chunk of stream) chunks.push(chunk as unknown as Record<string, unknown>);
    expect(h.fake.requests[before]!.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    // What the real API sends without include_usage: no usage chunk, no usage field at all.
    expect(chunks.every((c) => !('usage' in c))).toBe(true);
    expect(chunks.every((c) => Array.isArray(c.choices) && (c.choices as unknown[]).length === 1)).toBe(true);
    expect(chunks.map((c) => ((c.choices as Array<{ delta: { content?: string } }>)[0]!.delta.content ?? '')).join('')).toBe(REPLY);
    const row = (await h.rows()).at(-1)!;
    expect(row).toMatchObject({ input_tokens: 1200, cache_read_tokens: 1024, output_tokens: 80, cost_usd: '0.0001512', cost_status: 'priced' });
    expect(JSON.parse(row.raw_usage!)).toMatchObject({ stream: true, usage_source: 'reported', output_chars: REPLY.length });
  });

  it('stream, client asked for usage: it gets the usage chunk, and the body is forwarded unchanged', async () => {
    const before = h.fake.requests.length;
    const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true, stream_options: { include_usage: true } });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    const usageChunk = chunks.at(-1)!;
    expect(usageChunk.choices).toEqual([]);
    expect(usageChunk.usage).toMatchObject({ prompt_tokens: 1200, completion_tokens: 80 });
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
    expect(h.fake.requests[before]!.raw).toBe(JSON.stringify({ model: 'gpt-4o-mini', messages, stream: true, stream_options: { include_usage: true } }));
    expect((await h.rows()).at(-1)).toMatchObject({ cost_usd: '0.0001512', output_tokens: 80 });
  });

  it('the raw SSE ends with the cost comment after [DONE]', async () => {
    const res = await fetch(`${h.proxy.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk-x' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages, stream: true }),
    });
    const text = await res.text();
    expect(text).not.toContain('"usage"');
    expect(text).toMatch(/data: \[DONE\]\n\n: llmfin request_id=req_\w+ cost_usd=0\.0001512 cost_status=priced\n\n$/);
  });

  it('reasoning tokens and the tier actually served are priced (o4-mini, priority)', async () => {
    const usage = { input: 2000, output: 1500, cached: 0, reasoning: 1200, serviceTier: 'priority' };
    const { response } = await client.chat.completions
      .create({ model: 'o4-mini', messages, max_completion_tokens: 4000 }, { headers: { 'x-fake-usage': JSON.stringify(usage) } })
      .withResponse();
    // o4-mini priority (llmfin pricing show o4-mini): input 2, output 8 USD/1M; reasoning is inside output.
    // 2000 x 2e-6 = 0.004; 1500 x 8e-6 = 0.012; total 0.016.
    expect(response.headers.get('x-llmfin-cost-usd')).toBe('0.016');
    expect((await h.rows()).at(-1)).toMatchObject({ model: 'o4-mini', input_tokens: 2000, output_tokens: 1500, reasoning_tokens: 1200, service_tier: 'priority', cost_usd: '0.016' });
  });

  it('the served (dated) model is recorded beside the requested one', async () => {
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages }, { headers: { 'x-fake-served-model': 'gpt-4o-mini-2024-07-18' } });
    expect((await h.rows()).at(-1)).toMatchObject({ model: 'gpt-4o-mini-2024-07-18', model_requested: 'gpt-4o-mini', matched_model: 'gpt-4o-mini', cost_usd: '0.0001512' });
  });

  it('no usage in the response: an estimate from characters, marked usage_unknown, never $0', async () => {
    const { response } = await client.chat.completions.create({ model: 'gpt-4o-mini', messages }, { headers: { 'x-fake-scenario': 'no-usage' } }).withResponse();
    // Prompt "You are terse.\nSay hello" = 24 chars -> 6 tokens; reply 29 chars -> 8 tokens.
    // 6 x 0.15e-6 + 8 x 0.6e-6 = 0.0000009 + 0.0000048 = 0.0000057.
    expect(response.headers.get('x-llmfin-cost-usd')).toBe('0.0000057');
    expect(response.headers.get('x-llmfin-cost-status')).toBe('estimated');
    const row = (await h.rows()).at(-1)!;
    expect(row).toMatchObject({ input_tokens: 6, output_tokens: 8, cost_usd: '0.0000057', cost_status: 'estimated' });
    expect(row.description).toContain('usage_unknown');

    const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true }, { headers: { 'x-fake-scenario': 'no-usage' } });
    for await (const _ of stream) void _;
    const streamed = (await h.rows()).at(-1)!;
    expect(streamed).toMatchObject({ input_tokens: 6, output_tokens: 8, cost_usd: '0.0000057', cost_status: 'estimated' });
    expect(streamed.description).toContain('usage_unknown');
  });
});
