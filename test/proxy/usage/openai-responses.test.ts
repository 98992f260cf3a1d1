// The Responses API and embeddings through the proxy with the official client. Responses
// usage comes from response.completed; nothing is injected (the API rejects
// stream_options). Embeddings are input-only; model lists are forwarded and not recorded.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPLY } from '../../helpers/fake-provider.js';
import { openaiResponsesCapture } from '../../../src/proxy/usage/openai-responses.js';
import { startHarness, type Harness } from '../proxy-harness.js';

let h: Harness;
let client: OpenAI;
beforeAll(async () => {
  h = await startHarness();
  client = new OpenAI({ baseURL: `${h.proxy.url}/v1`, apiKey: 'sk-client-own-key-0002', maxRetries: 0 });
});
afterAll(() => h.close());

// gpt-4.1 (llmfin pricing show gpt-4.1): input 2, cache_read 0.5, output 8 USD/1M.
// 1500 input of which 1000 cached, 300 output: 500 x 2e-6 = 0.001; 1000 x 0.5e-6 = 0.0005; 300 x 8e-6 = 0.0024; total 0.0039.
const USAGE = { input: 1500, cached: 1000, output: 300, reasoning: 120 };
const headers = { 'x-fake-usage': JSON.stringify(USAGE) };

describe('openai responses', () => {
  it('JSON: usage from the response object', async () => {
    const before = h.fake.requests.length;
    const { data, response } = await client.responses.create({ model: 'gpt-4.1', input: 'Say hello', instructions: 'Be terse.' }, { headers }).withResponse();
    expect(data.output_text).toBe(REPLY);
    expect(response.headers.get('x-llmfin-cost-usd')).toBe('0.0039');
    expect(h.fake.requests[before]!.body).not.toHaveProperty('stream_options');
    expect((await h.rows()).at(-1)).toMatchObject({ model: 'gpt-4.1', input_tokens: 1500, uncached_input_tokens: 500, cache_read_tokens: 1000, output_tokens: 300, reasoning_tokens: 120, cost_usd: '0.0039', cost_status: 'priced' });
  });

  it('JSON without usage: estimated for the model the response names, not the alias asked for', async () => {
    const { response } = await client.responses
      .create({ model: 'gpt-4o', input: 'Say hello' }, { headers: { 'x-fake-scenario': 'no-usage', 'x-fake-served-model': 'gpt-4o-2024-05-13' } })
      .withResponse();
    // gpt-4o-2024-05-13: input 5, output 15 USD/1M (the gpt-4o alias is 2.5 and 10). "Say hello" -> 3 tokens;
    // the reply, 29 characters -> 8 tokens: 3 x 5e-6 + 8 x 15e-6 = 0.000135 USD.
    expect(response.headers.get('x-llmfin-cost-usd')).toBe('0.000135');
    expect((await h.rows()).at(-1)).toMatchObject({ model: 'gpt-4o-2024-05-13', model_requested: 'gpt-4o', input_tokens: 3, output_tokens: 8, cost_usd: '0.000135', cost_status: 'estimated' });
  });

  it('stream: usage from response.completed, events passed through, no stream_options injected', async () => {
    const before = h.fake.requests.length;
    const stream = await client.responses.create({ model: 'gpt-4.1', input: [{ role: 'user', content: 'Say hello' }], stream: true }, { headers });
    const types: string[] = [];
    let text = '';
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'response.output_text.delta') text += event.delta;
    }
    expect(types[0]).toBe('response.created');
    expect(types.at(-1)).toBe('response.completed');
    expect(text).toBe(REPLY);
    expect(h.fake.requests[before]!.body).not.toHaveProperty('stream_options');
    const row = (await h.rows()).at(-1)!;
    expect(row).toMatchObject({ input_tokens: 1500, cache_read_tokens: 1000, output_tokens: 300, reasoning_tokens: 120, cost_usd: '0.0039', cost_status: 'priced' });
    expect(JSON.parse(row.raw_usage!)).toMatchObject({ stream: true, usage_source: 'reported', output_chars: REPLY.length });
  });
});

describe('openai embeddings and models', () => {
  it('embeddings: input tokens only, base64 vectors decoded by the client unchanged', async () => {
    const { data, response } = await client.embeddings
      .create({ model: 'text-embedding-3-small', input: ['first text', 'second'] }, { headers: { 'x-fake-usage': JSON.stringify({ input: 8, output: 0 }) } })
      .withResponse();
    expect(data.data.map((d) => d.embedding)).toEqual([[0.25, -0.5, 0.125], [0.25, -0.5, 0.125]]);
    // text-embedding-3-small: input 0.02 USD/1M; 8 x 0.02e-6 = 0.00000016.
    expect(response.headers.get('x-llmfin-cost-usd')).toBe('0.00000016');
    expect((await h.rows()).at(-1)).toMatchObject({ model: 'text-embedding-3-small', input_tokens: 8, output_tokens: 0, cost_usd: '0.00000016', cost_ticks: 1600n });
  });

  it('a large embeddings body is read for usage without parsing its vectors', async () => {
    const input = Array.from({ length: 12000 }, (_, i) => `text ${i}`);
    const res = await client.embeddings.create({ model: 'text-embedding-3-small', input, encoding_format: 'float' }, { headers: { 'x-fake-usage': JSON.stringify({ input: 50_000, output: 0 }) } });
    expect(res.data).toHaveLength(12000);
    // 50,000 x 0.02e-6 = 0.001.
    expect((await h.rows()).at(-1)).toMatchObject({ input_tokens: 50_000, cost_usd: '0.001', cost_status: 'priced' });
  });

  it('models: forwarded, free, no ledger row', async () => {
    const count = (await h.rows()).length;
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toEqual(['gpt-4o-mini']);
    expect(await h.rows()).toHaveLength(count);
  });
});

// OpenAI bills each call of the web search tool on top of the tokens: $0.01 on gpt-4.1
// (llmfin pricing show gpt-4.1: web_search 0.01 per search).
describe('openai responses with the web search tool', () => {
  const tools = [{ type: 'web_search' as const }];

  it('JSON: each web_search_call output item is a search, priced on top of the tokens', async () => {
    const { data, response } = await client.responses
      .create({ model: 'gpt-4.1', input: 'What happened today?', tools }, { headers: { 'x-fake-usage': JSON.stringify({ ...USAGE, webSearches: 3 }) } })
      .withResponse();
    expect(data.output.filter((o) => o.type === 'web_search_call')).toHaveLength(3);
    // 0.0039 of tokens + 3 x $0.01
    expect(response.headers.get('x-llmfin-cost-usd')).toBe('0.0339');
    expect((await h.rows()).at(-1)).toMatchObject({ model: 'gpt-4.1', input_tokens: 1500, output_tokens: 300, web_search_requests: 3, cost_usd: '0.0339', cost_ticks: 339_000_000n, cost_status: 'priced' });
  });

  it('stream: the searches are counted from response.completed', async () => {
    const stream = await client.responses.create(
      { model: 'gpt-4.1', input: 'What happened today?', tools, stream: true },
      { headers: { 'x-fake-usage': JSON.stringify({ ...USAGE, webSearches: 2 }) } },
    );
    const searches = new Set<string>();
    for await (const event of stream) if (event.type === 'response.output_item.done' && event.item.type === 'web_search_call') searches.add(event.item.id);
    expect(searches.size).toBe(2);
    // 0.0039 of tokens + 2 x $0.01
    expect((await h.rows()).at(-1)).toMatchObject({ web_search_requests: 2, cost_usd: '0.0239', cost_status: 'priced' });
  });

  it('a response that searched nothing costs its tokens alone', async () => {
    await client.responses.create({ model: 'gpt-4.1', input: 'Say hello', tools }, { headers });
    expect((await h.rows()).at(-1)).toMatchObject({ web_search_requests: 0, cost_usd: '0.0039' });
  });

  it('a terminal event without its output list counts the calls the stream announced, each once', () => {
    const reader = openaiResponsesCapture.streamReader({ injectedUsage: false });
    const item = (id: string, status: string) => JSON.stringify({ type: 'response.output_item.added', item: { type: 'web_search_call', id, status } });
    reader.onEvent(item('ws_1', 'in_progress'), 'response.output_item.added');
    reader.onEvent(item('ws_1', 'completed'), 'response.output_item.done');
    reader.onEvent(item('ws_2', 'completed'), 'response.output_item.done');
    reader.onEvent(JSON.stringify({ type: 'response.output_text.delta', delta: 'say \\"type\\": \\"web_search_call\\"' }), 'response.output_text.delta');
    reader.onEvent(JSON.stringify({ type: 'response.completed', response: { status: 'completed', usage: { input_tokens: 10, output_tokens: 5 } } }), 'response.completed');
    expect(reader.result()?.reported).toMatchObject({ input: 10, output: 5, webSearches: 2 });
  });

  it('a request with the tool reserves its max_tool_calls searches against budgets, or 10', () => {
    expect(openaiResponsesCapture.facts({ model: 'gpt-4.1', input: 'q', tools: [{ type: 'web_search' }], max_tool_calls: 4 }).maxWebSearches).toBe(4);
    expect(openaiResponsesCapture.facts({ model: 'gpt-4.1', input: 'q', tools: [{ type: 'web_search_preview' }] }).maxWebSearches).toBe(10);
    expect(openaiResponsesCapture.facts({ model: 'gpt-4.1', input: 'q', tools: [{ type: 'function', name: 'f' }] }).maxWebSearches).toBeUndefined();
  });
});
