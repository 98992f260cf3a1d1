import { describe, expect, it } from 'vitest';
import { focusTags, toFocusRow } from '../../src/export/focus-row.js';
import type { NewUsageEntry, UsageEntry } from '../../src/ledger/index.js';
import { AUDIO_REQUEST, CREDIT_CORRECTION, TAX_LINE, handRow } from './hand-rows.js';

const entry = (e: NewUsageEntry) => ({ id: 1, batch_id: 1, ...e }) as UsageEntry;

describe('one ledger row as FOCUS', () => {
  it('a priced request: an instant charge period, every token once, dimension columns win over custom tags', () => {
    const r = toFocusRow(entry(AUDIO_REQUEST));
    expect(r).toMatchObject({
      BilledCost: '0.0123456789012',
      ChargePeriodStart: '2026-10-05T12:00:00.123Z',
      ChargePeriodEnd: '2026-10-05T12:00:00.123Z',
      BillingPeriodStart: '2026-10-01T00:00:00Z',
      BillingPeriodEnd: '2026-11-01T00:00:00Z',
      // 1,000 input (cache, audio and image inside) + 400 output (reasoning inside)
      ConsumedQuantity: 1400,
      RegionId: 'eu',
      SkuPriceId: 'openai/gpt-4o-audio-preview/default/2024-12-17',
      SubAccountId: 'voice-prod',
      x_llmfin_cost_basis: 'llmfin_price',
      x_llmfin_reported_cost: '0.0124',
      x_llmfin_service_tier: 'priority',
      x_llmfin_trace_id: 'trace-abc',
    });
    expect(focusTags(entry(AUDIO_REQUEST))).toEqual({
      team: 'voice', feature: 'call-summary', customer: 'acme, inc.', agent: 'scribe', project: 'voice-prod',
      environment: 'production', api_key: 'key_voice', workspace: 'ws-1', user: 'u-42', cost_center: 'cc-7', empty: '',
    });
  });

  it('ChargeFrequency is never null: Usage-Based on usage, Recurring on support, One-Time on credits and fees', () => {
    const of = (charge_category: string) => toFocusRow(entry({ ...TAX_LINE, charge_category } as typeof TAX_LINE)).ChargeFrequency;
    expect([of('usage'), of('non_llm'), of('unclassified'), of('support'), of('credit'), of('fee'), of('tax')]).toEqual(['Usage-Based', 'Usage-Based', 'Usage-Based', 'Recurring', 'One-Time', 'One-Time', 'One-Time']);
  });

  it('SubAccountName names what SubAccountId identifies: the project when it is the id, nothing for an account', () => {
    expect(toFocusRow(entry(AUDIO_REQUEST))).toMatchObject({ SubAccountId: 'voice-prod', SubAccountName: 'voice-prod' });
    // An account id with a project beside it: the id is the account, whose name llmfin does not know.
    expect(toFocusRow(entry({ ...AUDIO_REQUEST, account: 'org-7' }))).toMatchObject({ SubAccountId: 'org-7', SubAccountName: null, BillingAccountId: 'org-7' });
  });

  it('a billed tax line without model or tokens: Tax, a month-long charge, no quantity', () => {
    expect(toFocusRow(entry(TAX_LINE))).toMatchObject({
      BilledCost: '12.5',
      ChargeCategory: 'Tax',
      // FOCUS: ChargeFrequency is never null, and a Purchase is never Usage-Based.
      ChargeFrequency: 'One-Time',
      ChargeDescription: 'anthropic tax',
      ChargePeriodStart: '2026-10-01T00:00:00Z',
      ChargePeriodEnd: '2026-11-01T00:00:00Z',
      ConsumedQuantity: null,
      ConsumedUnit: null,
      PricingUnit: null,
      SkuId: null,
      BillingAccountId: 'org_1',
      Tags: null,
      x_llmfin_cost_basis: 'provider',
    });
  });

  it('a Usage charge without tokens still has its PricingQuantity (FOCUS: not null on Usage): its web searches, else the charge itself, 1 unit', () => {
    // A bill line with money and no counts: nothing was measured, one charge was priced.
    const billed = handRow({ provenance: 'billed', source: 'openai-costs', cost_usd: '2.25', cost_status: 'billed', granularity: 'day', requests: 0, description: 'gpt-4o, input' });
    expect(toFocusRow(entry(billed))).toMatchObject({ ChargeCategory: 'Usage', PricingQuantity: 1, PricingUnit: 'Units', ConsumedQuantity: null, ConsumedUnit: null });
    // Web searches alone (priced per search): those are the quantity, measured as well as priced.
    const searches = handRow({ provenance: 'provider_usage', source: 'openai-usage', web_search_requests: 12, cost_usd: '0.12', cost_status: 'priced' });
    expect(toFocusRow(entry(searches))).toMatchObject({ PricingQuantity: 12, PricingUnit: 'Requests', ConsumedQuantity: 12, ConsumedUnit: 'Requests' });
    // Tokens stay the quantity when there are any; a tax keeps none.
    expect(toFocusRow(entry({ ...searches, input_tokens: 300, output_tokens: 20 }))).toMatchObject({ PricingQuantity: 320, PricingUnit: 'Tokens' });
    expect(toFocusRow(entry(TAX_LINE))).toMatchObject({ PricingQuantity: null, PricingUnit: null });
  });

  it('a Purchase without a quantity (support, fees) has its PricingQuantity too (FOCUS: not null on Purchase): the purchase itself, 1 unit', () => {
    const support = handRow({ provenance: 'billed', source: 'invoice', charge_category: 'support', cost_usd: '100', cost_status: 'billed', granularity: 'month', requests: 0, description: 'Enterprise support' });
    expect(toFocusRow(entry(support))).toMatchObject({ ChargeCategory: 'Purchase', ChargeFrequency: 'Recurring', PricingQuantity: 1, PricingUnit: 'Units', ConsumedQuantity: null, ConsumedUnit: null });
    const fee = { ...support, charge_category: 'fee' as const, description: 'Platform fee' };
    expect(toFocusRow(entry(fee))).toMatchObject({ ChargeCategory: 'Purchase', ChargeFrequency: 'One-Time', PricingQuantity: 1, PricingUnit: 'Units' });
    // A correction of a purchase may leave them null (FOCUS), and a credit is no purchase.
    expect(toFocusRow(entry({ ...fee, description: 'Correction: platform fee overcharged', cost_usd: '-5' }))).toMatchObject({ ChargeClass: 'Correction', PricingQuantity: null, PricingUnit: null });
    expect(toFocusRow(entry({ ...fee, charge_category: 'credit', cost_usd: '-5' }))).toMatchObject({ ChargeCategory: 'Credit', PricingQuantity: null, PricingUnit: null });
  });

  it('a credit correcting an earlier charge: Credit, Correction class, negative money', () => {
    expect(toFocusRow(entry(CREDIT_CORRECTION))).toMatchObject({
      BilledCost: '-3.75',
      ChargeCategory: 'Credit',
      ChargeClass: 'Correction',
      ChargePeriodEnd: '2026-10-03T01:00:00Z',
      ServiceName: 'Amazon Bedrock',
      BillingAccountId: 'bedrock',
    });
  });

  it('hour and day rows without an end get one from their granularity; non-LLM rows are not AI services', () => {
    expect(toFocusRow(entry(handRow({ granularity: 'hour', ts: '2026-10-31T23:00:00.000Z' }))).ChargePeriodEnd).toBe('2026-11-01T00:00:00Z');
    expect(toFocusRow(entry(handRow({ granularity: 'day', ts: '2026-12-31T00:00:00.000Z' })))).toMatchObject({
      ChargePeriodEnd: '2027-01-01T00:00:00Z',
      BillingPeriodEnd: '2027-01-01T00:00:00Z',
    });
    expect(toFocusRow(entry(handRow({ charge_category: 'non_llm', provider: 'aws' })))).toMatchObject({
      ServiceCategory: 'Other',
      ServiceSubcategory: null,
      ServiceName: 'aws API',
      ChargeCategory: 'Usage',
    });
    expect(toFocusRow(entry(handRow({ charge_category: 'fee' }))).ChargeCategory).toBe('Purchase');
  });

  it('a charge other than LLM usage keeps the service its source file named, not the provider\'s LLM service', () => {
    const other = (provider: string, raw: Record<string, string>, charge_category: NewUsageEntry['charge_category'] = 'non_llm') =>
      toFocusRow(entry(handRow({ provider, charge_category, raw_usage: JSON.stringify(raw), model: null }))).ServiceName;
    // Azure cost details: MeterCategory; a CUR: the product code; a GCP export: service.description; FOCUS: ServiceName.
    expect(other('azure', { meter_category: 'Virtual Machines', meter_name: 'D2 v3' })).toBe('Virtual Machines');
    expect(other('aws', { product_code: 'AmazonS3', usage_type: 'USW2-Requests-Tier2' })).toBe('AmazonS3');
    expect(other('aws', { product_code: 'AmazonBedrock' }, 'tax')).toBe('AmazonBedrock');
    expect(other('gcp', { service: 'Compute Engine', sku: 'N1 Predefined Instance Core' })).toBe('Compute Engine');
    expect(other('oci', { ServiceName: 'Block Storage', BilledCost: '0.54' })).toBe('Block Storage');
    // Without it, the provider's service as before; LLM usage rows are never read from raw.
    expect(other('azure', { cost: '1' })).toBe('Azure OpenAI');
    expect(toFocusRow(entry(handRow({ provider: 'azure', charge_category: 'non_llm', raw_usage: 'not json' }))).ServiceName).toBe('Azure OpenAI');
    expect(toFocusRow(entry(handRow({ provider: 'bedrock', raw_usage: JSON.stringify({ product_code: 'AmazonBedrock' }) }))).ServiceName).toBe('Amazon Bedrock');
  });
});
