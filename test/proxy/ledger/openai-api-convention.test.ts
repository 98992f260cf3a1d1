// OpenAI's APIs count cached tokens inside prompt_tokens whoever serves them. Claude through
// Anthropic's OpenAI-compatible endpoint (an upstream of dialect openai, provider anthropic),
// where routing may send an OpenAI client, must not be read in Anthropic's own convention,
// which leaves the cache out of input: that counted the 1,024 cached tokens twice.
//
// The fake answers prompt_tokens 1,200 of which 1,024 cached, 80 completion tokens.
import OpenAI from 'openai';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHarness, type Harness } from '../proxy-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    env: { ANTHROPIC_KEY: 'sk-ant-upstream' },
    extraUpstreams: (url) => ({ 'claude-oai': { base_url: `${url}/v1`, api_key_env: 'ANTHROPIC_KEY', dialect: 'openai', provider: 'anthropic' } }),
    routing: {
      mode: 'enforce',
      default_tier: 'small',
      tiers: [
        { name: 'small', models: { 'claude-oai': ['claude-haiku-4-5'] } },
        { name: 'large', models: { openai: ['gpt-4o'] } },
      ],
    },
  });
});
afterAll(() => h.close());

it('a routed request served by Claude on the OpenAI API is priced with its cache inside input', async () => {
  const client = new OpenAI({ baseURL: `${h.proxy.url}/v1`, apiKey: 'sk-client', maxRetries: 0 });
  const { data, response } = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
  expect(data.model).toBe('claude-haiku-4-5');
  expect(response.headers.get('x-llmfin-routed-from')).toBe('gpt-4o');
  const stream = await client.chat.completions.create({ model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: 'hello' }] });
  for await (const chunk of stream) expect(chunk.choices).toHaveLength(1);

  // 176 x 1e-6 + 1024 x 0.10e-6 + 80 x 5e-6 = 0.0006784; gpt-4o for the same tokens:
  // 176 x 2.50e-6 + 1024 x 1.25e-6 + 80 x 10e-6 = 0.00252.
  expect(response.headers.get('x-llmfin-cost-usd')).toBe('0.0006784');
  const rows = await h.rows();
  expect(
    rows.map((r) => [r.provider, r.model_requested, r.model, r.input_tokens, r.uncached_input_tokens, r.cache_read_tokens, r.output_tokens, r.cost_usd, JSON.parse(r.raw_usage ?? '{}').routing.original_cost_usd]),
  ).toEqual([
    ['anthropic', 'gpt-4o', 'claude-haiku-4-5', 1200, 176, 1024, 80, '0.0006784', '0.00252'],
    ['anthropic', 'gpt-4o', 'claude-haiku-4-5', 1200, 176, 1024, 80, '0.0006784', '0.00252'],
  ]);
});
