// A budget with action downgrade and no downgrade_to sends requests past its limit to the
// routing policy's cheapest tier in the client's dialect (issue 6: "Budgets' downgrade
// action uses the same policy"). Routing itself runs in shadow mode here, so any rewrite
// seen on the wire is the budget's.
//
// gpt-4o with the fake's usage costs 0.00252 USD; gpt-4o-mini 0.0001512 (see proxy-routing.test.ts).
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BudgetGuard } from '../../../src/budgets/budget-guard.js';
import { ConfigSchema } from '../../../src/config/config-schema.js';
import { startHarness, type Harness } from '../proxy-harness.js';

let h: Harness;
let guard: BudgetGuard;
beforeAll(async () => {
  // $0.003: the first gpt-4o request fits its reservation (1 x 2.50e-6 + 80 x 10e-6 = 0.0008025);
  // once it has cost 0.00252, the next reservation would pass the limit: downgraded.
  guard = new BudgetGuard(ConfigSchema.parse({ budgets: [{ name: 'support', scope: { feature: 'support' }, limit_usd: 0.003, action: 'downgrade' }] }).budgets);
  h = await startHarness({
    gate: guard,
    routing: {
      mode: 'shadow',
      default_tier: 'large',
      tiers: [
        { name: 'small', models: { openai: ['gpt-4o-mini'], anthropic: ['claude-haiku-4-5'] } },
        { name: 'large', models: { openai: ['gpt-4o'], anthropic: ['claude-sonnet-4-5'] } },
      ],
    },
  });
});
afterAll(() => h.close());

describe('budget downgrade through the routing policy', () => {
  it('sends requests past the limit to the cheapest tier of the same dialect', async () => {
    const openai = new OpenAI({ baseURL: `${h.proxy.url}/v1`, apiKey: 'sk-client', maxRetries: 0 });
    const ask = () => openai.chat.completions.create({ model: 'gpt-4o', max_tokens: 80, messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'x-llmfin-feature': 'support' } }).withResponse();
    const first = await ask();
    expect(first.data.model).toBe('gpt-4o');
    const second = await ask();
    expect(second.response.headers.get('x-llmfin-routed-from')).toBe('gpt-4o');
    const anthropic = new Anthropic({ baseURL: h.proxy.url, apiKey: 'sk-ant-client', maxRetries: 0 });
    await anthropic.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 80, messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'x-llmfin-feature': 'support' } });

    // What the upstream was asked for: the budget's downgrade, never across dialects.
    expect(h.fake.requests.map((r) => [r.path, (r.body as { model?: string }).model])).toEqual([
      ['/v1/chat/completions', 'gpt-4o'],
      ['/v1/chat/completions', 'gpt-4o-mini'],
      ['/v1/messages', 'claude-haiku-4-5'],
    ]);
    const rows = await h.rows();
    expect(rows.map((r) => [r.model_requested, r.model, r.cost_usd])).toEqual([
      ['gpt-4o', 'gpt-4o', '0.00252'],
      ['gpt-4o', 'gpt-4o-mini', '0.0001512'],
      ['claude-sonnet-4-5', 'claude-haiku-4-5', '0.0017024'],
    ]);
    expect(rows.slice(1).every((r) => JSON.parse(r.tags ?? '{}').routed_from !== undefined)).toBe(true);
  });

  it('the guard says downgrade without naming a model when the budget names none', () => {
    const g = new BudgetGuard(ConfigSchema.parse({ budgets: [{ name: 'b', limit_usd: 1, action: 'downgrade' }] }).budgets, { spent: new Map([['b', 10_000_000_000n]]) });
    expect(g.admit({ model: 'gpt-4o', dims: {}, maxCostTicks: 1n })).toMatchObject({ kind: 'allow', downgrade: true, notice: 'budget "b" reached: gpt-4o downgraded to the cheapest routing tier' });
  });
});
