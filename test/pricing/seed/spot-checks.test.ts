/**
 * Spot checks of the generated catalogue against the hand-written numbers of
 * pricing.md §4 (USD per 1M tokens). The expected strings are typed here, not read from
 * a dataset, so a seed change that moves a price shows up as a failing line.
 */
import { describe, expect, it } from 'vitest';
import { findModel, loadProvider, offering, periodAt, ratesOf } from '../catalogue-helpers.js';

describe('OpenAI', () => {
  it('gpt-4o: 2.5 / 10 / cache 1.25, batch half price', () => {
    expect(ratesOf('openai', 'gpt-4o')).toMatchObject({ input: '2.5', output: '10', cache_read: '1.25' });
    expect(offering(findModel('openai', 'gpt-4o')).periods[0]!.service_tiers?.batch).toEqual({ multiply: '0.5' });
    // The 2024-05-13 snapshot has its own price and is its own model.
    expect(findModel('openai', 'gpt-4o-2024-05-13').id).toBe('gpt-4o-2024-05-13');
    expect(ratesOf('openai', 'gpt-4o-2024-05-13')).toMatchObject({ input: '5', output: '15' });
    expect(findModel('openai', 'gpt-4o-2024-08-06').id).toBe('gpt-4o');
  });

  it('gpt-5.4: whole-request tier above 272K at 5 / 22.5 / 0.5, data residency 1.1x', () => {
    const p = offering(findModel('openai', 'gpt-5.4')).periods[0]!;
    expect(p.rates).toMatchObject({ input: '2.5', output: '15', cache_read: '0.25' });
    expect(p.tiers).toEqual([{ above: 272000, compare: 'gt', rates: { input: '5', output: '22.5', cache_read: '0.5' } }]);
    expect(p.geo).toEqual({ eu: { multiply: '1.1' }, us: { multiply: '1.1' } });
    expect(p.service_tiers?.priority).toEqual({ multiply: '2' });
  });

  it('gpt-5.4-pro: 30 / 180', () => {
    expect(ratesOf('openai', 'gpt-5.4-pro')).toMatchObject({ input: '30', output: '180' });
  });

  it('gpt-5.6-terra: 2.5 / 15 before 2026-07-30, 2 / 12 from it; dated ids by regex', () => {
    const o = offering(findModel('openai', 'gpt-5.6-terra'));
    expect(o.periods.map((p) => [p.from, p.to])).toEqual([
      [null, '2026-07-30'],
      ['2026-07-30', null],
    ]);
    expect(periodAt(o, '2026-07-29').rates).toMatchObject({ input: '2.5', output: '15', cache_read: '0.25', cache_write_5m: '3.125' });
    expect(periodAt(o, '2026-07-30').rates).toMatchObject({ input: '2', output: '12', cache_read: '0.2', cache_write_5m: '2.5' });
    expect(periodAt(o, '2026-07-30').service_tiers?.batch).toEqual({ multiply: '0.5' });
    expect(findModel('openai', 'gpt-5.6-terra-2026-07-09').id).toBe('gpt-5.6-terra');
  });

  it('gpt-5.6-luna: 1 / 6 at launch, 0.2 / 1.2 after the 80% cut', () => {
    expect(ratesOf('openai', 'gpt-5.6-luna', { at: '2026-07-20' })).toMatchObject({ input: '1', output: '6', cache_read: '0.1' });
    expect(ratesOf('openai', 'gpt-5.6-luna', { at: '2026-08-01' })).toMatchObject({ input: '0.2', output: '1.2', cache_read: '0.02' });
    expect(findModel('openai', 'gpt-5.6-luna-2026-07-09').id).toBe('gpt-5.6-luna');
  });

  it('o3: 10 / 40 (cache 2.5) before 2025-06-10, 2 / 8 (cache 0.5) after', () => {
    expect(ratesOf('openai', 'o3', { at: '2025-05-01' })).toMatchObject({ input: '10', output: '40', cache_read: '2.5' });
    expect(ratesOf('openai', 'o3', { at: '2025-06-10' })).toMatchObject({ input: '2', output: '8', cache_read: '0.5' });
  });

  it('chatgpt-4o-latest is a model with its own price; -chat-latest names are aliases', () => {
    expect(ratesOf('openai', 'chatgpt-4o-latest')).toMatchObject({ input: '5', output: '15' });
    expect(loadProvider('openai').aliases).toContainEqual({ id: 'gpt-5-chat-latest', target: 'gpt-5', from: null, to: null });
  });
});

describe('Anthropic', () => {
  it('claude-3-7-sonnet: 3 / 15 / read 0.3 / write 3.75, reachable by dated and -latest ids', () => {
    expect(ratesOf('anthropic', 'claude-3-7-sonnet')).toMatchObject({ input: '3', output: '15', cache_read: '0.3', cache_write_5m: '3.75' });
    expect(findModel('anthropic', 'claude-3-7-sonnet-20250219').id).toBe('claude-3-7-sonnet');
    expect(findModel('anthropic', 'claude-3-7-sonnet-latest').id).toBe('claude-3-7-sonnet');
  });

  it('claude-sonnet-4-5: above 200K 6 / 22.5 / 0.6 / 7.5 / 12', () => {
    const p = offering(findModel('anthropic', 'claude-sonnet-4-5-20250929')).periods[0]!;
    expect(p.tiers).toEqual([
      { above: 200000, compare: 'gt', rates: { input: '6', output: '22.5', cache_read: '0.6', cache_write_5m: '7.5', cache_write_1h: '12' } },
    ]);
    expect(findModel('anthropic', 'claude-sonnet-4.5').id).toBe('claude-sonnet-4-5');
  });

  it('claude-opus-5: 1h cache write 10, US-only inference 1.1x, fast 2x, batch 0.5', () => {
    const p = offering(findModel('anthropic', 'claude-opus-5')).periods[0]!;
    expect(p.rates).toMatchObject({ input: '5', output: '25', cache_read: '0.5', cache_write_5m: '6.25', cache_write_1h: '10' });
    expect(p.geo).toEqual({ us: { multiply: '1.1' } });
    expect(p.service_tiers).toEqual({ batch: { multiply: '0.5' }, fast: { multiply: '2' } });
  });

  it('claude-sonnet-5: introductory 2 / 10 until 2026-09-01, then 3 / 15', () => {
    const o = offering(findModel('anthropic', 'claude-sonnet-5'));
    expect(o.periods.map((p) => [p.from, p.to])).toEqual([
      [null, '2026-09-01'],
      ['2026-09-01', null],
    ]);
    expect(periodAt(o, '2026-08-31').rates).toMatchObject({ input: '2', output: '10' });
    expect(periodAt(o, '2026-09-01').rates).toMatchObject({ input: '3', output: '15', cache_write_1h: '6' });
  });

  it('geo us 1.1x on every model LiteLLM marks, and claude-opus-4-6 lost its tier on 2026-03-13', () => {
    for (const id of ['claude-opus-4-6', 'claude-opus-4-7', 'claude-opus-4-8', 'claude-opus-5', 'claude-sonnet-5', 'claude-fable-5']) {
      expect(offering(findModel('anthropic', id)).periods.every((p) => p.geo?.us?.multiply === '1.1'), id).toBe(true);
    }
    const o = offering(findModel('anthropic', 'claude-opus-4-6'));
    expect(periodAt(o, '2026-03-12').tiers?.[0]?.rates.input).toBe('10');
    expect(periodAt(o, '2026-03-13').tiers).toBeUndefined();
    expect(periodAt(o, '2026-03-13').service_tiers?.fast).toEqual({ multiply: '6' });
  });
});

describe('Bedrock', () => {
  it('claude-sonnet-4-6: global 3 / 15 / 3.75 / 0.3, regional 3.3 / 16.5 / 4.125 / 0.33, regional first', () => {
    const m = findModel('bedrock', 'anthropic.claude-sonnet-4-6');
    expect(m.offerings.map((o) => o.scope)).toEqual(['regional', 'global']);
    expect(ratesOf('bedrock', 'anthropic.claude-sonnet-4-6', { scope: 'global' })).toMatchObject({ input: '3', output: '15', cache_write_5m: '3.75', cache_read: '0.3' });
    expect(ratesOf('bedrock', 'anthropic.claude-sonnet-4-6', { scope: 'regional' })).toMatchObject({ input: '3.3', output: '16.5', cache_write_5m: '4.125', cache_read: '0.33' });
  });

  it('ids are bare: no geo prefix, no revision; full ids are exact spellings', () => {
    expect(findModel('bedrock', 'anthropic.claude-sonnet-4-5-20250929-v1:0').id).toBe('anthropic.claude-sonnet-4-5');
    expect(findModel('bedrock', 'meta.llama3-3-70b-instruct-v1:0').id).toBe('meta.llama3-3-70b-instruct');
    expect(ratesOf('bedrock', 'meta.llama3-3-70b-instruct')).toMatchObject({ input: '0.72', output: '0.72' });
    expect(offering(findModel('bedrock', 'meta.llama4-maverick-17b-instruct')).periods[0]!.service_tiers?.batch).toEqual({ multiply: '0.5' });
  });

  it('Nova Lite: EU profile 1.3x and APAC 1.05x as geo modifiers of the regional price', () => {
    const p = offering(findModel('bedrock', 'amazon.nova-lite-v1:0'), 'regional').periods[0]!;
    expect(p.rates).toMatchObject({ input: '0.06', output: '0.24' });
    expect(p.geo).toMatchObject({ eu: { multiply: '1.3' }, apac: { multiply: '1.05' } });
  });
});

describe('Google and Vertex', () => {
  it('gemini-2.5-pro: above 200K 2.5 / 15 / 0.25; flash 0.3 / 2.5 / 0.03', () => {
    const p = offering(findModel('google', 'gemini-2.5-pro')).periods[0]!;
    expect(p.rates).toMatchObject({ input: '1.25', output: '10', cache_read: '0.125' });
    expect(p.tiers).toEqual([{ above: 200000, compare: 'gt', rates: { input: '2.5', output: '15', cache_read: '0.25' } }]);
    expect(ratesOf('google', 'gemini-2.5-flash')).toMatchObject({ input: '0.3', output: '2.5', cache_read: '0.03' });
  });

  it('gemini-3.1-pro-preview: 2 / 12 / 0.2, above 200K 4 / 18 / 0.4, batch 0.5, priority 1.8', () => {
    const p = offering(findModel('google', 'gemini-3.1-pro-preview')).periods[0]!;
    expect(p.rates).toMatchObject({ input: '2', output: '12', cache_read: '0.2' });
    expect(p.tiers?.[0]?.rates).toEqual({ input: '4', output: '18', cache_read: '0.4' });
    expect(p.service_tiers).toMatchObject({ batch: { multiply: '0.5' }, priority: { multiply: '1.8' } });
  });

  it('vertex: Gemini at the same prices, Claude with the Anthropic usage convention', () => {
    expect(ratesOf('vertex', 'gemini-2.5-pro')).toMatchObject({ input: '1.25', output: '10', cache_read: '0.125' });
    const claude = findModel('vertex', 'claude-sonnet-4-5');
    expect(claude.usage_convention).toEqual({ input_includes_cache: false, output_includes_reasoning: true });
    expect(ratesOf('vertex', 'claude-sonnet-4-5')).toMatchObject({ input: '3', output: '15', cache_write_1h: '6' });
    expect(findModel('vertex', 'gemini-2.5-pro').usage_convention).toBeUndefined();
  });
});

describe('Azure', () => {
  it('gpt-5.1: Global 1.25, EU Data Zone 1.375', () => {
    const m = findModel('azure', 'gpt-5.1');
    expect(m.offerings[0]!.scope).toBe('global');
    expect(ratesOf('azure', 'gpt-5.1', { scope: 'global' })).toMatchObject({ input: '1.25', output: '10', cache_read: '0.125' });
    expect(ratesOf('azure', 'gpt-5.1', { scope: 'eu' })).toMatchObject({ input: '1.375', output: '11', cache_read: '0.1375' });
  });
});

describe('other providers', () => {
  it('deepseek: off-peak windows in 2025, 0.28 / 0.42 since 2025-09-29; v4-pro 0.435 / 0.87 / 0.003625', () => {
    const o = offering(findModel('deepseek', 'deepseek-chat'));
    expect(periodAt(o, '2025-07-01').time_windows).toEqual([{ start: '00:30', end: '16:30', modifier: { rates: { input: '0.27', output: '1.1', cache_read: '0.07' } } }]);
    expect(periodAt(o, '2025-10-01').rates).toMatchObject({ input: '0.28', output: '0.42', cache_read: '0.028' });
    expect(ratesOf('deepseek', 'deepseek-v4-pro')).toMatchObject({ input: '0.435', output: '0.87', cache_read: '0.003625' });
  });

  it('mistral: mistral-large-latest is an alias of Large 3 (2512) at 0.5 / 1.5', () => {
    expect(loadProvider('mistral').aliases).toContainEqual({ id: 'mistral-large-latest', target: 'mistral-large-2512', from: null, to: null });
    expect(ratesOf('mistral', 'mistral-large-latest')).toMatchObject({ input: '0.5', output: '1.5' });
  });

  it('xai: grok-4.3 1.25 / 2.5 with an inclusive tier at 200K', () => {
    const p = offering(findModel('xai', 'grok-4.3')).periods[0]!;
    expect(p.rates).toMatchObject({ input: '1.25', output: '2.5', cache_read: '0.2' });
    expect(p.tiers).toEqual([{ above: 200000, compare: 'gte', rates: { input: '2.5', output: '5', cache_read: '0.4' } }]);
  });

  it('groq, together, fireworks: one model each', () => {
    expect(ratesOf('groq', 'llama-3.3-70b-versatile')).toMatchObject({ input: '0.59', output: '0.79' });
    expect(ratesOf('together', 'meta-llama/Llama-3.3-70B-Instruct-Turbo')).toMatchObject({ input: '0.88', output: '0.88' });
    expect(ratesOf('fireworks', 'accounts/fireworks/models/deepseek-v3p2')).toMatchObject({ input: '0.56', output: '1.68', cache_read: '0.28' });
  });
});
