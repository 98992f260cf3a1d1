// priceExact prices in integers where it can; it must give the text and ticks of the
// decimal path (`price`) for every model, offering, period, tier and modifier of the
// catalogue, and for any usage, falling back to decimals where integers cannot be exact.
import { describe, expect, it, vi } from 'vitest';
import { fileURLToPath } from 'node:url';
import { PriceCatalogue } from '../../src/pricing/price-catalogue.js';
import { Pricer, configModelsToProviderFiles, type PriceRequest } from '../../src/pricing/pricer.js';
import { SERVICE_TIERS } from '../../src/pricing/catalogue-schema.js';
import { LEDGER_CONVENTION, type ReportedUsage } from '../../src/pricing/token-usage.js';
import { unitsToDecimalText, unitsToTicks } from '../../src/pricing/integer-rates.js';
import { dec, usdToTicks } from '../../src/shared/money.js';
import { prng } from '../../src/shared/prng.js';


/** Whether priceExact priced in integers (true) or went through the decimal path. */
function expectSame(pricer: Pricer, request: PriceRequest): boolean {
  const slow = pricer.price(request);
  const spy = vi.spyOn(pricer, 'price');
  const fast = pricer.priceExact(request);
  const integers = spy.mock.calls.length === 0;
  spy.mockRestore();
  if (slow.status === 'unpriced') {
    expect(fast).toEqual(slow);
    return integers;
  }
  expect(fast).toEqual({
    status: 'priced',
    provider: slow.provider,
    matchedModel: slow.matchedModel,
    offering: slow.offering,
    usage: slow.usage,
    priceRef: slow.priceRef,
    costUsd: slow.cost.toFixed(),
    costTicks: usdToTicks(slow.cost),
    // The searches the engine named as unpriced, and no others.
    unpricedSearches: slow.breakdown.components.web_search === undefined ? slow.usage.webSearches : 0,
  });
  return integers;
}

function usageOf(rnd: () => number, scale: number): ReportedUsage {
  const n = (max: number) => Math.floor(rnd() * max);
  const cacheRead = rnd() < 0.5 ? n(scale) : 0;
  const cacheWrite5m = rnd() < 0.3 ? n(scale / 4) : 0;
  const cacheWrite1h = rnd() < 0.2 ? n(scale / 4) : 0;
  const output = n(scale);
  const usage: ReportedUsage = {
    input: cacheRead + cacheWrite5m + cacheWrite1h + n(scale),
    output,
    cacheRead,
    cacheWrite5m,
    cacheWrite1h,
    reasoning: rnd() < 0.3 ? Math.floor(output * rnd()) : 0,
  };
  if (rnd() < 0.2) usage.requests = rnd() < 0.3 ? 0 : 1 + n(50);
  if (rnd() < 0.1) usage.inputAudio = Math.min(n(scale / 10), usage.input - cacheRead - cacheWrite5m - cacheWrite1h);
  if (rnd() < 0.1) usage.outputImage = Math.min(n(scale / 10), output - (usage.reasoning ?? 0));
  if (rnd() < 0.15) usage.webSearches = n(40);
  return usage;
}

describe('priceExact', () => {
  it('equals the decimal path over the whole catalogue', async () => {
    const catalogue = await PriceCatalogue.load();
    const pricer = new Pricer(catalogue);
    const rnd = prng(20261130);
    let checked = 0;
    let integers = 0;
    for (const file of catalogue.all()) {
      for (const model of file.models) {
        for (const offering of model.offerings) {
          for (const period of offering.periods) {
            const from = period.from === null ? Date.UTC(2023, 0, 1) : Date.parse(period.from);
            const regions = [undefined, ...Object.keys(period.geo ?? {}), 'nowhere'];
            for (let i = 0; i < 6; i++) {
              // Sizes from a single call to totals past 2^53 units, where integers must give up.
              const scale = [1_000, 300_000, 5_000_000, 1e9, 1e12][i % 5]!;
              const request: PriceRequest = {
                provider: file.provider,
                model: model.match.exact[0] ?? model.id,
                offering: offering.scope,
                at: new Date(from + Math.floor(rnd() * 86_400_000)),
                usage: usageOf(rnd, scale),
                serviceTier: rnd() < 0.3 ? SERVICE_TIERS[Math.floor(rnd() * SERVICE_TIERS.length)] : undefined,
                region: regions[Math.floor(rnd() * regions.length)],
                longContext: rnd() < 0.2,
                convention: rnd() < 0.3 ? LEDGER_CONVENTION : undefined,
              };
              if (expectSame(pricer, request)) integers++;
              checked++;
            }
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(1000);
    // Most requests take the integer path; the largest usages cannot.
    expect(integers / checked).toBeGreaterThan(0.6);
    expect(integers).toBeLessThan(checked);
  });

  it('gives each row its own price when rows of many models, regions and tiers interleave', async () => {
    // The pricer remembers recent resolutions and each period's last plan: rows that
    // alternate between models, offerings, regions, service tiers and token tiers must
    // never be priced with a neighbour's plan.
    const catalogue = await PriceCatalogue.load();
    const rnd = prng(20261203);
    const requests: PriceRequest[] = [];
    for (const file of catalogue.all()) {
      for (const model of file.models) {
        for (const offering of model.offerings) {
          for (const period of offering.periods) {
            const from = period.from === null ? Date.UTC(2023, 0, 1) : Date.parse(period.from);
            const regions = [undefined, ...Object.keys(period.geo ?? {})];
            for (let i = 0; i < 3; i++) {
              requests.push({
                provider: file.provider,
                model: model.match.exact[0] ?? model.id,
                offering: offering.scope,
                at: new Date(from + Math.floor(rnd() * 86_400_000)),
                usage: usageOf(rnd, [1_000, 300_000, 5_000_000][i]!),
                serviceTier: rnd() < 0.3 ? SERVICE_TIERS[Math.floor(rnd() * SERVICE_TIERS.length)] : undefined,
                region: regions[Math.floor(rnd() * regions.length)],
                longContext: rnd() < 0.2,
              });
            }
          }
        }
      }
    }
    // Each alone, on a pricer of its own, then all of them shuffled through one pricer.
    const alone = requests.map((request) => new Pricer(catalogue).priceExact(request));
    const order = requests.map((_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const shared = new Pricer(catalogue);
    for (const i of order) expect(shared.priceExact(requests[i]!)).toEqual(alone[i]);
    expect(requests.length).toBeGreaterThan(500);
    // And the same model's offerings (Bedrock regional and global, Azure zones) one after another.
    const sameModel = new Map<string, number[]>();
    requests.forEach((r, i) => sameModel.set(`${r.provider}/${r.model}`, [...(sameModel.get(`${r.provider}/${r.model}`) ?? []), i]));
    let alternated = 0;
    for (const indexes of sameModel.values()) {
      if (new Set(indexes.map((i) => requests[i]!.offering)).size < 2) continue;
      const pricer = new Pricer(catalogue);
      for (const i of [...indexes, ...indexes.reverse()]) expect(pricer.priceExact(requests[i]!)).toEqual(alone[i]);
      alternated++;
    }
    expect(alternated).toBeGreaterThan(0);
  });

  it('falls back to decimals for discounts and rates with many decimals', async () => {
    const dir = fileURLToPath(new URL('../fixtures/pricing/mini/', import.meta.url));
    const selfHosted = configModelsToProviderFiles(
      [],
      [{ id: 'llama-local', provider: 'local', match: [], gpu_usd_per_hour: '2.49', gpus: 2, tokens_per_second: 1337 } as never],
    );
    const catalogue = await PriceCatalogue.load(dir, selfHosted);
    const plain = new Pricer(catalogue);
    const discounted = new Pricer(catalogue, { discounts: [{ provider: 'openai', percent: 12.5 } as never] });
    const rnd = prng(7);
    for (let i = 0; i < 300; i++) {
      const usage = usageOf(rnd, 2_000_000);
      for (const model of ['gpt-4o', 'claude-sonnet-4-5', 'llama-local']) {
        const at = new Date(Date.UTC(2026, 7, 1) + i * 3_600_000);
        expect(expectSame(plain, { model, usage, at })).toBe(model !== 'llama-local');
        expect(expectSame(discounted, { model, usage, at })).toBe(false);
      }
    }
  });

  it('writes units as Dec#toFixed and rounds ticks half-even like usdToTicks', () => {
    const rnd = prng(99);
    for (let i = 0; i < 5000; i++) {
      const units = i < 20 ? i : Math.floor(rnd() * 2 ** (1 + Math.floor(rnd() * 52)));
      const decimals = Math.floor(rnd() * 19);
      const exact = dec(units).div(dec(10).pow(decimals));
      expect(unitsToDecimalText(units, decimals)).toBe(exact.toFixed());
      expect(unitsToTicks(units, decimals)).toBe(usdToTicks(exact));
    }
    // Exactly half a tick rounds to even.
    expect(unitsToTicks(15, 11)).toBe(2n);
    expect(unitsToTicks(25, 11)).toBe(2n);
    expect(unitsToTicks(35, 11)).toBe(4n);
  });
});
