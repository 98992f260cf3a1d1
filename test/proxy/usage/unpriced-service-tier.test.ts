// A response served on a tier the catalogue has no price for (Anthropic's Priority Tier,
// `usage.service_tier: "priority"`, is sold by commitment and has no per-token list price;
// OpenAI's priority on a model without one) is never a silent $0 nor an unpriced row that
// settles nothing against a budget: it is estimated at the model's standard rates, marked
// `estimated` with the reason, its tier kept on the row, and the gate settles that same
// figure. The proxy logs the gap once per model and tier.
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../proxy-harness.js';
import { recordingGate } from '../recording-gate.js';

const gate = recordingGate();
const { admitted, settled } = gate;

let h: Harness;
let anthropic: Anthropic;
let openai: OpenAI;
beforeAll(async () => {
  h = await startHarness({ gate });
  anthropic = new Anthropic({ baseURL: h.proxy.url, apiKey: 'sk-ant-x', maxRetries: 0 });
  openai = new OpenAI({ baseURL: `${h.proxy.url}/v1`, apiKey: 'sk-x', maxRetries: 0 });
});
afterAll(() => h.close());

const priority = { 'x-fake-usage': JSON.stringify({ input: 1000, output: 200, cached: 0, serviceTier: 'priority' }) };
const messages = [{ role: 'user' as const, content: 'Say hello' }];
const tierWarnings = () => h.logs.filter((l) => l.includes('no "priority" price'));

describe('a tier served that the catalogue has no price for', () => {
  it('Anthropic priority (JSON): estimated at standard rates, the tier kept, the gate settled with the same figure', async () => {
    // The request asks for priority (not a value Anthropic's own client types allow): reserved at standard rates,
    // as there is no other. claude-haiku-4-5: input 1, output 5 USD/1M. "Say hello" 9 characters -> 3 tokens:
    // 3 x 1e-6 + 100 x 5e-6 = 0.000003 + 0.0005 = 0.000503 USD.
    const body = { model: 'claude-haiku-4-5', max_tokens: 100, messages, service_tier: 'priority' } as unknown as Anthropic.MessageCreateParamsNonStreaming;
    const { response } = await anthropic.messages.create(body, { headers: priority }).withResponse();
    expect(admitted.at(-1)!.maxCostTicks).toBe(5_030_000n);
    // 1000 x 1e-6 + 200 x 5e-6 = 0.001 + 0.001 = 0.002 USD.
    expect(response.headers.get('x-llmfin-cost-usd')).toBe('0.002');
    expect(response.headers.get('x-llmfin-cost-status')).toBe('estimated');
    const row = (await h.rows()).at(-1)!;
    expect(row).toMatchObject({
      model: 'claude-haiku-4-5', input_tokens: 1000, output_tokens: 200, service_tier: 'priority',
      cost_usd: '0.002', cost_ticks: 20_000_000n, cost_status: 'estimated', price_ref: 'anthropic/claude-haiku-4-5/default/start',
    });
    expect(row.description).toBe('service_tier_unpriced: claude-haiku-4-5 has no "priority" price in the catalogue; estimated at its standard rates');
    expect(JSON.parse(row.raw_usage!)).toMatchObject({ usage_source: 'reported', usage: { service_tier: 'priority' } });
    expect(settled.at(-1)).toBe(20_000_000n);
    expect(tierWarnings()).toHaveLength(1);
  });

  it('Anthropic priority (stream): the same, and the gap logged once per model', async () => {
    const stream = await anthropic.messages.create({ model: 'claude-haiku-4-5', max_tokens: 100, messages, stream: true }, { headers: priority });
    for await (const _ of stream) void _;
    const row = (await h.rows()).at(-1)!;
    expect(row).toMatchObject({ input_tokens: 1000, output_tokens: 200, service_tier: 'priority', cost_usd: '0.002', cost_ticks: 20_000_000n, cost_status: 'estimated' });
    expect(settled.at(-1)).toBe(20_000_000n);
    expect(gate.released).toBe(0);
    expect(tierWarnings()).toHaveLength(1);
    expect(tierWarnings()[0]).toContain('claude-haiku-4-5');
  });

  it('OpenAI: a model without a priority price, served on priority, is estimated at standard rates too', async () => {
    // gpt-3.5-turbo: input 0.5, output 1.5 USD/1M. 1000 x 0.5e-6 + 200 x 1.5e-6 = 0.0005 + 0.0003 = 0.0008 USD.
    await openai.chat.completions.create({ model: 'gpt-3.5-turbo', service_tier: 'priority', messages }, { headers: priority });
    const row = (await h.rows()).at(-1)!;
    expect(row).toMatchObject({ service_tier: 'priority', cost_usd: '0.0008', cost_ticks: 8_000_000n, cost_status: 'estimated' });
    expect(settled.at(-1)).toBe(8_000_000n);
    expect(tierWarnings()).toHaveLength(2);
  });
});
