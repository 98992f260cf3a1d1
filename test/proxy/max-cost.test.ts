// The gate's reservation: prompt at four characters a token plus the output cap, priced.
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_WEB_SEARCHES, maxCostTicks } from '../../src/proxy/max-cost.js';
import { anthropicMessagesCapture } from '../../src/proxy/usage/anthropic-messages.js';
import { bundledPricer } from './proxy-harness.js';

const at = new Date('2026-11-01T00:00:00Z');

describe('maxCostTicks', () => {
  it('prices prompt chars / 4 as input and max_tokens as output', async () => {
    const pricer = await bundledPricer();
    // claude-haiku-4-5: input 1, output 5 USD/1M. 4000 chars -> 1000 tokens x 1e-6 = 0.001; 2000 x 5e-6 = 0.01; 0.011 USD.
    expect(maxCostTicks(pricer, { provider: 'anthropic', model: 'claude-haiku-4-5', promptChars: 4000, maxOutputTokens: 2000, at })).toBe(110_000_000n);
  });

  it('uses the default cap without max_tokens, and 0 for an unpriced model', async () => {
    const pricer = await bundledPricer();
    // gpt-4o-mini: 0 input; 4096 x 0.6e-6 = 0.0024576 USD.
    expect(maxCostTicks(pricer, { provider: 'openai', model: 'gpt-4o-mini', promptChars: 0, maxOutputTokens: undefined, at })).toBe(24_576_000n);
    expect(maxCostTicks(pricer, { provider: 'openai', model: 'gpt-4o-mini', promptChars: 0, maxOutputTokens: undefined, defaultMaxOutputTokens: 1000, at })).toBe(6_000_000n);
    expect(maxCostTicks(pricer, { provider: undefined, model: 'my-private-model', promptChars: 100, maxOutputTokens: 10, at })).toBe(0n);
  });

  it('reprices the whole request at the long-context tier past its threshold', async () => {
    const pricer = await bundledPricer();
    // claude-sonnet-4-5 past 200,000 input tokens: input 6, output 22.5 USD/1M.
    // 880,000 chars -> 220,000 tokens x 6e-6 = 1.32; 1000 x 22.5e-6 = 0.0225; 1.3425 USD.
    expect(maxCostTicks(pricer, { provider: 'anthropic', model: 'claude-sonnet-4-5', promptChars: 880_000, maxOutputTokens: 1000, at })).toBe(13_425_000_000n);
  });

  it('reserves every web search the request\'s tools allow, at $0.01 each on top of the tokens', async () => {
    const pricer = await bundledPricer();
    const body = (tools: unknown[]) => ({ model: 'claude-haiku-4-5', max_tokens: 2000, messages: [{ role: 'user', content: 'x' }], tools });
    const facts = (tools: unknown[]) => anthropicMessagesCapture.facts(body(tools));
    expect(facts([{ type: 'web_search_20250305', name: 'web_search', max_uses: 5 }]).maxWebSearches).toBe(5);
    expect(facts([{ type: 'web_search_20250305', name: 'web_search' }]).maxWebSearches).toBe(DEFAULT_MAX_WEB_SEARCHES);
    expect(facts([{ name: 'get_weather', input_schema: { type: 'object' } }]).maxWebSearches).toBeUndefined();
    // 4000 chars -> 1000 tokens x 1e-6 = 0.001; 2000 x 5e-6 = 0.01; 5 searches x 0.01 = 0.05; 0.061 USD.
    const q = { provider: 'anthropic', model: 'claude-haiku-4-5', promptChars: 4000, maxOutputTokens: 2000, at };
    expect(maxCostTicks(pricer, { ...q, webSearches: 5 })).toBe(610_000_000n);
    expect(maxCostTicks(pricer, q)).toBe(110_000_000n);
  });
});
