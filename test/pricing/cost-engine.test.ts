import { describe, expect, it } from 'vitest';
import { periodRates } from '../../src/pricing/cost-engine.js';
import type { Period, Tier } from '../../src/pricing/catalogue-schema.js';

const tier: Tier = { above: 100, compare: 'gt', rates: { input: '4', output: '15' } };
const period: Period = {
  from: null,
  to: null,
  rates: { input: '2', output: '10' },
  tiers: [tier],
  // Explicit rates, as a dataset lists them when they are not one multiple of standard.
  service_tiers: { flex: { rates: { input: '1.1', output: '5' } }, batch: { multiply: '0.5' } },
  geo: { eu: { rates: { input: '2.2', output: '11' } } },
  source: 'test',
};
const AT = new Date('2026-10-01T00:00:00Z');
const text = (rates: ReturnType<typeof periodRates>['rates']) => ({ input: rates.input?.toFixed(), output: rates.output?.toFixed() });

describe('periodRates: explicit modifier rates are prices at the base rates', () => {
  it('keeps them as written without a tier', () => {
    expect(text(periodRates(period, null, { at: AT, serviceTier: 'flex' }).rates)).toEqual({ input: '1.1', output: '5' });
  });

  it('scales them by what the long-context tier did to each component, rather than dropping the tier', () => {
    // input 1.1 × 4/2, output 5 × 15/10
    expect(text(periodRates(period, tier, { at: AT, serviceTier: 'flex' }).rates)).toEqual({ input: '2.2', output: '7.5' });
  });

  it('carries a multiplier applied before them too (tier, then batch, then a region)', () => {
    // input 2.2 × (4 × 0.5)/2, output 11 × (15 × 0.5)/10
    expect(text(periodRates(period, tier, { at: AT, serviceTier: 'batch', region: 'eu' }).rates)).toEqual({ input: '2.2', output: '8.25' });
  });
});
