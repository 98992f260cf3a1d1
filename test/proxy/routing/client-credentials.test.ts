// A caller's own key goes only to the upstream it addressed (or one of the same provider
// at the same base URL). Routing (enforce) and a budget's downgrade send a request
// elsewhere only to an upstream with its own key (api_key_env); else the request is
// served as asked and the log says so once. No key is written to the log or the ledger.
// Driven with the official openai client against the loopback fake provider.
//
// gpt-4o with the fake's usage: 176 x 2.50e-6 + 1024 x 1.25e-6 + 80 x 10e-6 = 0.00252;
// gpt-4o-mini: 176 x 0.15e-6 + 1024 x 0.075e-6 + 80 x 0.60e-6 = 0.0001512.
import { readFileSync } from 'node:fs';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { BudgetGuard } from '../../../src/budgets/budget-guard.js';
import { ConfigSchema } from '../../../src/config/config-schema.js';
import type { RoutingConfig } from '../../../src/config/routing-config-schema.js';
import { startHarness, type Harness } from '../proxy-harness.js';

const CLIENT_KEY = 'sk-client-secret-0001';
const OTHER_KEY = 'sk-other-upstream-0002';
const messages = [{ role: 'user' as const, content: 'hi' }];

/** Two tiers; a request with no evidence goes to the small one, served by the `other` pool. */
function policy(mode: 'shadow' | 'enforce'): RoutingConfig {
  return {
    mode,
    default_tier: 'small',
    tiers: [
      { name: 'small', models: { other: ['gpt-4o-mini'] } },
      { name: 'large', models: { openai: ['gpt-4o'] } },
    ],
  };
}

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Everything written: the log, and the ledger file's bytes (rows flushed first). */
async function everythingWritten(hh: Harness): Promise<string> {
  const rows = await hh.rows();
  return hh.logs.join('') + JSON.stringify(rows, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)) + readFileSync(hh.ledgerPath).toString('latin1');
}

describe('routing to a pool upstream of another base URL', () => {
  it('without a key of its own: served as asked with the client key, logged once, the key never written', async () => {
    h = await startHarness({ routing: policy('enforce'), extraUpstreams: (url) => ({ other: { base_url: `${url}/other/v1`, dialect: 'openai', provider: 'groq' } }) });
    const openai = new OpenAI({ baseURL: `${h.proxy.url}/v1`, apiKey: CLIENT_KEY, maxRetries: 0 });
    for (let i = 0; i < 2; i++) {
      const { response } = await openai.chat.completions.create({ model: 'gpt-4o', messages }).withResponse();
      expect(response.headers.get('x-llmfin-routed-from')).toBeNull();
    }
    expect(h.fake.requests.map((r) => [r.path, r.body!.model, r.headers.authorization])).toEqual([
      ['/v1/chat/completions', 'gpt-4o', `Bearer ${CLIENT_KEY}`],
      ['/v1/chat/completions', 'gpt-4o', `Bearer ${CLIENT_KEY}`],
    ]);
    const rows = await h.rows();
    expect(rows.map((r) => [r.model_requested, r.model, r.cost_usd])).toEqual([
      ['gpt-4o', 'gpt-4o', '0.00252'],
      ['gpt-4o', 'gpt-4o', '0.00252'],
    ]);
    const log = h.logs.join('');
    expect(log.split('not sent to upstream "other"').length - 1).toBe(1);
    expect(log).toContain('routing: requests to upstream "openai" are served as asked, not sent to upstream "other": it has no key of its own');
    expect(await everythingWritten(h)).not.toContain(CLIENT_KEY);
  });

  it('with a key of its own: routed there, and the client key is not sent on', async () => {
    h = await startHarness({
      routing: policy('enforce'),
      extraUpstreams: (url) => ({ other: { base_url: `${url}/other/v1`, dialect: 'openai', provider: 'openai', api_key_env: 'OTHER_KEY' } }),
      env: { OTHER_KEY },
    });
    const openai = new OpenAI({ baseURL: `${h.proxy.url}/v1`, apiKey: CLIENT_KEY, maxRetries: 0 });
    const { response } = await openai.chat.completions.create({ model: 'gpt-4o', messages }).withResponse();
    expect(response.headers.get('x-llmfin-routed-from')).toBe('gpt-4o');
    expect(h.fake.requests.map((r) => [r.path, r.body!.model, r.headers.authorization])).toEqual([['/other/v1/chat/completions', 'gpt-4o-mini', `Bearer ${OTHER_KEY}`]]);
    expect((await h.rows()).map((r) => [r.model, r.cost_usd])).toEqual([['gpt-4o-mini', '0.0001512']]);
    const written = await everythingWritten(h);
    expect(written).not.toContain(CLIENT_KEY);
    expect(written).not.toContain(OTHER_KEY);
  });

  it('the same for an Anthropic client', async () => {
    h = await startHarness({
      routing: { mode: 'enforce', default_tier: 'small', tiers: [{ name: 'small', models: { other: ['claude-haiku-4-5'] } }, { name: 'large', models: { anthropic: ['claude-sonnet-4-5'] } }] },
      extraUpstreams: (url) => ({ other: { base_url: `${url}/other`, dialect: 'anthropic', provider: 'anthropic' } }),
    });
    const anthropic = new Anthropic({ baseURL: h.proxy.url, apiKey: CLIENT_KEY, maxRetries: 0 });
    await anthropic.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 80, messages });
    // The SDK sends its key as x-api-key or Authorization: Bearer, as its version chooses; either way, unchanged.
    expect(h.fake.requests.map((r) => [r.path, r.body!.model, r.headers['x-api-key'] ?? r.headers.authorization?.replace(/^Bearer /, '')])).toEqual([['/v1/messages', 'claude-sonnet-4-5', CLIENT_KEY]]);
    expect(h.logs.join('')).toContain('not sent to upstream "other"');
    expect(await everythingWritten(h)).not.toContain(CLIENT_KEY);
  });

  it('a pool upstream of the same provider and base URL shares the client key', async () => {
    h = await startHarness({ routing: policy('enforce'), extraUpstreams: (url) => ({ other: { base_url: url, dialect: 'openai', provider: 'openai' } }) });
    const openai = new OpenAI({ baseURL: `${h.proxy.url}/v1`, apiKey: CLIENT_KEY, maxRetries: 0 });
    await openai.chat.completions.create({ model: 'gpt-4o', messages });
    expect(h.fake.requests.map((r) => [r.path, r.body!.model, r.headers.authorization])).toEqual([['/v1/chat/completions', 'gpt-4o-mini', `Bearer ${CLIENT_KEY}`]]);
  });
});

describe("a budget's downgrade to a pool upstream of another base URL", () => {
  // Already past its limit ($1 spent of $0.001), so every request is downgraded.
  const downgrade = (extra: Record<string, unknown> = {}) =>
    new BudgetGuard(ConfigSchema.parse({ budgets: [{ name: 'cap', limit_usd: 0.001, action: 'downgrade', ...extra }] }).budgets, { spent: new Map([['cap', 10_000_000_000n]]) });

  it('without a key of its own: served as asked, the notice says so, logged once, the key never written', async () => {
    h = await startHarness({ gate: downgrade(), routing: policy('shadow'), extraUpstreams: (url) => ({ other: { base_url: `${url}/other/v1`, dialect: 'openai', provider: 'groq' } }) });
    const openai = new OpenAI({ baseURL: `${h.proxy.url}/v1`, apiKey: CLIENT_KEY, maxRetries: 0 });
    const notices: (string | null)[] = [];
    for (let i = 0; i < 2; i++) {
      const { response } = await openai.chat.completions.create({ model: 'gpt-4o', messages }).withResponse();
      notices.push(response.headers.get('x-llmfin-budget-notice'));
    }
    expect(h.fake.requests.map((r) => [r.path, r.body!.model, r.headers.authorization])).toEqual([
      ['/v1/chat/completions', 'gpt-4o', `Bearer ${CLIENT_KEY}`],
      ['/v1/chat/completions', 'gpt-4o', `Bearer ${CLIENT_KEY}`],
    ]);
    expect(notices).toEqual(Array(2).fill('budget "cap" reached: gpt-4o not downgraded (upstream "other" has no key of its own)'));
    const log = h.logs.join('');
    expect(log.split('budget downgrade: requests to upstream "openai" are served as asked, not sent to upstream "other"').length - 1).toBe(1);
    expect(await everythingWritten(h)).not.toContain(CLIENT_KEY);
  });

});

describe("a budget's downgrade applies to generation requests only, and only when it changes something", () => {
  const downgrade = (extra: Record<string, unknown> = {}) =>
    new BudgetGuard(ConfigSchema.parse({ budgets: [{ name: 'cap', limit_usd: 0.001, action: 'downgrade', ...extra }] }).budgets, { spent: new Map([['cap', 10_000_000_000n]]) });

  it('an embeddings request is never downgraded to a chat model', async () => {
    h = await startHarness({ gate: downgrade({ downgrade_to: 'gpt-4o-mini' }) });
    const openai = new OpenAI({ baseURL: `${h.proxy.url}/v1`, apiKey: CLIENT_KEY, maxRetries: 0 });
    const { response } = await openai.embeddings.create({ model: 'text-embedding-3-small', input: 'hello' }).withResponse();
    expect(h.fake.requests.map((r) => [r.path, r.body!.model])).toEqual([['/v1/embeddings', 'text-embedding-3-small']]);
    expect(response.headers.get('x-llmfin-routed-from')).toBeNull();
    expect(response.headers.get('x-llmfin-budget-notice')).toBe('budget "cap" reached: text-embedding-3-small not downgraded (only chat completions, responses and messages are)');
    expect((await h.rows()).map((r) => [r.model_requested, r.model])).toEqual([['text-embedding-3-small', 'text-embedding-3-small']]);
  });

  it('an embeddings request is not sent to the cheapest routing tier either', async () => {
    h = await startHarness({ gate: downgrade(), routing: { mode: 'shadow', default_tier: 'small', tiers: [{ name: 'small', models: { openai: ['gpt-4o-mini'] } }] } });
    const openai = new OpenAI({ baseURL: `${h.proxy.url}/v1`, apiKey: CLIENT_KEY, maxRetries: 0 });
    await openai.embeddings.create({ model: 'text-embedding-3-small', input: 'hello' });
    expect(h.fake.requests.map((r) => [r.path, r.body!.model])).toEqual([['/v1/embeddings', 'text-embedding-3-small']]);
  });

  it('a request already on the cheapest tier gets no downgrade notice', async () => {
    h = await startHarness({ gate: downgrade(), routing: { mode: 'enforce', default_tier: 'small', tiers: [{ name: 'small', models: { openai: ['gpt-4o-mini'] } }, { name: 'large', models: { openai: ['gpt-4o'] } }] } });
    const openai = new OpenAI({ baseURL: `${h.proxy.url}/v1`, apiKey: CLIENT_KEY, maxRetries: 0 });
    const { response } = await openai.chat.completions.create({ model: 'gpt-4o', messages }).withResponse();
    expect(h.fake.requests.map((r) => r.body!.model)).toEqual(['gpt-4o-mini']);
    expect(response.headers.get('x-llmfin-routed-from')).toBe('gpt-4o');
    expect(response.headers.get('x-llmfin-budget-notice')).toBeNull();
  });
});
