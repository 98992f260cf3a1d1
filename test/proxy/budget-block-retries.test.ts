// A blocked budget stays blocked until its period ends, and the proxy's 429 says so with
// Retry-After. The official SDKs retry a 429 by default and sleep for the whole Retry-After
// (the OpenAI SDK for any length, the Anthropic SDK up to 24.8 days): a daily budget
// blocked at noon would hang the caller for twelve hours, then ask again. The refusal
// carries `x-should-retry: false`, which both SDKs obey, so the caller gets the error at
// once; a throttle's refusal, which clears within a minute, leaves the SDK's retries alone.
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { BudgetGuard } from '../../src/budgets/budget-guard.js';
import { ConfigSchema } from '../../src/config/config-schema.js';
import { startHarness, type Harness } from './proxy-harness.js';

const budgets = (b: Record<string, unknown>) => ConfigSchema.parse({ budgets: [b] }).budgets;
// $2 spent of a $1 daily limit, judged at 12:00 UTC: the day ends in 43,200 s.
const NOON = new Date('2026-12-02T12:00:00Z');
const spent = (name: string) => new Map([[name, 20_000_000_000n]]);

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const refusals = (logs: string[]) => logs.filter((l) => / 429 .* rejected .*budget /.test(l)).length;

describe('a blocked budget through the official SDKs, with their default retries', () => {
  it('the OpenAI client gets the 429 naming the budget at once, asking once', async () => {
    h = await startHarness({ gate: new BudgetGuard(budgets({ name: 'search-daily', period: 'daily', limit_usd: 1, action: 'block' }), { spent: spent('search-daily'), now: () => NOON }) });
    const openai = new OpenAI({ baseURL: `${h.proxy.url}/v1`, apiKey: 'sk-x', timeout: 4000 });
    const started = Date.now();
    const e = (await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }).catch((x: unknown) => x)) as InstanceType<typeof OpenAI.APIError>;
    expect(e).toBeInstanceOf(OpenAI.RateLimitError);
    expect(e.error).toMatchObject({ code: 'budget_exceeded', message: 'budget "search-daily" reached: $2.00 of $1.00 spent (daily, organisation)' });
    expect(e.headers?.get('retry-after')).toBe('43200');
    expect(e.headers?.get('x-should-retry')).toBe('false');
    expect(Date.now() - started).toBeLessThan(3000);
    expect(refusals(h.logs)).toBe(1);
    expect(h.fake.requests).toHaveLength(0);
  });

  it('the Anthropic client too, streaming or not', async () => {
    h = await startHarness({ gate: new BudgetGuard(budgets({ name: 'org-daily', period: 'daily', limit_usd: 1, action: 'block' }), { spent: spent('org-daily'), now: () => NOON }) });
    const anthropic = new Anthropic({ baseURL: h.proxy.url, apiKey: 'sk-ant-x', timeout: 4000 });
    for (const stream of [false, true]) {
      const e = (await anthropic.messages.create({ model: 'claude-haiku-4-5', max_tokens: 10, stream, messages: [{ role: 'user', content: 'hi' }] }).catch((x: unknown) => x)) as InstanceType<typeof Anthropic.APIError>;
      expect(e).toBeInstanceOf(Anthropic.RateLimitError);
      expect(e.error).toEqual({ type: 'error', error: { type: 'rate_limit_error', message: 'budget "org-daily" reached: $2.00 of $1.00 spent (daily, organisation) [llmfin: budget_exceeded]' } });
    }
    expect(refusals(h.logs)).toBe(2);
  });

  it('a throttled request is left to the SDK to retry after the Retry-After it is given', async () => {
    // Past the limit, one request a minute: the first goes, the second is refused for 60 s.
    h = await startHarness({ gate: new BudgetGuard(budgets({ name: 'slow', limit_usd: 1, action: 'throttle', throttle_rpm: 1 }), { spent: spent('slow'), now: () => NOON }) });
    const openai = new OpenAI({ baseURL: `${h.proxy.url}/v1`, apiKey: 'sk-x', maxRetries: 0 });
    await openai.chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] });
    const e = (await openai.chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }).catch((x: unknown) => x)) as InstanceType<typeof OpenAI.APIError>;
    expect(e).toBeInstanceOf(OpenAI.RateLimitError);
    expect(e.headers?.get('retry-after')).toBe('60');
    expect(e.headers?.get('x-should-retry')).toBeNull();
  });
});
