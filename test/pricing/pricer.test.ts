// Hand-computed prices against a small hand-written catalogue (test/fixtures/pricing/mini),
// so the engine is tested independently of the generated catalogue.
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { PriceCatalogue } from '../../src/pricing/price-catalogue.js';
import { Pricer, configModelsToProviderFiles, type PriceRequest, type PriceResult } from '../../src/pricing/pricer.js';
import type { ReportedUsage } from '../../src/pricing/token-usage.js';

const dir = fileURLToPath(new URL('../fixtures/pricing/mini/', import.meta.url));
const catalogue = await PriceCatalogue.load(dir);
const pricer = new Pricer(catalogue);
const AT = new Date('2026-08-01T12:00:00Z');

function cost(model: string, usage: Partial<ReportedUsage>, extra: Partial<PriceRequest> = {}): string {
  const r = pricer.price({ model, usage: { input: 0, output: 0, ...usage }, at: AT, ...extra });
  if (r.status !== 'priced') throw new Error(`unpriced: ${r.reason}`);
  return r.cost.toFixed();
}
function unpriced(r: PriceResult): string {
  if (r.status !== 'unpriced') throw new Error(`expected unpriced, got ${r.cost.toFixed()}`);
  return r.reason;
}

describe('OpenAI convention (input includes cached tokens)', () => {
  it('prices cached tokens once, at the cache rate (litellm #6215)', () => {
    // 86 × 2.5 + 1,920 × 1.25 + 300 × 10 = 5,615 per 1M
    expect(cost('gpt-4o', { input: 2006, cacheRead: 1920, output: 300 })).toBe('0.005615');
  });
  it('resolves dated snapshots and provider prefixes to the same price', () => {
    expect(cost('gpt-4o-2024-08-06', { input: 2006, cacheRead: 1920, output: 300 })).toBe('0.005615');
    expect(cost('openai/gpt-4o', { input: 2006, cacheRead: 1920, output: 300 })).toBe('0.005615');
    expect(cost('GPT-4o', { input: 2006, cacheRead: 1920, output: 300 })).toBe('0.005615');
  });
  it('does not let a family pattern capture a different model', () => {
    expect(cost('gpt-4o-mini-2024-07-18', { input: 1_000_000 })).toBe('0.15');
    expect(unpriced(pricer.price({ model: 'gpt-4o-ultra', usage: { input: 1, output: 1 }, at: AT }))).toContain('gpt-4o-ultra');
  });
  it('batch halves every component, cache reads included (litellm #38341)', () => {
    expect(cost('gpt-4o', { input: 2006, cacheRead: 1920, output: 300 }, { serviceTier: 'batch' })).toBe('0.0028075');
  });
  it('priority uses its explicit rates', () => {
    // 86 × 4.25 + 1,920 × 2.125 + 300 × 17 = 9,545.5 per 1M
    expect(cost('gpt-4o', { input: 2006, cacheRead: 1920, output: 300 }, { serviceTier: 'priority' })).toBe('0.0095455');
  });
  it('reasoning inside output is not added again (browser-use #4065)', () => {
    expect(cost('gpt-4o', { input: 0, output: 300, reasoning: 100 })).toBe('0.003');
  });
  it('a service tier the model lacks is unpriced with the reason, not priced at standard', () => {
    expect(unpriced(pricer.price({ model: 'gpt-4o-mini', usage: { input: 1, output: 1 }, at: AT, serviceTier: 'flex' }))).toMatch(/flex/);
  });
  it('contradictory usage is refused, not priced negative', () => {
    expect(unpriced(pricer.price({ model: 'gpt-4o', usage: { input: 100, cacheRead: 200, output: 1 }, at: AT }))).toMatch(/smaller than/);
  });
  it('--uncached-input adds the cached tokens back for an includes-cache provider', () => {
    expect(cost('gpt-4o', { input: 86, cacheRead: 1920, output: 300 }, { inputIsUncached: true })).toBe('0.005615');
  });
});

describe('price history and long-context tiers', () => {
  it('bills at the period in force at the request time (GPT-5.6 Terra cut on 2026-07-30)', () => {
    const usage = { input: 100_000, output: 10_000 };
    expect(cost('gpt-5.6-terra', usage, { at: new Date('2026-07-29T23:59:59Z') })).toBe('0.4');
    expect(cost('gpt-5.6-terra', usage, { at: new Date('2026-07-30T00:00:00Z') })).toBe('0.32');
  });
  it('o3 before and after its 2025-06-10 price cut', () => {
    const usage = { input: 1000, output: 1000 };
    expect(cost('o3', usage, { at: new Date('2025-06-09T10:00:00Z') })).toBe('0.05');
    expect(cost('o3', usage, { at: new Date('2025-06-10T10:00:00Z') })).toBe('0.01');
    expect(cost('o3', usage, { at: new Date('2025-06-10T10:00:00Z'), serviceTier: 'flex' })).toBe('0.005');
  });
  it('a tier reprices the whole request when input is above the threshold, not at it', () => {
    // 300,000 × 4 + 2,000 × 18 = 1,236,000 per 1M
    expect(cost('gpt-5.6-terra', { input: 300_000, output: 2000 })).toBe('1.236');
    // exactly 272,000: base rates, 272,000 × 2 + 2,000 × 12
    expect(cost('gpt-5.6-terra', { input: 272_000, output: 2000 })).toBe('0.568');
  });
  it('a long-context bill line is priced at the long-context tier whatever its size, and says so when the model has none', () => {
    // A day of 150,000 tokens in a long-context band: 150,000 × 4 + 2,000 × 18 = 636,000 per 1M (base rates: 0.324)
    expect(cost('gpt-5.6-terra', { input: 150_000, output: 2000, requests: 0 }, { longContext: true })).toBe('0.636');
    expect(cost('gpt-5.6-terra', { input: 150_000, output: 2000, requests: 0 })).toBe('0.324');
    // The row's price_ref says so, so that `pricing reprice` prices it the same way again.
    const long = pricer.price({ model: 'gpt-5.6-terra', usage: { input: 150_000, output: 2000, requests: 0 }, at: AT, longContext: true });
    expect(long.status === 'priced' && long.priceRef.endsWith('#long-context')).toBe(true);
    // gpt-4o has no long-context tier: base rates, 1,000 × 2.5 per 1M, with the reason
    const r = pricer.price({ model: 'gpt-4o', usage: { input: 1000, output: 0 }, at: AT, longContext: true });
    if (r.status !== 'priced') throw new Error('expected priced');
    expect(r.cost.toFixed()).toBe('0.0025');
    expect(r.breakdown.notes).toContain('long-context line, but this model has no long-context price: base rates');
  });
  it('Anthropic tier counts cache reads toward the threshold (claude-code-hub #869)', () => {
    expect(cost('claude-sonnet-4-5', { input: 250_000, output: 1000 })).toBe('1.5225');
    expect(cost('claude-sonnet-4-5', { input: 200_000, output: 1000 })).toBe('0.615');
    expect(cost('claude-sonnet-4-5', { input: 150_000, cacheRead: 60_000, output: 1000 })).toBe('0.9585');
  });
  it('geo uplift multiplies every component', () => {
    expect(cost('gpt-5.6-terra', { input: 100_000, output: 10_000 }, { region: 'eu' })).toBe('0.352');
    expect(cost('claude-sonnet-4-5', { input: 100_000 }, { region: 'us' })).toBe('0.33');
  });
  it('a region without an uplift leaves the price and says so', () => {
    const r = pricer.price({ model: 'claude-sonnet-4-5', usage: { input: 100_000, output: 0 }, at: AT, region: 'jp' });
    expect(r.status === 'priced' && r.cost.toFixed()).toBe('0.3');
    expect(r.status === 'priced' && r.breakdown.notes.join()).toMatch(/jp/);
  });
});

describe('Anthropic convention (input excludes cache)', () => {
  it('cache writes are priced once, at the write rate (litellm #9812)', () => {
    // 3 × 3 + 12,304 × 3.75 + 550 × 15 = 54,399 per 1M (the test model carries 3.7 Sonnet's rates)
    expect(cost('claude-sonnet-4-5', { input: 3, cacheWrite5m: 12_304, output: 550 })).toBe('0.054399');
  });
  it('1-hour writes use the 1-hour rate (ccstats #86), and count toward the tier', () => {
    expect(cost('claude-sonnet-4-5', { cacheWrite1h: 100_000 })).toBe('0.6');
    // 344,139 written tokens are above 200K: the whole request moves to the tier's 1h rate of 12.
    expect(cost('claude-sonnet-4-5', { cacheWrite1h: 344_139 })).toBe('4.129668');
  });
  it('batch with cache reads', () => {
    // (1,000 × 3 + 10,000 × 0.3 + 100 × 15) × 0.5 = 3,750 per 1M
    expect(cost('claude-sonnet-4-5', { input: 1000, cacheRead: 10_000, output: 100 }, { serviceTier: 'batch' })).toBe('0.00375');
  });
});

describe('Bedrock ids and offerings', () => {
  const usage = { input: 1_000_000, output: 1_000_000 };
  it('global profile is cheaper than geographic and in-region calls (litellm #14849, #42679)', () => {
    expect(cost('global.anthropic.claude-sonnet-4-6-v1:0', usage)).toBe('18');
    expect(cost('us.anthropic.claude-sonnet-4-6-v1:0', usage)).toBe('19.8');
    expect(cost('anthropic.claude-sonnet-4-6', usage, { provider: 'bedrock' })).toBe('19.8');
    expect(cost('eu.anthropic.claude-sonnet-4-6-v1:0', usage, { provider: 'aws' })).toBe('19.8');
  });
  it('parses ARNs and region paths', () => {
    expect(cost('arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4-6-v1:0', usage)).toBe('19.8');
    expect(cost('arn:aws:bedrock:us-east-1:123456789012:inference-profile/global.anthropic.claude-sonnet-4-6-v1:0', usage)).toBe('18');
    expect(cost('bedrock/us-west-2/anthropic.claude-sonnet-4-6-v1:0', usage)).toBe('19.8');
  });
  it('application inference profiles need a mapping, and say so', () => {
    const r = pricer.price({ model: 'arn:aws:bedrock:us-east-1:1:application-inference-profile/abc123', usage: { input: 1, output: 1 }, at: AT });
    expect(unpriced(r)).toMatch(/application inference profile/);
  });
  it('time-of-day windows wrap midnight, per-request fees are multiplied too', () => {
    const u = { input: 1_000_000, requests: 1 };
    expect(cost('deepseek.off-peak-test', u, { at: new Date('2026-08-01T12:00:00Z') })).toBe('1.001');
    expect(cost('deepseek.off-peak-test', u, { at: new Date('2026-08-01T17:00:00Z') })).toBe('0.5005');
    expect(cost('deepseek.off-peak-test', u, { at: new Date('2026-08-02T00:15:00Z') })).toBe('0.5005');
    expect(cost('deepseek.off-peak-test', u, { at: new Date('2026-08-02T00:30:00Z') })).toBe('1.001');
  });
});

describe('aliases, unknown models', () => {
  it('a dated alias points at its target only inside its window', () => {
    expect(cost('chatgpt-latest', { input: 1_000_000 }, { at: new Date('2025-03-01T00:00:00Z') })).toBe('2.5');
    expect(unpriced(pricer.price({ model: 'chatgpt-latest', usage: { input: 1, output: 0 }, at: new Date('2026-03-01T00:00:00Z') }))).toMatch(/chatgpt-latest/);
  });
  it('an unknown provider is named', () => {
    expect(unpriced(pricer.price({ provider: 'nope', model: 'x', usage: { input: 1, output: 0 }, at: AT }))).toMatch(/unknown provider "nope"/);
  });
});

describe('config overrides', () => {
  it('a percentage discount applies after list price, only to matching models', () => {
    const discounted = new Pricer(catalogue, { discounts: [{ provider: 'openai', model: 'gpt-4o', percent: 10 }] });
    const r = discounted.price({ model: 'gpt-4o', usage: { input: 2006, cacheRead: 1920, output: 300 }, at: AT });
    expect(r.status === 'priced' && r.cost.toFixed()).toBe('0.0050535');
    const other = discounted.price({ model: 'gpt-4o-mini', usage: { input: 1_000_000, output: 0 }, at: AT });
    expect(other.status === 'priced' && other.cost.toFixed()).toBe('0.15');
  });
  it('custom and self-hosted models from the config are priced', async () => {
    const extra = configModelsToProviderFiles(
      [{ provider: 'acme', id: 'acme-large', match: ['acme-large-*'], input: '1.2', output: '4.8', input_includes_cache: true }],
      [{ id: 'llama-onprem', provider: 'self-hosted', match: [], gpu_usd_per_hour: '2.5', gpus: 2, tokens_per_second: 1500 }],
    );
    const p = new Pricer(await PriceCatalogue.load(dir, extra));
    const acme = p.price({ model: 'acme-large-2026', usage: { input: 1_000_000, output: 1_000_000 }, at: AT });
    expect(acme.status === 'priced' && acme.cost.toFixed()).toBe('6');
    // Two GPUs at $2.50/h serving 1,500 tokens/s: an hour (5.4M tokens) costs $5.
    const onprem = p.price({ model: 'llama-onprem', usage: { input: 5_400_000, output: 0 }, at: AT });
    expect(onprem.status === 'priced' && onprem.cost.toDecimalPlaces(9).toFixed()).toBe('5');
  });
});

describe('aggregated rows', () => {
  it('judge the long-context tier by the average request, not the day total', () => {
    // 100 requests of 10,000 input tokens each: 1,000,000 in total, none above 200K.
    expect(cost('claude-sonnet-4-5', { input: 1_000_000, output: 10_000, requests: 100 })).toBe('3.15'); // 1M×3 + 10k×15
    // 2 requests averaging 250,000: the tier applies to both. 500,000×6 + 2,000×22.5
    expect(cost('claude-sonnet-4-5', { input: 500_000, output: 2000, requests: 2 })).toBe('3.045');
  });
});
