// Anthropic messages through the proxy with the official client: input and cache counts
// from message_start, output from the LAST message_delta (cumulative, never summed),
// cache writes split 5-minute / 1-hour, count_tokens forwarded and free.
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPLY } from '../../helpers/fake-provider.js';
import { startHarness, type Harness } from '../proxy-harness.js';

let h: Harness;
let client: Anthropic;
beforeAll(async () => {
  h = await startHarness();
  client = new Anthropic({ baseURL: h.proxy.url, apiKey: 'sk-ant-client-own-0003', maxRetries: 0 });
});
afterAll(() => h.close());

// claude-haiku-4-5 (llmfin pricing show claude-haiku-4-5): input 1, cache_read 0.1, cache_write_5m 1.25,
// cache_write_1h 2, output 5 USD/1M. Anthropic's input_tokens exclude the cache:
// 100 x 1e-6 = 0.0001; 2000 x 0.1e-6 = 0.0002; 300 x 1.25e-6 = 0.000375; 400 x 2e-6 = 0.0008; 250 x 5e-6 = 0.00125;
// total 0.002725, over 2800 input tokens.
const USAGE = { input: 100, cached: 2000, cacheWrite5m: 300, cacheWrite1h: 400, output: 250 };
const headers = { 'x-fake-usage': JSON.stringify(USAGE) };
const EXPECTED = {
  provider: 'anthropic', model: 'claude-haiku-4-5', input_tokens: 2800, uncached_input_tokens: 100, cache_read_tokens: 2000,
  cache_write_5m_tokens: 300, cache_write_1h_tokens: 400, output_tokens: 250, cost_usd: '0.002725', cost_ticks: 27_250_000n, cost_status: 'priced',
};
const params = { model: 'claude-haiku-4-5', max_tokens: 1024, system: 'Be terse.', messages: [{ role: 'user' as const, content: 'Say hello' }] };

describe('anthropic messages', () => {
  it('JSON: every cache bucket priced once, provider headers forwarded', async () => {
    const before = h.fake.requests.length;
    const { data, response } = await client.messages.create(params, { headers: { ...headers, 'anthropic-beta': 'prompt-caching-2024-07-31' } }).withResponse();
    expect(data.content[0]).toMatchObject({ type: 'text', text: REPLY });
    expect(response.headers.get('x-llmfin-cost-usd')).toBe('0.002725');
    const sent = h.fake.requests[before]!;
    expect(sent.headers['anthropic-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(sent.headers['anthropic-beta']).toBe('prompt-caching-2024-07-31');
    // The client's own key passes through (this SDK sends it as a bearer token).
    expect(sent.headers['x-api-key'] ?? sent.headers.authorization).toMatch(/sk-ant-client-own-0003$/);
    expect((await h.rows()).at(-1)).toMatchObject({ ...EXPECTED, service_tier: 'standard' });
  });

  it('stream: message_start + the last message_delta, not their sum', async () => {
    const stream = await client.messages.create({ ...params, stream: true }, { headers });
    let text = '';
    const deltas: number[] = [];
    for await (const event of stream) {
      if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') text += event.delta.text;
      if (event.type === 'message_delta') deltas.push(event.usage.output_tokens);
    }
    expect(text).toBe(REPLY);
    // The fake sends a partial cumulative count (10) before the final one (250): summing would give 260.
    expect(deltas).toEqual([10, 250]);
    const row = (await h.rows()).at(-1)!;
    expect(row).toMatchObject(EXPECTED);
    expect(JSON.parse(row.raw_usage!)).toMatchObject({ stream: true, usage_source: 'reported', usage: { output_tokens: 250, cache_creation: { ephemeral_5m_input_tokens: 300, ephemeral_1h_input_tokens: 400 } } });
  });

  it('the message stream helper sees the same final message', async () => {
    const final = await client.messages.stream(params, { headers }).finalMessage();
    expect(final.usage.output_tokens).toBe(250);
    expect((await h.rows()).at(-1)).toMatchObject({ cost_usd: '0.002725' });
  });

  it('web searches: priced per search from the response, and from the last message_delta of a stream', async () => {
    // claude-haiku-4-5: 0.002725 for the tokens (above) + 3 searches × $0.01 = 0.032725
    const searching = { 'x-fake-usage': JSON.stringify({ ...USAGE, webSearches: 3 }) };
    const { data, response } = await client.messages.create(params, { headers: searching }).withResponse();
    expect(data.usage.server_tool_use).toEqual({ web_search_requests: 3 });
    expect(response.headers.get('x-llmfin-cost-usd')).toBe('0.032725');
    expect((await h.rows()).at(-1)).toMatchObject({ ...EXPECTED, web_search_requests: 3, cost_usd: '0.032725', cost_ticks: 327_250_000n });
    // A stream's message_start says 0 searches; its last message_delta says 3 (cumulative).
    const stream = await client.messages.create({ ...params, stream: true }, { headers: searching });
    for await (const _ of stream) void _;
    expect((await h.rows()).at(-1)).toMatchObject({ ...EXPECTED, web_search_requests: 3, cost_usd: '0.032725', cost_ticks: 327_250_000n });
  });

  it('fast mode and US-only inference: priced at their own rates, as the usage says it ran', async () => {
    // claude-opus-4-6: input 5, output 25 USD/1M; fast mode 6x, US-only inference 1.1x.
    // 1000 x 5e-6 + 100 x 25e-6 = 0.0075 at standard rates.
    const opus = { ...params, model: 'claude-opus-4-6' };
    const fast = { 'x-fake-usage': JSON.stringify({ input: 1000, output: 100, speed: 'fast', inferenceGeo: 'global' }) };
    const { data, response } = await client.messages.create(opus, { headers: fast }).withResponse();
    expect(data.usage).toMatchObject({ speed: 'fast', inference_geo: 'global' });
    // 6 x 0.0075 = 0.045.
    expect(response.headers.get('x-llmfin-cost-usd')).toBe('0.045');
    expect((await h.rows()).at(-1)).toMatchObject({ model: 'claude-opus-4-6', service_tier: 'fast', region: null, cost_usd: '0.045', cost_ticks: 450_000_000n, cost_status: 'priced' });
    // A stream: message_start says where it ran. 1.1 x 0.0075 = 0.00825.
    const us = { 'x-fake-usage': JSON.stringify({ input: 1000, output: 100, speed: 'standard', inferenceGeo: 'us' }) };
    const stream = await client.messages.create({ ...opus, stream: true }, { headers: us });
    for await (const _ of stream) void _;
    expect((await h.rows()).at(-1)).toMatchObject({ model: 'claude-opus-4-6', service_tier: 'standard', region: 'us', cost_usd: '0.00825', cost_ticks: 82_500_000n, cost_status: 'priced' });
  });

  it('count_tokens: forwarded, free, no ledger row', async () => {
    const count = (await h.rows()).length;
    const res = await client.messages.countTokens({ model: 'claude-haiku-4-5', messages: params.messages });
    expect(res.input_tokens).toBe(42);
    expect(await h.rows()).toHaveLength(count);
  });

  it('models: an Anthropic client gets the Anthropic model list', async () => {
    const page = await client.models.list();
    expect(page.data.map((m) => m.id)).toEqual(['claude-sonnet-4-5']);
  });

  it('no usage: estimated from characters, usage_unknown', async () => {
    const stream = await client.messages.create({ ...params, stream: true }, { headers: { 'x-fake-scenario': 'no-usage' } });
    for await (const _ of stream) void _;
    // Prompt "Be terse.\nSay hello" = 19 chars -> 5 tokens; reply 29 chars -> 8 tokens.
    // 5 x 1e-6 + 8 x 5e-6 = 0.000005 + 0.00004 = 0.000045.
    const row = (await h.rows()).at(-1)!;
    expect(row).toMatchObject({ input_tokens: 5, output_tokens: 8, cost_usd: '0.000045', cost_status: 'estimated' });
    expect(row.description).toContain('usage_unknown');
  });
});
