// The budget hook, with a fake gate: admit sees the request's dimensions and maximum cost
// before anything is forwarded; a refusal is a 429 in the dialect's shape naming the
// budget; a downgrade rewrites the model upstream; the ticket is settled with the real
// cost or released when the attempt cost nothing.
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GateDecision, GateRequest, RequestGate } from '../../src/proxy/request-gate.js';
import { startHarness, type Harness } from './proxy-harness.js';

const admitted: GateRequest[] = [];
const settled: bigint[] = [];
let released = 0;
const gate: RequestGate = {
  admit(request): GateDecision {
    admitted.push(request);
    if (request.model === 'gpt-4o' && request.dims.team === 'blocked') return { kind: 'reject', status: 429, budget: 'team-blocked-monthly', message: 'budget "team-blocked-monthly" reached', retryAfterSeconds: 30 };
    if (request.model === 'claude-opus-4-1') return { kind: 'reject', status: 429, budget: 'org-daily', message: 'budget "org-daily" reached' };
    const ticket = { settle: (t: bigint) => void settled.push(t), release: () => void released++ };
    if (request.model === 'gpt-4o') return { kind: 'allow', ticket, model: 'gpt-4o-mini', notice: 'budget "team-monthly" reached: gpt-4o downgraded to gpt-4o-mini' };
    return { kind: 'allow', ticket };
  },
};

let h: Harness;
let openai: OpenAI;
beforeAll(async () => {
  h = await startHarness({ gate });
  openai = new OpenAI({ baseURL: `${h.proxy.url}/v1`, apiKey: 'sk-x', maxRetries: 0 });
});
afterAll(() => h.close());

describe('request gate', () => {
  it('admit gets the dimensions and the maximum cost; the ticket is settled with the real cost', async () => {
    await openai.chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 100, messages: [{ role: 'user', content: 'Say hello' }] }, { headers: { 'x-llmfin-team': 'search', 'x-llmfin-tags': 'exp=a' } });
    const request = admitted.at(-1)!;
    expect(request).toMatchObject({ dialect: 'openai', endpoint: '/v1/chat/completions', provider: 'openai', model: 'gpt-4o-mini', upstream: 'openai' });
    expect(request.dims).toMatchObject({ team: 'search', exp: 'a', provider: 'openai', model: 'gpt-4o-mini' });
    // "Say hello" = 9 chars -> 3 tokens at 0.15e-6, plus max_tokens 100 at 0.6e-6: 0.00000045 + 0.00006 = 0.00006045 USD.
    expect(request.maxCostTicks).toBe(604_500n);
    expect(settled.at(-1)).toBe(1_512_000n);
  });

  it('a chat request for n completions reserves the output cap for each of them', async () => {
    await openai.chat.completions.create({ model: 'gpt-4o-mini', n: 4, max_tokens: 100, messages: [{ role: 'user', content: 'Say hello' }] });
    // "Say hello" -> 3 tokens at 0.15e-6, plus 4 x 100 output tokens at 0.6e-6: 0.00000045 + 0.00024 = 0.00024045 USD.
    expect(admitted.at(-1)!.maxCostTicks).toBe(2_404_500n);
    // Without a cap, the default cap (4096) for each: 3 x 0.15e-6 + 2 x 4096 x 0.6e-6 = 0.00000045 + 0.0049152 = 0.00491565 USD.
    await openai.chat.completions.create({ model: 'gpt-4o-mini', n: 2, messages: [{ role: 'user', content: 'Say hello' }] });
    expect(admitted.at(-1)!.maxCostTicks).toBe(49_156_500n);
  });

  it('a request for the priority tier reserves at priority rates, or standard ones where the model has none', async () => {
    const messages = [{ role: 'user' as const, content: 'Say hello' }];
    // gpt-4o-mini priority: input 0.25, output 1 USD/1M. 3 x 0.25e-6 + 100 x 1e-6 = 0.00000075 + 0.0001 = 0.00010075 USD.
    await openai.chat.completions.create({ model: 'gpt-4o-mini', service_tier: 'priority', max_tokens: 100, messages });
    expect(admitted.at(-1)!.maxCostTicks).toBe(1_007_500n);
    // o4-mini priority (Responses API): input 2, output 8 USD/1M. 3 x 2e-6 + 100 x 8e-6 = 0.000006 + 0.0008 = 0.000806 USD.
    await openai.responses.create({ model: 'o4-mini', service_tier: 'priority', max_output_tokens: 100, input: 'Say hello' });
    expect(admitted.at(-1)!.maxCostTicks).toBe(8_060_000n);
    // gpt-3.5-turbo has no priority price: its standard one, input 0.5, output 1.5 USD/1M.
    // 3 x 0.5e-6 + 100 x 1.5e-6 = 0.0000015 + 0.00015 = 0.0001515 USD.
    await openai.chat.completions.create({ model: 'gpt-3.5-turbo', service_tier: 'priority', max_tokens: 100, messages });
    expect(admitted.at(-1)!.maxCostTicks).toBe(1_515_000n);
    // Anthropic fast mode (speed: fast): claude-opus-4-6 input 5, output 25 USD/1M, 6x.
    // 3 x 30e-6 + 100 x 150e-6 = 0.00009 + 0.015 = 0.01509 USD.
    const anthropic = new Anthropic({ baseURL: h.proxy.url, apiKey: 'sk-ant-x', maxRetries: 0 });
    await anthropic.messages.create({ model: 'claude-opus-4-6', max_tokens: 100, messages, speed: 'fast' });
    expect(admitted.at(-1)!.maxCostTicks).toBe(150_900_000n);
    // US-only inference (inference_geo: us) is 1.1x: 3 x 5.5e-6 + 100 x 27.5e-6 = 0.0000165 + 0.00275 = 0.0027665 USD.
    await anthropic.messages.create({ model: 'claude-opus-4-6', max_tokens: 100, messages, inference_geo: 'us' } as Anthropic.MessageCreateParamsNonStreaming);
    expect(admitted.at(-1)!.maxCostTicks).toBe(27_665_000n);
    // flex and auto cost no more than standard: gpt-4o-mini 3 x 0.15e-6 + 100 x 0.6e-6 = 0.00006045 USD.
    await openai.chat.completions.create({ model: 'gpt-4o-mini', service_tier: 'flex', max_tokens: 100, messages });
    expect(admitted.at(-1)!.maxCostTicks).toBe(604_500n);
  });

  it('a priority request whose usage never comes is estimated at priority rates, or standard ones where the model has none', async () => {
    const messages = [{ role: 'user' as const, content: 'Say hello' }];
    const noUsage = { headers: { 'x-fake-scenario': 'no-usage' } };
    // "Say hello" -> 3 tokens; the reply, 29 characters -> 8 tokens.
    // gpt-4o-mini priority: 3 x 0.25e-6 + 8 x 1e-6 = 0.00000875 USD.
    await openai.chat.completions.create({ model: 'gpt-4o-mini', service_tier: 'priority', messages }, noUsage);
    expect((await h.rows()).at(-1)).toMatchObject({ input_tokens: 3, output_tokens: 8, service_tier: 'priority', cost_usd: '0.00000875', cost_ticks: 87_500n, cost_status: 'estimated' });
    // gpt-3.5-turbo has no priority price: 3 x 0.5e-6 + 8 x 1.5e-6 = 0.0000135 USD, at standard rates.
    await openai.chat.completions.create({ model: 'gpt-3.5-turbo', service_tier: 'priority', messages }, noUsage);
    expect((await h.rows()).at(-1)).toMatchObject({ input_tokens: 3, output_tokens: 8, service_tier: null, cost_usd: '0.0000135', cost_status: 'estimated' });
    // US-only inference asked for, usage never came: claude-opus-4-6 at 1.1x, 3 x 5.5e-6 + 8 x 27.5e-6 = 0.0000165 + 0.00022 = 0.0002365 USD.
    const anthropic = new Anthropic({ baseURL: h.proxy.url, apiKey: 'sk-ant-x', maxRetries: 0 });
    await anthropic.messages.create({ model: 'claude-opus-4-6', max_tokens: 100, messages, inference_geo: 'us' } as Anthropic.MessageCreateParamsNonStreaming, noUsage);
    expect((await h.rows()).at(-1)).toMatchObject({ input_tokens: 3, output_tokens: 8, region: 'us', cost_usd: '0.0002365', cost_status: 'estimated' });
    // Usage that says the tier it was served on wins: the fake says default, priced at standard rates
    // (1200 input of which 1024 cached, 80 output): 176 x 0.15e-6 + 1024 x 0.075e-6 + 80 x 0.6e-6 = 0.0001512 USD.
    await openai.chat.completions.create({ model: 'gpt-4o-mini', service_tier: 'priority', messages });
    expect((await h.rows()).at(-1)).toMatchObject({ service_tier: 'standard', cost_usd: '0.0001512', cost_status: 'priced' });
  });

  it('a response that continues another (previous_response_id, or a conversation) reserves for the conversation it carries', async () => {
    // The fake answers every response as resp_fake: 50,000 input and 2,000 output tokens of context.
    const usage = { 'x-fake-usage': JSON.stringify({ input: 50_000, cached: 0, output: 2000 }) };
    const first = await openai.responses.create({ model: 'gpt-4.1', input: 'Say hello' }, { headers: usage });
    expect(first.id).toBe('resp_fake');
    // gpt-4.1: input 2, output 8 USD/1M. "Say hello" is 9 characters, plus 52,000 tokens of context:
    // ceil((9 + 4 x 52,000) / 4) = 52,003 tokens x 2e-6 = 0.104006, plus 100 x 8e-6 = 0.0008: 0.104806 USD.
    // (Its own answer is resp_fake again, with the same usage: the context it leaves is the same.)
    await openai.responses.create({ model: 'gpt-4.1', previous_response_id: 'resp_fake', max_output_tokens: 100, input: 'Say hello' }, { headers: usage });
    expect(admitted.at(-1)!.maxCostTicks).toBe(1_048_060_000n);
    // Its usage never comes: the estimate counts the same context. The reply, 29 characters, is 8 tokens:
    // 0.104006 + 8 x 8e-6 = 0.10407 USD.
    await openai.responses.create({ model: 'gpt-4.1', previous_response_id: 'resp_fake', input: 'Say hello' }, { headers: { 'x-fake-scenario': 'no-usage' } });
    expect((await h.rows()).at(-1)).toMatchObject({ input_tokens: 52_003, output_tokens: 8, cost_usd: '0.10407', cost_status: 'estimated' });
    // A response this proxy never saw adds nothing: 3 x 2e-6 + 100 x 8e-6 = 0.000806 USD.
    await openai.responses.create({ model: 'gpt-4.1', previous_response_id: 'resp_elsewhere', max_output_tokens: 100, input: 'Say hello' });
    expect(admitted.at(-1)!.maxCostTicks).toBe(8_060_000n);
    // A streamed response leaves its context from response.completed: 10,000 + 1,000 tokens.
    const stream = await openai.responses.create({ model: 'gpt-4.1', input: 'Say hello', stream: true }, { headers: { 'x-fake-usage': JSON.stringify({ input: 10_000, cached: 0, output: 1000 }) } });
    for await (const _ of stream) void _;
    // ceil((9 + 4 x 11,000) / 4) = 11,003 tokens x 2e-6 = 0.022006, plus 0.0008: 0.022806 USD.
    await openai.responses.create({ model: 'gpt-4.1', previous_response_id: 'resp_fake', max_output_tokens: 100, input: 'Say hello' });
    expect(admitted.at(-1)!.maxCostTicks).toBe(228_060_000n);
    // A conversation (Conversations API) holds what its last response had: 20,000 + 500 tokens.
    await openai.responses.create({ model: 'gpt-4.1', conversation: 'conv_1', input: 'Say hello' }, { headers: { 'x-fake-usage': JSON.stringify({ input: 20_000, cached: 0, output: 500 }) } });
    // ceil((9 + 4 x 20,500) / 4) = 20,503 tokens x 2e-6 = 0.041006, plus 0.0008: 0.041806 USD.
    await openai.responses.create({ model: 'gpt-4.1', conversation: { id: 'conv_1' }, max_output_tokens: 100, input: 'Say hello' });
    expect(admitted.at(-1)!.maxCostTicks).toBe(418_060_000n);
  });

  it('a refusal is a 429 in the OpenAI shape naming the budget, with Retry-After; nothing is forwarded or recorded', async () => {
    const requests = h.fake.requests.length;
    const rows = (await h.rows()).length;
    const error = await openai.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'x-llmfin-team': 'blocked' } }).catch((e: unknown) => e);
    const e = error as InstanceType<typeof OpenAI.APIError>;
    expect(e).toBeInstanceOf(OpenAI.RateLimitError);
    expect(e.error).toMatchObject({ code: 'budget_exceeded', message: 'budget "team-blocked-monthly" reached' });
    expect(e.headers?.get('retry-after')).toBe('30');
    expect(e.headers?.get('x-llmfin-budget')).toBe('team-blocked-monthly');
    expect(h.fake.requests.length).toBe(requests);
    expect((await h.rows()).length).toBe(rows);
  });

  it('a refusal is a 429 in the Anthropic shape', async () => {
    const anthropic = new Anthropic({ baseURL: h.proxy.url, apiKey: 'sk-ant-x', maxRetries: 0 });
    const error = await anthropic.messages.create({ model: 'claude-opus-4-1', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    const e = error as InstanceType<typeof Anthropic.APIError>;
    expect(e.status).toBe(429);
    expect(e.error).toEqual({ type: 'error', error: { type: 'rate_limit_error', message: 'budget "org-daily" reached [llmfin: budget_exceeded]' } });
  });

  it('a downgrade sends the replacement model and records both', async () => {
    const before = h.fake.requests.length;
    const { response } = await openai.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    expect(h.fake.requests[before]!.body).toMatchObject({ model: 'gpt-4o-mini' });
    expect(response.headers.get('x-llmfin-routed-from')).toBe('gpt-4o');
    expect(response.headers.get('x-llmfin-model')).toBe('gpt-4o-mini');
    expect(response.headers.get('x-llmfin-budget-notice')).toContain('downgraded');
    expect((await h.rows()).at(-1)).toMatchObject({ model: 'gpt-4o-mini', model_requested: 'gpt-4o', cost_usd: '0.0001512' });
  });

  it('an upstream error releases the reservation', async () => {
    const before = released;
    await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'x-fake-scenario': 'error-500' } }).catch(() => undefined);
    expect(released).toBe(before + 1);
  });
});
