import { describe, expect, it } from 'vitest';
import { malformedPrice, shownValue } from '../../../src/pricing/seed/malformed-price.js';

describe('malformedPrice', () => {
  it('finds a LiteLLM price field that is not a number >= 0, in any variant of the field', () => {
    const ok = { 'gpt-x': { litellm_provider: 'openai', input_cost_per_token: 1e-6, output_cost_per_token: 0 } };
    expect(malformedPrice('litellm', ok)).toBeUndefined();
    expect(malformedPrice('litellm', { 'gpt-x': { litellm_provider: 'openai', input_cost_per_token: 1e-6, output_cost_per_token_flex: -1e-6 } })).toEqual({
      entry: 'gpt-x',
      field: 'output_cost_per_token_flex',
      value: -1e-6,
    });
    expect(malformedPrice('litellm', { 'gpt-x': { litellm_provider: 'openai', cache_read_input_token_cost_above_200k_tokens: null } })?.field).toBe(
      'cache_read_input_token_cost_above_200k_tokens',
    );
  });

  it('leaves alone LiteLLM entries of providers llmfin does not ship, and fields that are not prices', () => {
    expect(malformedPrice('litellm', { 'x/y': { litellm_provider: 'not-shipped', input_cost_per_token: 'abc' } })).toBeUndefined();
    expect(malformedPrice('litellm', { 'gpt-x': { litellm_provider: 'openai', input_cost_per_token: 1e-6, max_tokens: 'many' } })).toBeUndefined();
  });

  it('finds a genai-prices price that is not a number >= 0, in a price set, a dated list or a tier', () => {
    const feed = (prices: unknown) => [{ id: 'openai', models: [{ id: 'gpt-x', prices }] }];
    expect(malformedPrice('genai-prices', feed({ input_mtok: 1, output_mtok: { base: 2, tiers: [{ start: 200000, price: 4 }] } }))).toBeUndefined();
    expect(malformedPrice('genai-prices', feed({ input_mtok: '1' }))).toEqual({ entry: 'openai/gpt-x', field: 'prices.input_mtok', value: '1' });
    expect(malformedPrice('genai-prices', feed([{ prices: { input_mtok: 1 } }, { constraint: { start_date: '2026-01-01' }, prices: { output_mtok: { base: 2, tiers: [{ start: 1, price: -3 }] } } }]))).toEqual({
      entry: 'openai/gpt-x',
      field: 'prices[1].prices.output_mtok.tiers[0].price',
      value: -3,
    });
    expect(malformedPrice('genai-prices', feed(undefined))).toEqual({ entry: 'openai/gpt-x', field: 'prices', value: undefined });
  });

  it('shows a value as the file wrote it', () => {
    expect(shownValue('2e-07')).toBe('"2e-07"');
    expect(shownValue(null)).toBe('null');
    expect(shownValue(undefined)).toBe('nothing');
  });
});
