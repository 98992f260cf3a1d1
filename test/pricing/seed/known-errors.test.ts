/**
 * The known data errors of pricing.md §4 (and the ones the seed's ratio checks found
 * since) must not reach the catalogue: each assertion names the wrong value and checks
 * the corrected one. The correction list itself is checked for reasons and sources.
 */
import { describe, expect, it } from 'vitest';
import { GENAI_CORRECTIONS, LITELLM_CORRECTIONS, STALE_GENAI_OVERRIDES } from '../../../src/pricing/seed/corrections.js';
import { findModel, offering, ratesOf } from '../catalogue-helpers.js';

describe('known data errors are corrected in pricing/', () => {
  it('gpt-5-nano: no priority price at 2.5 (50x standard)', () => {
    for (const p of offering(findModel('openai', 'gpt-5-nano')).periods) {
      expect(p.service_tiers?.priority).toBeUndefined();
      expect(p.service_tiers?.flex).toEqual({ multiply: '0.5' });
    }
  });

  it('claude-3-haiku-20240307: 1h cache write 0.5, not 6.0', () => {
    expect(ratesOf('anthropic', 'claude-3-haiku-20240307').cache_write_1h).toBe('0.5');
  });

  it('claude-3-opus-20240229: 1h cache write 30, not 6.0', () => {
    expect(ratesOf('anthropic', 'claude-3-opus-20240229').cache_write_1h).toBe('30');
  });

  it('eu.anthropic.claude-3-5-haiku-20241022-v1:0: Haiku 3.5 prices 0.8 / 4, no Haiku 3 prices for the EU profile', () => {
    // The resolver strips the "eu." profile prefix and prices the regional offering.
    const o = offering(findModel('bedrock', 'anthropic.claude-3-5-haiku-20241022-v1:0'), 'regional');
    for (const p of o.periods) {
      expect(p.rates).toMatchObject({ input: '0.8', output: '4', cache_read: '0.08', cache_write_5m: '1' });
      expect(p.geo?.eu).toBeUndefined();
    }
  });

  it('azure/eu/gpt-5.4: cache read 0.275 (0.25 x 1.1), not 0.28; the US zone too, and priority is then 2x', () => {
    for (const zone of ['eu', 'us']) {
      expect(ratesOf('azure', 'gpt-5.4', { scope: zone })).toMatchObject({ input: '2.75', cache_read: '0.275' });
    }
  });

  it('embed-multilingual-light-v3.0: 0.1 per 1M input tokens, as its Embed v3 siblings, not 100', () => {
    expect(ratesOf('cohere', 'embed-multilingual-light-v3.0').input).toBe('0.1');
  });

  it('azure/eu/gpt-5.1: 1.375 (1.25 x 1.1), not 1.38; the US zone too', () => {
    for (const zone of ['eu', 'us']) {
      expect(ratesOf('azure', 'gpt-5.1', { scope: zone })).toMatchObject({ input: '1.375', cache_read: '0.1375' });
    }
  });

  it('genai-prices o3 before 2025-06-10: cache read 2.5, not 0.5', () => {
    expect(ratesOf('openai', 'o3', { at: '2025-01-01' }).cache_read).toBe('2.5');
  });

  it('errors found by the seed ratio checks are corrected too', () => {
    // Data Zone priority cached input 1.38 → 1.375 (2.5 x 0.55).
    const p = offering(findModel('azure', 'gpt-5.5'), 'eu').periods[0]!;
    expect(p.service_tiers?.priority).toEqual({ multiply: '2.5' });
    // Azure gpt-realtime cached text 4 (= input) → 0.4.
    expect(ratesOf('azure', 'gpt-realtime-2025-08-28').cache_read).toBe('0.4');
    // Azure gpt-4o-2024-11-20 Data Zone: the cached-input price was filed as a cache write.
    const zone = ratesOf('azure', 'gpt-4o-2024-11-20', { scope: 'eu' });
    expect(zone.cache_write_5m).toBeUndefined();
    expect(zone.cache_read).toBe('1.375');
    // gpt-5.4 flex cached input 0.13 → 0.125: flex is then one multiplier, as batch is.
    expect(offering(findModel('openai', 'gpt-5.4')).periods[0]!.service_tiers?.flex).toEqual({ multiply: '0.5' });
  });
});

describe('the correction list', () => {
  it('gives every correction a reason and a source', () => {
    for (const c of [...LITELLM_CORRECTIONS, ...GENAI_CORRECTIONS, ...STALE_GENAI_OVERRIDES]) {
      expect(c.reason.length).toBeGreaterThan(20);
      expect(c.source.length).toBeGreaterThan(5);
    }
  });

  it('covers the six errors pricing.md lists', () => {
    const keys = LITELLM_CORRECTIONS.flatMap((c) => c.keys.map((k) => `${k} ${c.field}`));
    expect(keys).toContain('gpt-5-nano input_cost_per_token_priority');
    expect(keys).toContain('claude-3-haiku-20240307 cache_creation_input_token_cost_above_1hr');
    expect(keys).toContain('claude-3-opus-20240229 cache_creation_input_token_cost_above_1hr');
    expect(keys).toContain('eu.anthropic.claude-3-5-haiku-20241022-v1:0 input_cost_per_token');
    expect(keys).toContain('azure/eu/gpt-5.1 input_cost_per_token');
    expect(GENAI_CORRECTIONS.map((c) => `${c.provider}/${c.model} ${c.unit}`)).toContain('openai/o3 cache_read_mtok');
  });
});
