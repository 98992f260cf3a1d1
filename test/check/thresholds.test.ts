import { describe, expect, it } from 'vitest';
import { parseCaps, resolveThresholds } from '../../src/check/thresholds.js';
import { ConfigSchema } from '../../src/config/config-schema.js';
import { parseConfigText } from '../../src/config/parse-config-text.js';
import { STARTER_CONFIG } from '../../src/config/starter-config.js';

const check = (yaml: Record<string, unknown>) => ConfigSchema.parse({ check: yaml }).check;
const text = (t: ReturnType<ReturnType<typeof resolveThresholds>>) => ({
  maxIncrease: t.maxIncrease.toFixed(),
  maxTokenIncrease: t.maxTokenIncrease.toFixed(),
  maxCostPerRequest: t.maxCostPerRequest?.toFixed(),
});

describe('check config', () => {
  it('reads 10%, "10%" and 10 as ten percent', () => {
    expect(check({ max_increase: '10%' }).max_increase).toBe('10');
    expect(check({ max_increase: 10 }).max_increase).toBe('10');
    expect(check({ max_increase: '2.5' }).max_increase).toBe('2.5');
    expect(() => check({ max_increase: 'ten' })).toThrow('expected a percentage such as 10%');
    expect(() => check({ groups: { checkout: { max_cost_per_request: '-1' } } })).toThrow();
    expect(() => check({ by: 'team' })).toThrow();
  });

  it('is what the starter llmfin.yaml says, which is the default', () => {
    expect(parseConfigText(STARTER_CONFIG, 'llmfin.yaml').check).toEqual(ConfigSchema.parse({}).check);
  });
});

describe('resolveThresholds', () => {
  const config = check({ max_increase: '5%', max_token_increase: '20%', groups: { checkout: { max_increase: '25%', max_cost_per_request: '0.002' }, chat: { max_token_increase: '1%' } } });

  it('takes a group entry over the section defaults', () => {
    const t = resolveThresholds(config, {});
    expect(text(t('checkout'))).toEqual({ maxIncrease: '25', maxTokenIncrease: '20', maxCostPerRequest: '0.002' });
    expect(text(t('chat'))).toEqual({ maxIncrease: '5', maxTokenIncrease: '1', maxCostPerRequest: undefined });
    expect(text(t('other'))).toEqual({ maxIncrease: '5', maxTokenIncrease: '20', maxCostPerRequest: undefined });
    // Without any token tolerance, tokens get the cost tolerance.
    expect(text(resolveThresholds(check({}), {})('x'))).toEqual({ maxIncrease: '10', maxTokenIncrease: '10', maxCostPerRequest: undefined });
  });

  it('lets flags win over the config', () => {
    const t = resolveThresholds(config, { maxIncrease: '12%', maxCostPerRequest: ['checkout=0.01', '0.5'] });
    expect(text(t('checkout'))).toEqual({ maxIncrease: '12', maxTokenIncrease: '12', maxCostPerRequest: '0.01' });
    expect(text(t('chat'))).toEqual({ maxIncrease: '12', maxTokenIncrease: '12', maxCostPerRequest: '0.5' });
    expect(text(resolveThresholds(config, { maxTokenIncrease: '3' })('checkout'))).toMatchObject({ maxIncrease: '25', maxTokenIncrease: '3' });
  });

  it('parses caps as GROUP=USD, comma-separated or repeated, $ allowed', () => {
    const caps = parseCaps(['checkout=0.002,search=$0.0005', 'chat = 1']);
    expect([...caps.byGroup].map(([g, v]) => [g, v.toFixed()])).toEqual([['checkout', '0.002'], ['search', '0.0005'], ['chat', '1']]);
    expect(() => parseCaps(['checkout=cheap'])).toThrow('--max-cost-per-request: expected GROUP=USD');
  });

  it('refuses two different caps for one group, or two bare caps, rather than keep the last', () => {
    expect(() => parseCaps(['checkout=0.002', 'checkout=0.02'])).toThrow('--max-cost-per-request: expected one cap for "checkout", got 0.002 and 0.02');
    expect(() => parseCaps(['0.5,0.1'])).toThrow('--max-cost-per-request: expected one cap for every group, got 0.5 and 0.1');
    // The same cap twice is no conflict.
    expect(parseCaps(['checkout=0.002', 'checkout=$0.0020']).byGroup.get('checkout')!.toFixed()).toBe('0.002');
  });
});
