// Server-side web searches are a fee per search on top of the tokens (Anthropic: $10 per
// 1,000, `server_tool_use.web_search_requests`; OpenAI: $10 per 1,000 calls of the web
// search tool, $25 per 1,000 on the search-preview models). Priced from the real catalogue; every
// figure below is worked by hand.
import { describe, expect, it } from 'vitest';
import { PriceCatalogue } from '../../src/pricing/price-catalogue.js';
import { Pricer, configModelsToProviderFiles, type PriceResult } from '../../src/pricing/pricer.js';
import { normaliseUsage, UsageInconsistencyError, CACHE_OUTSIDE_INPUT } from '../../src/pricing/token-usage.js';

const catalogue = await PriceCatalogue.load();
const pricer = new Pricer(catalogue);
const AT = new Date('2026-10-01T12:00:00Z');

function cost(r: PriceResult): string {
  if (r.status !== 'priced') throw new Error(`unpriced: ${r.reason}`);
  return r.cost.toFixed();
}

describe('web searches', () => {
  it('cost $0.01 each on top of the tokens, as their own component', () => {
    const r = pricer.price({ model: 'claude-sonnet-4-5', usage: { input: 41_000, output: 6_200, webSearches: 3 }, at: AT });
    // 41,000 × $3/1M + 6,200 × $15/1M + 3 × $0.01 = 0.123 + 0.093 + 0.03
    expect(cost(r)).toBe('0.246');
    if (r.status !== 'priced') return;
    expect(r.breakdown.components.web_search).toMatchObject({ tokens: 3 });
    expect(r.breakdown.components.web_search!.rate.toFixed()).toBe('0.01');
    expect(r.breakdown.components.web_search!.cost.toFixed()).toBe('0.03');
    expect(r.usage.webSearches).toBe(3);
  });

  it('are not discounted by batch nor raised by US-only inference: those multiply token prices', () => {
    // Batch: (0.123 + 0.093) × 0.5 + 0.03 = 0.138
    expect(cost(pricer.price({ model: 'claude-sonnet-4-5', usage: { input: 41_000, output: 6_200, webSearches: 3 }, at: AT, serviceTier: 'batch' }))).toBe('0.138');
    // Opus 4.6 in the US: (10,000 × $5/1M + 2,000 × $25/1M) × 1.1 + 2 × $0.01 = 0.11 + 0.02
    expect(cost(pricer.price({ model: 'claude-opus-4-6', usage: { input: 10_000, output: 2_000, webSearches: 2 }, at: AT, region: 'us' }))).toBe('0.13');
  });

  it('keep their price above the long-context threshold, where the token rates double', () => {
    // 500,000 × $6/1M + 1,000 × $22.50/1M + 4 × $0.01 = 3 + 0.0225 + 0.04
    expect(cost(pricer.price({ model: 'claude-sonnet-4-5', usage: { input: 500_000, output: 1_000, webSearches: 4 }, at: AT }))).toBe('3.0625');
  });

  it('OpenAI: $0.01 a call on every chat model, on top of tokens counted with the cache inside input', () => {
    const r = pricer.price({ provider: 'openai', model: 'gpt-5', usage: { input: 12_000, output: 900, cacheRead: 8_000, webSearches: 2 }, at: AT });
    // 4,000 × $1.25/1M + 8,000 × $0.125/1M + 900 × $10/1M + 2 × $0.01 = 0.005 + 0.001 + 0.009 + 0.02
    expect(cost(r)).toBe('0.035');
    expect(r.status === 'priced' && r.breakdown.components.web_search!.rate.toFixed()).toBe('0.01');
    // Batch halves the tokens, not the searches: 1M × $2/1M × 0.5 + 1 × $0.01 (gpt-4.1).
    expect(cost(pricer.price({ provider: 'openai', model: 'gpt-4.1', usage: { input: 1_000_000, output: 0, webSearches: 1 }, at: AT, serviceTier: 'batch' }))).toBe('1.01');
  });

  it('OpenAI: $0.025 a call on gpt-4o-search-preview; searches alone are priced too', () => {
    // 4 × $0.025
    expect(cost(pricer.price({ provider: 'openai', model: 'gpt-4o-search-preview-2025-03-11', usage: { input: 0, output: 0, webSearches: 4 }, at: AT }))).toBe('0.1');
    // 7 × $0.01
    expect(cost(pricer.price({ provider: 'openai', model: 'gpt-4o-mini', usage: { input: 0, output: 0, webSearches: 7 }, at: AT }))).toBe('0.07');
  });

  it('a model without a search price prices its tokens and names the searches it could not price', () => {
    const r = pricer.price({ model: 'mistral-large', usage: { input: 41_000, output: 6_200, webSearches: 3 }, at: AT });
    // 41,000 × $2/1M + 6,200 × $6/1M
    expect(cost(r)).toBe('0.1192');
    expect(r.status === 'priced' && r.breakdown.notes).toEqual(['no web_search price for this model; 3 web searches not priced']);
  });

  it('the integer path gives the decimal path’s exact text and ticks', () => {
    const fast = pricer.priceExact({ model: 'claude-haiku-4-5', usage: { input: 1_234, output: 567, webSearches: 7 }, at: AT });
    // 1,234 × $1/1M + 567 × $5/1M + 7 × $0.01 = 0.001234 + 0.002835 + 0.07
    expect(fast).toMatchObject({ status: 'priced', costUsd: '0.074069', costTicks: 740_690_000n });
  });

  it('a custom model of the config can price them', async () => {
    const extra = configModelsToProviderFiles(
      [{ provider: 'acme', id: 'acme-search', match: [], input: '1', output: '2', web_search: '0.025', input_includes_cache: true }],
      [],
    );
    const p = new Pricer(await PriceCatalogue.load(undefined, extra));
    // 1M × $1/1M + 4 × $0.025
    expect(cost(p.price({ model: 'acme-search', usage: { input: 1_000_000, output: 0, webSearches: 4 }, at: AT }))).toBe('1.1');
  });

  it('a count that is not a whole number is refused like a token count', () => {
    expect(() => normaliseUsage({ input: 1, output: 1, webSearches: 1.5 }, CACHE_OUTSIDE_INPUT)).toThrow(UsageInconsistencyError);
    expect(() => normaliseUsage({ input: 1, output: 1, webSearches: -1 }, CACHE_OUTSIDE_INPUT)).toThrow(/web searches must be a whole number/);
  });
});
