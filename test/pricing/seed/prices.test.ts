/**
 * Price conversion in the seed: genai-prices price sets → periods (dates become
 * boundaries, times of day become windows, per-unit tiers become whole-request tiers)
 * and LiteLLM fields → rates, tiers and modifiers.
 */
import { describe, expect, it } from 'vitest';
import { genaiPeriods } from '../../../src/pricing/seed/genai-periods.js';
import { litellmGeo, litellmRates, litellmServiceTiers, litellmTiers } from '../../../src/pricing/seed/litellm-prices.js';
import { commonFactor, modifierFromRates } from '../../../src/pricing/seed/modifiers.js';

describe('genaiPeriods', () => {
  it('makes dated price changes into contiguous periods', () => {
    const problems: string[] = [];
    const periods = genaiPeriods(
      [
        { prices: { input_mtok: 10, output_mtok: 40, cache_read_mtok: 2.5 } },
        { constraint: { start_date: '2025-06-10' }, prices: { input_mtok: 2, output_mtok: 8, cache_read_mtok: 0.5 } },
      ],
      'genai-prices:openai/o3',
      new Map(),
      problems,
    );
    expect(periods).toEqual([
      { from: null, to: '2025-06-10', rates: { input: '10', output: '40', cache_read: '2.5' }, source: 'genai-prices:openai/o3' },
      { from: '2025-06-10', to: null, rates: { input: '2', output: '8', cache_read: '0.5' }, source: 'genai-prices:openai/o3' },
    ]);
    expect(problems).toEqual([]);
  });

  it('makes time-of-day prices into windows with full rates', () => {
    const periods = genaiPeriods(
      [
        { prices: { input_mtok: 0.135, output_mtok: 0.55 } },
        { constraint: { start_time: '00:30:00Z', end_time: '16:30:00Z' }, prices: { input_mtok: 0.27, output_mtok: 1.1 } },
      ],
      'x',
      new Map(),
      [],
    );
    expect(periods![0]!.time_windows).toEqual([{ start: '00:30', end: '16:30', modifier: { rates: { input: '0.27', output: '1.1' } } }]);
  });

  it('turns per-unit tiers into whole-request tiers, keeping every unit in force at each threshold', () => {
    const dropped = new Map<string, number>();
    const [p] = genaiPeriods(
      {
        input_mtok: { base: 1.25, tiers: [{ start: 128000, price: 2 }, { start: 200000, price: 2.5 }] },
        output_mtok: { base: 10, tiers: [{ start: 200000, price: 15 }] },
        web_searches_kcount: 10,
        requests_kcount: 5,
      },
      'x',
      dropped,
      [],
    )!;
    // $10 per 1,000 searches is $0.01 a search, as $5 per 1,000 requests is $0.005 a request.
    expect(p!.rates).toEqual({ input: '1.25', output: '10', per_request: '0.005', web_search: '0.01' });
    expect(p!.tiers).toEqual([
      { above: 128000, compare: 'gt', rates: { input: '2' } },
      { above: 200000, compare: 'gt', rates: { input: '2.5', output: '15' } },
    ]);
    expect(dropped.size).toBe(0);
  });

  it('gives embeddings an output price of 0 and skips empty price sets', () => {
    expect(genaiPeriods({ input_mtok: 0.02 }, 'x', new Map(), [])![0]!.rates).toEqual({ input: '0.02', output: '0' });
    expect(genaiPeriods({}, 'x', new Map(), [])).toBeUndefined();
  });
});

describe('LiteLLM fields', () => {
  const entry = {
    input_cost_per_token: 3e-6,
    output_cost_per_token: 1.5e-5,
    output_cost_per_reasoning_token: 1.5e-5,
    cache_read_input_token_cost: 3e-7,
    cache_creation_input_token_cost: 3.75e-6,
    cache_creation_input_token_cost_above_1hr: 6e-6,
    input_cost_per_token_above_200k_tokens: 6e-6,
    output_cost_per_token_above_200k_tokens: 2.25e-5,
    cache_creation_input_token_cost_above_1hr_above_200k_tokens: 1.2e-5,
    input_cost_per_token_priority: 6e-6,
    input_cost_per_token_above_200k_tokens_priority: 1.2e-5,
    input_cost_per_token_flex: 1.5e-6,
    output_cost_per_token_flex: 7.5e-6,
    cache_read_input_token_cost_flex: 1.5e-7,
    provider_specific_entry: { us: 1.1, fast: 6 },
    regional_processing_uplift_multiplier_eu: 1.1,
  };

  it('reads base rates (1h write is a rate, not a threshold; reasoning equal to output is dropped)', () => {
    expect(litellmRates(entry)).toEqual({ input: '3', output: '15', cache_read: '0.3', cache_write_5m: '3.75', cache_write_1h: '6' });
  });

  it('reads _above_Nk_tokens keys as whole-request tiers', () => {
    expect(litellmTiers(entry)).toEqual([{ above: 200000, compare: 'gt', rates: { input: '6', output: '22.5', cache_write_1h: '12' } }]);
  });

  it('reads service tiers and geo multipliers', () => {
    const base = litellmRates(entry);
    expect(litellmServiceTiers(entry, base)).toEqual({ flex: { multiply: '0.5' }, priority: { multiply: '2' }, fast: { multiply: '6' } });
    expect(litellmGeo(entry)).toEqual({ us: { multiply: '1.1' }, eu: { multiply: '1.1' } });
  });
});

describe('modifiers', () => {
  it('prefer one exact multiplier over explicit rates', () => {
    expect(modifierFromRates({ input: '2', output: '8', cache_read: '0.5' }, { input: '3.5', output: '14', cache_read: '0.875' })).toEqual({ multiply: '1.75' });
    expect(modifierFromRates({ input: '2.5', output: '15', cache_read: '0.25' }, { input: '1.25', output: '7.5', cache_read: '0.13' })).toEqual({
      rates: { input: '1.25', output: '7.5', cache_read: '0.13' },
    });
    expect(commonFactor({ input: '1' }, { input: '1', output: '2' })).toBeUndefined();
    expect(modifierFromRates({ input: '1', output: '1' }, {})).toBeUndefined();
  });
});
