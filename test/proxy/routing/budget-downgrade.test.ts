// A budget with action downgrade and no downgrade_to sends requests past its limit to the
// routing policy's cheapest tier in the client's dialect (issue 6: "Budgets' downgrade
// action uses the same policy"). Routing itself runs in shadow mode here, so any rewrite
// seen on the wire is the budget's.
//
// gpt-4o with the fake's usage costs 0.00252 USD; gpt-4o-mini 0.0001512 (see proxy-routing.test.ts).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BudgetGuard } from '../../../src/budgets/budget-guard.js';
import { loadBudgetGuard } from '../../../src/budgets/load-budget-guard.js';
import { ConfigSchema } from '../../../src/config/config-schema.js';
import { openLedger } from '../../../src/ledger/index.js';
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

// A budget over a team that uses both SDKs, with downgrade_to naming one provider's model:
// the other dialect's requests must not be sent a model their upstream does not serve.
// The budget starts the day already past its limit ($1 spent of $0.001).
describe('budget downgrade_to that the upstream does not serve', () => {
  const budget = (downgradeTo: string | undefined) =>
    new BudgetGuard(
      ConfigSchema.parse({ budgets: [{ name: 'mixed', scope: { team: 'both' }, limit_usd: 0.001, action: 'downgrade', ...(downgradeTo !== undefined ? { downgrade_to: downgradeTo } : {}) }] }).budgets,
      { spent: new Map([['mixed', 10_000_000_000n]]) },
    );
  const askBoth = async (hh: Harness) => {
    const openai = new OpenAI({ baseURL: `${hh.proxy.url}/v1`, apiKey: 'sk-client', maxRetries: 0 });
    const anthropic = new Anthropic({ baseURL: hh.proxy.url, apiKey: 'sk-ant-client', maxRetries: 0 });
    const o = await openai.chat.completions.create({ model: 'gpt-4o', max_tokens: 80, messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'x-llmfin-team': 'both' } }).withResponse();
    const a = await anthropic.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 80, messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'x-llmfin-team': 'both' } }).withResponse();
    return { openai: o.response.headers, anthropic: a.response.headers };
  };

  it('goes to the dialect it belongs to; the other is forwarded as asked and the notice says it was not downgraded', async () => {
    const hh = await startHarness({ gate: budget('claude-haiku-4-5') });
    try {
      const headers = await askBoth(hh);
      expect(hh.fake.requests.map((r) => [r.path, (r.body as { model?: string }).model])).toEqual([
        ['/v1/chat/completions', 'gpt-4o'],
        ['/v1/messages', 'claude-haiku-4-5'],
      ]);
      expect(headers.openai.get('x-llmfin-budget-notice')).toBe('budget "mixed" reached: gpt-4o not downgraded (downgrade_to claude-haiku-4-5 is not a model of upstream "openai" (openai))');
      expect(headers.openai.get('x-llmfin-routed-from')).toBeNull();
      expect(headers.anthropic.get('x-llmfin-budget-notice')).toBe('budget "mixed" reached: claude-sonnet-4-5 downgraded to claude-haiku-4-5');
      expect(headers.anthropic.get('x-llmfin-routed-from')).toBe('claude-sonnet-4-5');
      expect(hh.logs.join('')).toContain('budget "mixed" reached: downgrade_to claude-haiku-4-5 is not a model of upstream "openai" (openai); forwarded unchanged');
      // 176 x 2.50e-6 + 1024 x 1.25e-6 + 80 x 10e-6 = 0.00252; 1200 x 1e-6 + 1024 x 0.10e-6 + 80 x 5e-6 = 0.0017024.
      const rows = await hh.rows();
      expect(rows.map((r) => [r.model_requested, r.model, r.cost_usd, r.cost_status, JSON.parse(r.tags ?? '{}').routed_from])).toEqual([
        ['gpt-4o', 'gpt-4o', '0.00252', 'priced', undefined],
        ['claude-sonnet-4-5', 'claude-haiku-4-5', '0.0017024', 'priced', 'claude-sonnet-4-5'],
      ]);
      // Said once: it holds for every request of that budget and upstream, and each one's notice tells it.
      await askBoth(hh);
      expect(hh.logs.join('').match(/forwarded unchanged/g)).toHaveLength(1);
    } finally {
      await hh.close();
    }
  });

  it('with a routing policy, the other dialect goes to its cheapest tier instead', async () => {
    const hh = await startHarness({
      gate: budget('claude-haiku-4-5'),
      routing: { mode: 'shadow', default_tier: 'large', tiers: [{ name: 'small', models: { openai: ['gpt-4o-mini'] } }, { name: 'large', models: { openai: ['gpt-4o'] } }] },
    });
    try {
      const headers = await askBoth(hh);
      expect(hh.fake.requests.map((r) => (r.body as { model?: string }).model)).toEqual(['gpt-4o-mini', 'claude-haiku-4-5']);
      expect(headers.openai.get('x-llmfin-budget-notice')).toBe('budget "mixed" reached: gpt-4o downgraded to gpt-4o-mini');
      expect(headers.openai.get('x-llmfin-routed-from')).toBe('gpt-4o');
      // 176 x 0.15e-6 + 1024 x 0.075e-6 + 80 x 0.60e-6 = 0.0001512.
      expect((await hh.rows()).map((r) => [r.model, r.cost_usd])).toEqual([
        ['gpt-4o-mini', '0.0001512'],
        ['claude-haiku-4-5', '0.0017024'],
      ]);
    } finally {
      await hh.close();
    }
  });

  it('with neither downgrade_to nor a tier for the dialect, the notice does not claim a downgrade', async () => {
    const hh = await startHarness({ gate: budget(undefined) });
    try {
      const headers = await askBoth(hh);
      expect(hh.fake.requests.map((r) => (r.body as { model?: string }).model)).toEqual(['gpt-4o', 'claude-sonnet-4-5']);
      expect(headers.openai.get('x-llmfin-budget-notice')).toBe('budget "mixed" reached: gpt-4o not downgraded (no routing tier serves openai)');
      expect(headers.anthropic.get('x-llmfin-budget-notice')).toBe('budget "mixed" reached: claude-sonnet-4-5 not downgraded (no routing tier serves anthropic)');
    } finally {
      await hh.close();
    }
  });
});

// A client already on a cheaper model than the downgrade's target must not be "downgraded"
// up to it: claude-3-haiku ($0.25/$1.25 per 1M) under a policy whose cheapest Anthropic tier
// is claude-haiku-4-5 ($1/$5), gpt-4.1-nano ($0.10/$0.40) under downgrade_to gpt-4o-mini ($0.15/$0.60).
describe('a downgrade never sends a request to a dearer model', () => {
  const pastLimit = (downgradeTo?: string) =>
    new BudgetGuard(
      ConfigSchema.parse({ budgets: [{ name: 'cheap', limit_usd: 0.001, action: 'downgrade', ...(downgradeTo !== undefined ? { downgrade_to: downgradeTo } : {}) }] }).budgets,
      { spent: new Map([['cheap', 10_000_000_000n]]) },
    );

  it('keeps a model cheaper than the cheapest tier, and says so', async () => {
    const hh = await startHarness({
      gate: pastLimit(),
      routing: { mode: 'shadow', tiers: [{ name: 'small', models: { anthropic: ['claude-haiku-4-5'] } }, { name: 'large', models: { anthropic: ['claude-sonnet-4-5'] } }] },
    });
    try {
      const anthropic = new Anthropic({ baseURL: hh.proxy.url, apiKey: 'sk-ant-client', maxRetries: 0 });
      const ask = (model: string) => anthropic.messages.create({ model, max_tokens: 80, messages: [{ role: 'user', content: 'hi' }] }).withResponse();
      const cheap = await ask('claude-3-haiku-20240307');
      expect(cheap.data.model).toBe('claude-3-haiku-20240307');
      expect(cheap.response.headers.get('x-llmfin-routed-from')).toBeNull();
      expect(cheap.response.headers.get('x-llmfin-budget-notice')).toBe(
        "budget \"cheap\" reached: claude-3-haiku-20240307 not downgraded (the routing policy's cheapest anthropic tier, claude-haiku-4-5, is not cheaper)",
      );
      // A dearer request still goes down.
      const dear = await ask('claude-sonnet-4-5');
      expect(dear.response.headers.get('x-llmfin-routed-from')).toBe('claude-sonnet-4-5');
      // 1200 x 0.25e-6 + 1024 x 0.03e-6 + 80 x 1.25e-6 = 0.00043072; 1200 x 1e-6 + 1024 x 0.10e-6 + 80 x 5e-6 = 0.0017024.
      const rows = await hh.rows();
      expect(rows.map((r) => [r.model_requested, r.model, r.cost_usd, JSON.parse(r.tags ?? '{}').routed_from])).toEqual([
        ['claude-3-haiku-20240307', 'claude-3-haiku-20240307', '0.00043072', undefined],
        ['claude-sonnet-4-5', 'claude-haiku-4-5', '0.0017024', 'claude-sonnet-4-5'],
      ]);
      expect(hh.logs.join('')).not.toContain('forwarded unchanged');
    } finally {
      await hh.close();
    }
  });

  it("keeps a model cheaper than the budget's downgrade_to", async () => {
    const hh = await startHarness({ gate: pastLimit('gpt-4o-mini') });
    try {
      const openai = new OpenAI({ baseURL: `${hh.proxy.url}/v1`, apiKey: 'sk-client', maxRetries: 0 });
      const { data, response } = await openai.chat.completions.create({ model: 'gpt-4.1-nano', max_tokens: 80, messages: [{ role: 'user', content: 'hi' }] }).withResponse();
      expect(data.model).toBe('gpt-4.1-nano');
      expect(response.headers.get('x-llmfin-budget-notice')).toBe('budget "cheap" reached: gpt-4.1-nano not downgraded (downgrade_to gpt-4o-mini is not cheaper)');
      // 176 x 0.10e-6 + 1024 x 0.025e-6 + 80 x 0.40e-6 = 0.0000752.
      expect((await hh.rows()).map((r) => [r.model_requested, r.model, r.cost_usd])).toEqual([['gpt-4.1-nano', 'gpt-4.1-nano', '0.0000752']]);
    } finally {
      await hh.close();
    }
  });
});

// A budget scoped on a model counts what that model served: the ledger's `model` is the
// model that ran, so a restarted proxy (seeded from the ledger) counts a downgraded request
// under the model it went to. The running proxy must count it there too, not under the
// model the client asked for, or a restart moves spend from one budget to another.
describe('a downgraded request counts under the model that served it', () => {
  it('in the running proxy as in one restarted on the same ledger', async () => {
    // Two requests of gpt-4o-mini (the downgrade) at 0.0001512 each = 3,024,000 ticks.
    const config = ConfigSchema.parse({
      budgets: [
        { name: 'team', scope: { team: 't' }, limit_usd: 0.0001, action: 'downgrade', downgrade_to: 'gpt-4o-mini' },
        { name: 'on-4o', scope: { model: 'gpt-4o' }, limit_usd: 100 },
        { name: 'on-mini', scope: { model: 'gpt-4o-mini' }, limit_usd: 100 },
      ],
    });
    const seed = await openLedger(join(mkdtempSync(join(tmpdir(), 'llmfin-downgrade-')), 'ledger.db'));
    const live = await loadBudgetGuard(seed, config);
    const hh = await startHarness({ gate: live });
    try {
      const openai = new OpenAI({ baseURL: `${hh.proxy.url}/v1`, apiKey: 'sk-client', maxRetries: 0 });
      for (let i = 0; i < 2; i++) await openai.chat.completions.create({ model: 'gpt-4o', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'x-llmfin-team': 't' } });
      expect((await hh.rows()).map((r) => [r.model_requested, r.model, r.cost_usd])).toEqual([
        ['gpt-4o', 'gpt-4o-mini', '0.0001512'],
        ['gpt-4o', 'gpt-4o-mini', '0.0001512'],
      ]);
      const spent = (g: BudgetGuard) => g.snapshot().map((s) => [s.name, s.spentTicks, s.reservedTicks]);
      const expected = [
        ['team', 3_024_000n, 0n],
        ['on-4o', 0n, 0n],
        ['on-mini', 3_024_000n, 0n],
      ];
      expect(spent(live)).toEqual(expected);
      // The restart: a guard seeded from the ledger the proxy wrote.
      const restarted = await loadBudgetGuard(hh.ledger, config);
      expect(spent(restarted)).toEqual(expected);
    } finally {
      await hh.close();
      await seed.close();
    }
  });
});
