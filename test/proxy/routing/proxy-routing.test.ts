// Routing in the proxy, driven with the official openai and @anthropic-ai/sdk clients
// against the fake provider: shadow mode records the decision and changes nothing on the
// wire; enforce mode rewrites the model (and the upstream a pool names), records the
// requested model, the routed one and both costs, and says so in x-llmfin-routed-from;
// routing never sends a client to an upstream of another dialect; and `llmfin report
// --by routed_from,model` on the resulting ledger shows what routing saved.
//
// Prices (llmfin pricing show): gpt-4o input 2.50, cache_read 1.25, output 10 USD/1M;
// gpt-4o-mini 0.15, 0.075, 0.60; claude-sonnet-4-5 input 3, cache_read 0.30, output 15;
// claude-haiku-4-5 1, 0.10, 5. The fake's default usage: 1200 prompt tokens (OpenAI: 1024
// of them cached; Anthropic: 1200 uncached + 1024 cache reads), 80 output.
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import type { RoutingConfig } from '../../../src/config/routing-config-schema.js';
import type { UsageEntry } from '../../../src/ledger/index.js';
import type { GateRequest, RequestGate } from '../../../src/proxy/request-gate.js';
import { runCli } from '../../helpers/cli.js';
import { startHarness, type Harness, type HarnessOptions } from '../proxy-harness.js';

// gpt-4o:      176 x 2.50e-6 + 1024 x 1.25e-6 + 80 x 10e-6  = 0.00044 + 0.00128 + 0.0008 = 0.00252
// gpt-4o-mini: 176 x 0.15e-6 + 1024 x 0.075e-6 + 80 x 0.6e-6 = 0.0000264 + 0.0000768 + 0.000048 = 0.0001512
const GPT4O = '0.00252';
const GPT4O_MINI = '0.0001512';
// claude-sonnet-4-5: 1200 x 3e-6 + 1024 x 0.3e-6 + 80 x 15e-6 = 0.0036 + 0.0003072 + 0.0012 = 0.0051072
// claude-haiku-4-5:  1200 x 1e-6 + 1024 x 0.1e-6 + 80 x 5e-6  = 0.0012 + 0.0001024 + 0.0004 = 0.0017024
const SONNET = '0.0051072';
const HAIKU = '0.0017024';

/** Two tiers; a request with no evidence goes to the small one. */
function policy(mode: 'shadow' | 'enforce', small: Record<string, string[]> = { openai: ['gpt-4o-mini'], anthropic: ['claude-haiku-4-5'] }): RoutingConfig {
  return {
    mode,
    default_tier: 'small',
    tiers: [
      { name: 'small', models: small },
      { name: 'large', models: { openai: ['gpt-4o'], anthropic: ['claude-sonnet-4-5'] } },
    ],
  };
}

const messages = [{ role: 'user' as const, content: 'hi' }];
const attribution = { 'x-llmfin-feature': 'support', 'x-llmfin-agent': 'helper' };

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function harness(routing: RoutingConfig, extraUpstreams?: HarnessOptions['extraUpstreams']): Promise<{ h: Harness; openai: OpenAI; anthropic: Anthropic }> {
  h = await startHarness({ routing, ...(extraUpstreams ? { extraUpstreams } : {}) });
  return {
    h,
    openai: new OpenAI({ baseURL: `${h.proxy.url}/v1`, apiKey: 'sk-client-0001', maxRetries: 0 }),
    anthropic: new Anthropic({ baseURL: h.proxy.url, apiKey: 'sk-ant-client-0002', maxRetries: 0 }),
  };
}

function rowOf(rows: UsageEntry[], id: string | null): UsageEntry {
  const row = rows.find((r) => r.request_id === id);
  if (!row) throw new Error(`no row for ${id}`);
  return row;
}

const routingOf = (row: UsageEntry) => (JSON.parse(row.raw_usage!) as { routing?: Record<string, unknown> }).routing;
const tagsOf = (row: UsageEntry) => JSON.parse(row.tags ?? '{}') as Record<string, string>;

describe('proxy routing, shadow mode', () => {
  it('openai: the upstream gets the requested model; the row records what routing would have done', async () => {
    const { h, openai } = await harness(policy('shadow'));
    const { response } = await openai.chat.completions.create({ model: 'gpt-4o', messages }, { headers: attribution }).withResponse();
    expect(h.fake.requests.at(-1)!.body!.model).toBe('gpt-4o');
    // Not rewritten: byte for byte what the client sent.
    expect(JSON.parse(h.fake.requests.at(-1)!.raw)).toEqual({ model: 'gpt-4o', messages });
    expect(response.headers.get('x-llmfin-routed-from')).toBeNull();
    expect(response.headers.get('x-llmfin-model')).toBe('gpt-4o');
    expect(response.headers.get('x-llmfin-cost-usd')).toBe(GPT4O);
    const row = rowOf(await h.rows(), response.headers.get('x-llmfin-request-id'));
    expect(row).toMatchObject({ model: 'gpt-4o', model_requested: 'gpt-4o', cost_usd: GPT4O, feature: 'support', agent: 'helper' });
    expect(tagsOf(row)).toEqual({ route_tier: 'small' });
    expect(routingOf(row)).toMatchObject({
      v: 1, mode: 'shadow', dialect: 'openai', from: 'gpt-4o', tier: 'small', model: 'gpt-4o-mini', served_tier: 'large',
      original_cost_usd: GPT4O, chosen_cost_usd: GPT4O_MINI,
    });
    expect(typeof routingOf(row)!.score).toBe('number');
    expect(routingOf(row)!.features).toBeTypeOf('object');
    expect(routingOf(row)!.prompt).toMatch(/^[0-9a-f]{8}$/);
  });

  it('anthropic: the same, for a streamed message', async () => {
    const { h, anthropic } = await harness(policy('shadow'));
    const stream = anthropic.messages.stream({ model: 'claude-sonnet-4-5', max_tokens: 256, system: 'Be terse.', messages }, { headers: attribution });
    await stream.finalMessage();
    expect(h.fake.requests.at(-1)!.body!.model).toBe('claude-sonnet-4-5');
    const row = (await h.rows()).at(-1)!;
    expect(row).toMatchObject({ model: 'claude-sonnet-4-5', model_requested: 'claude-sonnet-4-5', cost_usd: SONNET });
    expect(tagsOf(row).routed_from).toBeUndefined();
    expect(routingOf(row)).toMatchObject({ mode: 'shadow', dialect: 'anthropic', from: 'claude-sonnet-4-5', model: 'claude-haiku-4-5', tier: 'small', served_tier: 'large', original_cost_usd: SONNET, chosen_cost_usd: HAIKU });
    expect(routingOf(row)!.system).toMatch(/^[0-9a-f]{8}$/);
  });

  it('in shadow mode the chosen model is priced at the request\'s service tier too', async () => {
    const { h, openai } = await harness(policy('shadow'));
    const usage = JSON.stringify({ input: 1000, output: 100, cached: 0, serviceTier: 'priority' });
    const { response } = await openai.chat.completions.create({ model: 'gpt-4o', messages, service_tier: 'priority' }, { headers: { 'x-fake-usage': usage } }).withResponse();
    const row = rowOf(await h.rows(), response.headers.get('x-llmfin-request-id'));
    expect(routingOf(row)).toMatchObject({ original_cost_usd: '0.00595', chosen_cost_usd: '0.00035' });
  });
});

describe('proxy routing, enforce mode', () => {
  it('openai: the fake sees the routed model; the row has both models, both costs and the tags', async () => {
    const { h, openai } = await harness(policy('enforce'));
    const { data, response } = await openai.chat.completions.create({ model: 'gpt-4o', messages }, { headers: attribution }).withResponse();
    expect(data.model).toBe('gpt-4o-mini');
    expect(h.fake.requests.at(-1)!.body).toEqual({ model: 'gpt-4o-mini', messages });
    expect(response.headers.get('x-llmfin-routed-from')).toBe('gpt-4o');
    expect(response.headers.get('x-llmfin-model')).toBe('gpt-4o-mini');
    expect(response.headers.get('x-llmfin-cost-usd')).toBe(GPT4O_MINI);
    const row = rowOf(await h.rows(), response.headers.get('x-llmfin-request-id'));
    expect(row).toMatchObject({ model: 'gpt-4o-mini', model_requested: 'gpt-4o', cost_usd: GPT4O_MINI, cost_status: 'priced' });
    expect(tagsOf(row)).toEqual({ routed_from: 'gpt-4o', route_tier: 'small' });
    expect(routingOf(row)).toMatchObject({ mode: 'enforce', from: 'gpt-4o', model: 'gpt-4o-mini', tier: 'small', served_tier: 'small', original_cost_usd: GPT4O });
    expect(routingOf(row)!.chosen_cost_usd).toBeUndefined();
    expect(h.logs.join('')).toContain('gpt-4o->gpt-4o-mini');
  });

  it('openai streaming: rewritten too, and the model a client asked for in the tier is kept', async () => {
    const { h, openai } = await harness(policy('enforce'));
    const stream = await openai.chat.completions.create({ model: 'gpt-4o', messages, stream: true });
    for await (const chunk of stream) void chunk;
    expect(h.fake.requests.at(-1)!.body).toMatchObject({ model: 'gpt-4o-mini', stream: true, stream_options: { include_usage: true } });
    // Already the small tier's model: nothing to rewrite.
    const { response } = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages }).withResponse();
    expect(response.headers.get('x-llmfin-routed-from')).toBeNull();
    const rows = await h.rows();
    expect(rows[0]).toMatchObject({ model: 'gpt-4o-mini', model_requested: 'gpt-4o', cost_usd: GPT4O_MINI });
    expect(rows[1]).toMatchObject({ model: 'gpt-4o-mini', model_requested: 'gpt-4o-mini' });
    expect(tagsOf(rows[1]!)).toEqual({ route_tier: 'small' });
  });

  it('a priority request\'s original cost is the requested model at priority rates, as the row\'s own cost is', async () => {
    const { h, openai } = await harness(policy('enforce'));
    const usage = JSON.stringify({ input: 1000, output: 100, cached: 0, serviceTier: 'priority' });
    const { response } = await openai.chat.completions.create({ model: 'gpt-4o', messages, service_tier: 'priority' }, { headers: { 'x-fake-usage': usage } }).withResponse();
    // Priority rates: gpt-4o-mini 0.25 in + 1.00 out per 1M = 0.00025 + 0.0001 = 0.00035;
    // gpt-4o 4.25 in + 17.00 out per 1M = 0.00425 + 0.0017 = 0.00595 (standard would be 0.0035).
    expect(response.headers.get('x-llmfin-cost-usd')).toBe('0.00035');
    const row = rowOf(await h.rows(), response.headers.get('x-llmfin-request-id'));
    expect(row).toMatchObject({ model: 'gpt-4o-mini', service_tier: 'priority', cost_usd: '0.00035' });
    expect(routingOf(row)).toMatchObject({ original_cost_usd: '0.00595' });
  });

  it('the budget gate is asked about the routed model, and its reservation is priced at it', async () => {
    const seen: GateRequest[] = [];
    const gate: RequestGate = { admit: (r) => (seen.push(r), { kind: 'allow', ticket: { settle() {}, release() {} } }) };
    h = await startHarness({ routing: policy('enforce'), gate });
    const openai = new OpenAI({ baseURL: `${h.proxy.url}/v1`, apiKey: 'sk-client-0001', maxRetries: 0 });
    await openai.chat.completions.create({ model: 'gpt-4o', messages, max_tokens: 100 });
    expect(seen[0]).toMatchObject({ model: 'gpt-4o-mini', dims: { model: 'gpt-4o-mini', route_tier: 'small', routed_from: 'gpt-4o' } });
    // 'hi' = 1 token estimated + 100 output at gpt-4o-mini: 0.15e-6 + 60e-6 = 0.00006015 USD
    expect(seen[0]!.maxCostTicks).toBe(601_500n);
  });

  it('anthropic: claude-sonnet-4-5 becomes claude-haiku-4-5, costs original vs actual', async () => {
    const { h, anthropic } = await harness(policy('enforce'));
    const { data, response } = await anthropic.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 256, messages }, { headers: attribution }).withResponse();
    expect(data.model).toBe('claude-haiku-4-5');
    expect(h.fake.requests.at(-1)!.body!.model).toBe('claude-haiku-4-5');
    expect(response.headers.get('x-llmfin-routed-from')).toBe('claude-sonnet-4-5');
    const row = rowOf(await h.rows(), response.headers.get('x-llmfin-request-id'));
    expect(row).toMatchObject({ model: 'claude-haiku-4-5', model_requested: 'claude-sonnet-4-5', cost_usd: HAIKU });
    expect(routingOf(row)).toMatchObject({ mode: 'enforce', dialect: 'anthropic', original_cost_usd: SONNET });
  });

  it('a pool that names an upstream (with a key of its own) sends the request there', async () => {
    h = await startHarness({
      routing: policy('enforce', { cheap: ['gpt-4o-mini'], anthropic: ['claude-haiku-4-5'] }),
      extraUpstreams: (url) => ({ cheap: { base_url: `${url}/cheap/v1`, dialect: 'openai', api_key_env: 'CHEAP_KEY' } }),
      env: { CHEAP_KEY: 'sk-cheap-0004' },
    });
    const openai = new OpenAI({ baseURL: `${h.proxy.url}/v1`, apiKey: 'sk-client-0001', maxRetries: 0 });
    const { response } = await openai.chat.completions.create({ model: 'gpt-4o', messages }).withResponse();
    expect(h.fake.requests.at(-1)).toMatchObject({ path: '/cheap/v1/chat/completions', body: { model: 'gpt-4o-mini' }, headers: { authorization: 'Bearer sk-cheap-0004' } });
    const row = rowOf(await h.rows(), response.headers.get('x-llmfin-request-id'));
    expect(row).toMatchObject({ model: 'gpt-4o-mini', model_requested: 'gpt-4o', cost_usd: GPT4O_MINI });
    expect(JSON.parse(row.raw_usage!)).toMatchObject({ upstream: 'cheap', routing: { original_cost_usd: GPT4O } });
  });
});

describe('routing never crosses dialects', () => {
  it('a tier with no model for the client dialect is skipped upward; each client stays on its dialect', async () => {
    // small has only an Anthropic model: an OpenAI client cannot use it, so it stays on gpt-4o (large).
    const { h, openai, anthropic } = await harness(policy('enforce', { anthropic: ['claude-haiku-4-5'] }));
    const { response } = await openai.chat.completions.create({ model: 'gpt-4o', messages }).withResponse();
    expect(response.headers.get('x-llmfin-routed-from')).toBeNull();
    expect(h.fake.requests.at(-1)).toMatchObject({ path: '/v1/chat/completions', body: { model: 'gpt-4o' } });
    await anthropic.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 64, messages });
    expect(h.fake.requests.at(-1)).toMatchObject({ path: '/v1/messages', body: { model: 'claude-haiku-4-5' } });
    const rows = await h.rows();
    expect(rows.map((r) => [r.provider, r.model_requested, r.model])).toEqual([
      ['openai', 'gpt-4o', 'gpt-4o'],
      ['anthropic', 'claude-sonnet-4-5', 'claude-haiku-4-5'],
    ]);
    expect(routingOf(rows[0]!)).toMatchObject({ dialect: 'openai', tier: 'large', model: 'gpt-4o' });
  });
});

describe('llmfin report --by routed_from,model', () => {
  it('shows the routed spend beside the unrouted, from the rows enforce mode wrote', async () => {
    const { h, openai } = await harness(policy('enforce'));
    for (let i = 0; i < 3; i++) await openai.chat.completions.create({ model: 'gpt-4o', messages });
    // gpt-4.1 is in no tier: kept as asked.
    await openai.chat.completions.create({ model: 'gpt-4.1', messages });
    await h.proxy.flush();
    const rows = await h.rows();
    const saved = rows.reduce((s, r) => {
      const rec = routingOf(r);
      return rec && tagsOf(r).routed_from ? s + Number(rec.original_cost_usd) - Number(r.cost_usd) : s;
    }, 0);
    // 3 x (0.00252 - 0.0001512) = 0.0071064
    expect(saved).toBeCloseTo(0.0071064, 10);
    const r = await runCli(['report', '--by', 'routed_from,model', '--db', h.ledgerPath, '--since', '2000-01-01', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { rows: Array<{ routed_from: string; model: string; cost_usd: number; requests: number }> };
    const routed = report.rows.find((x) => x.routed_from === 'gpt-4o')!;
    // Three requests asked for gpt-4o and ran on gpt-4o-mini: 3 x 0.0001512 = 0.0004536, where
    // gpt-4o would have cost 3 x 0.00252 = 0.00756 — the report's row and the routing records agree.
    expect(routed).toMatchObject({ model: 'gpt-4o-mini', requests: 3, cost_usd: 0.0004536 });
    expect(report.rows.find((x) => x.model === 'gpt-4.1')).toMatchObject({ routed_from: '(unattributed)', requests: 1 });
    const text = await runCli(['report', '--by', 'routed_from,model', '--db', h.ledgerPath, '--since', '2000-01-01']);
    expect(text.stdout).toMatch(/gpt-4o\s+gpt-4o-mini\s+\$0\.000454/);
  });
});

describe('routing decides generation requests only', () => {
  it('an embeddings request is forwarded as asked and recorded without a decision, even with allow_upgrade', async () => {
    // With allow_upgrade a model in no tier may be routed: an embedding model must never become a chat model.
    const { h, openai } = await harness({ ...policy('enforce'), allow_upgrade: true });
    const { response } = await openai.embeddings.create({ model: 'text-embedding-3-small', input: 'hello' }).withResponse();
    expect(response.status).toBe(200);
    expect(response.headers.get('x-llmfin-routed-from')).toBeNull();
    expect(response.headers.get('x-llmfin-model')).toBe('text-embedding-3-small');
    expect(h.fake.requests.at(-1)).toMatchObject({ path: '/v1/embeddings', body: { model: 'text-embedding-3-small' } });
    const row = rowOf(await h.rows(), response.headers.get('x-llmfin-request-id'));
    expect(row).toMatchObject({ model: 'text-embedding-3-small', model_requested: 'text-embedding-3-small' });
    expect(tagsOf(row)).toEqual({});
    expect(routingOf(row)).toBeUndefined();
    // A chat request on the same proxy is still routed.
    const chat = await openai.chat.completions.create({ model: 'gpt-4o', messages }).withResponse();
    expect(chat.response.headers.get('x-llmfin-routed-from')).toBe('gpt-4o');
  });
});

describe('a client asking for a dated snapshot', () => {
  it('is routed as the model it is a snapshot of, and its original cost is that model\'s', async () => {
    const { h, anthropic, openai } = await harness(policy('enforce'));
    const { data, response } = await anthropic.messages.create({ model: 'claude-sonnet-4-5-20250929', max_tokens: 64, messages }).withResponse();
    expect(data.model).toBe('claude-haiku-4-5');
    expect(response.headers.get('x-llmfin-routed-from')).toBe('claude-sonnet-4-5-20250929');
    const row = rowOf(await h.rows(), response.headers.get('x-llmfin-request-id'));
    expect(row).toMatchObject({ model: 'claude-haiku-4-5', model_requested: 'claude-sonnet-4-5-20250929', cost_usd: HAIKU });
    expect(routingOf(row)).toMatchObject({ from: 'claude-sonnet-4-5-20250929', tier: 'small', served_tier: 'small', original_cost_usd: SONNET });
    // The snapshot of the small tier's own model is kept as written: no rewrite to the pool's id.
    const kept = await openai.chat.completions.create({ model: 'gpt-4o-mini-2024-07-18', messages }).withResponse();
    expect(kept.response.headers.get('x-llmfin-routed-from')).toBeNull();
    expect(h.fake.requests.at(-1)!.body!.model).toBe('gpt-4o-mini-2024-07-18');
  });
});

describe('a caller with a proxy key', () => {
  it('is not routed to a pool\'s upstream with no key of its own (it would be refused there): served as asked, the row records what routing chose', async () => {
    const PROXY_KEY = 'llmfin-sk-routing-test-0001';
    h = await startHarness({
      routing: policy('enforce', { cheap: ['gpt-4o-mini'], anthropic: ['claude-haiku-4-5'] }),
      // The openai upstream has a key of its own (a proxy-key caller can be served there); cheap has none.
      extraUpstreams: (url) => ({ openai: { base_url: url, dialect: 'openai', api_key_env: 'UPSTREAM_KEY' }, cheap: { base_url: `${url}/cheap/v1`, dialect: 'openai' } }),
      config: { keys: [{ key_env: 'LLMFIN_KEY_APP', name: 'app', tags: {} }] },
      env: { LLMFIN_KEY_APP: PROXY_KEY, UPSTREAM_KEY: 'sk-upstream-0003' },
    });
    const openai = new OpenAI({ baseURL: `${h.proxy.url}/v1`, apiKey: PROXY_KEY, maxRetries: 0 });
    const { response } = await openai.chat.completions.create({ model: 'gpt-4o', messages }).withResponse();
    expect(response.status).toBe(200);
    expect(response.headers.get('x-llmfin-routed-from')).toBeNull();
    expect(h.fake.requests.at(-1)).toMatchObject({ path: '/v1/chat/completions', body: { model: 'gpt-4o' } });
    expect(h.fake.requests.at(-1)!.headers.authorization).toBe('Bearer sk-upstream-0003');
    const row = rowOf(await h.rows(), response.headers.get('x-llmfin-request-id'));
    expect(row).toMatchObject({ model: 'gpt-4o', model_requested: 'gpt-4o', cost_usd: GPT4O });
    expect(routingOf(row)).toMatchObject({ mode: 'enforce', tier: 'small', model: 'gpt-4o-mini', served_tier: 'large' });
  });
});
