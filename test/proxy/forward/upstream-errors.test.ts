// Failures through the proxy: upstream errors passed on faithfully (status, body,
// Retry-After), a dead upstream answered with a 502 in the dialect's shape, a silent one
// with a 504, and a client that goes away mid-stream: the upstream call is aborted and
// the partial usage recorded as estimated.
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../proxy-harness.js';

let h: Harness;
let openai: OpenAI;
let anthropic: Anthropic;
beforeAll(async () => {
  h = await startHarness({
    // Port 1 on loopback refuses connections: a dead upstream.
    extraUpstreams: { dead: { base_url: 'http://127.0.0.1:1', dialect: 'openai' }, deadant: { base_url: 'http://127.0.0.1:1', dialect: 'anthropic' } },
    config: { upstream_timeout_ms: 300 },
  });
  openai = new OpenAI({ baseURL: `${h.proxy.url}/v1`, apiKey: 'sk-client-own-key-0004', maxRetries: 0 });
  anthropic = new Anthropic({ baseURL: h.proxy.url, apiKey: 'sk-ant-client-own-0004', maxRetries: 0 });
});
afterAll(() => h.close());

const messages = [{ role: 'user' as const, content: 'Say hello' }];

async function until(check: () => boolean | Promise<boolean>, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('upstream errors', () => {
  it('a 429 reaches the client with its body and Retry-After; the row costs nothing', async () => {
    const error = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages }, { headers: { 'x-fake-scenario': 'error-429' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    const e = error as InstanceType<typeof OpenAI.RateLimitError>;
    expect(e.status).toBe(429);
    expect(e.headers?.get('retry-after')).toBe('7');
    expect(e.message).toContain('fake 429');
    expect(e.headers?.get('x-llmfin-request-id')).toMatch(/^req_/);
    const row = (await h.rows()).at(-1)!;
    expect(row).toMatchObject({ status_code: 429, input_tokens: 0, output_tokens: 0, cost_usd: '0', cost_ticks: 0n, cost_status: 'priced', description: 'upstream_error: HTTP 429' });
  });

  it('400 and 500 from Anthropic are passed on as they came', async () => {
    for (const status of [400, 500]) {
      const error = await anthropic.messages.create({ model: 'claude-haiku-4-5', max_tokens: 10, messages }, { headers: { 'x-fake-scenario': `error-${status}` } }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Anthropic.APIError);
      expect((error as InstanceType<typeof Anthropic.APIError>).status).toBe(status);
      expect((error as InstanceType<typeof Anthropic.APIError>).error).toEqual({ type: 'error', error: { type: status === 400 ? 'invalid_request_error' : 'api_error', message: `fake ${status}` } });
      expect((await h.rows()).at(-1)).toMatchObject({ status_code: status, cost_usd: '0' });
    }
  });

  it('a dead upstream is a 502 in the OpenAI shape', async () => {
    const error = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages }, { headers: { 'x-llmfin-upstream': 'dead' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    const e = error as InstanceType<typeof OpenAI.APIError>;
    expect(e.status).toBe(502);
    expect(e.error).toMatchObject({ code: 'upstream_unreachable', type: 'server_error' });
    expect(e.message).toContain('upstream "dead" (http://127.0.0.1:1) is unreachable');
    expect((await h.rows()).at(-1)).toMatchObject({ status_code: 502, cost_usd: '0', description: expect.stringContaining('upstream_unreachable') as unknown });
  });

  it('a dead upstream is a 502 in the Anthropic shape', async () => {
    const error = await anthropic.messages.create({ model: 'claude-haiku-4-5', max_tokens: 10, messages }, { headers: { 'x-llmfin-upstream': 'deadant' } }).catch((e: unknown) => e);
    const e = error as InstanceType<typeof Anthropic.APIError>;
    expect(e.status).toBe(502);
    expect(e.error).toMatchObject({ type: 'error', error: { type: 'api_error' } });
    expect(JSON.stringify(e.error)).toContain('upstream_unreachable');
  });

  it('an upstream that does not answer in time is a 504', async () => {
    const error = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages }, { headers: { 'x-fake-scenario': 'hang' } }).catch((e: unknown) => e);
    const e = error as InstanceType<typeof OpenAI.APIError>;
    expect(e.status).toBe(504);
    expect(e.error).toMatchObject({ code: 'upstream_timeout' });
    const row = (await h.rows()).at(-1)!;
    expect(row).toMatchObject({ status_code: 504, description: expect.stringContaining('upstream_timeout') as unknown });
    // The upstream took the request and may bill it: its prompt is estimated, not $0.
    // "Say hello" = 9 chars -> 3 tokens; gpt-4o-mini input $0.15/1M: 3 × 0.15e-6 = $0.00000045.
    expect(row.cost_status).toBe('estimated');
    expect(row.description).toContain('usage_unknown');
    expect(row.input_tokens).toBe(3);
    expect(row.output_tokens).toBe(0);
    expect(row.cost_usd).toBe('0.00000045');
  });
});

describe('client disconnects', () => {
  it('OpenAI stream: the upstream is aborted and the row is estimated from what was seen', async () => {
    const aborted = h.fake.aborted;
    const controller = new AbortController();
    const res = await fetch(`${h.proxy.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk-x', 'x-fake-scenario': 'slow-stream' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages, stream: true }),
      signal: controller.signal,
    });
    const reader = res.body!.getReader();
    let seen = '';
    while (seen.split('data: ').length < 6) seen += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    await until(() => h.fake.aborted > aborted);
    await until(async () => (await h.rows()).at(-1)?.description?.includes('client_disconnected') === true);
    const row = (await h.rows()).at(-1)!;
    // The fake streams 400 words slowly; the client left after a few, long before the end.
    expect(row.cost_status).toBe('estimated');
    expect(row.description).toContain('usage_unknown');
    // Prompt "Say hello" = 9 chars -> 3 tokens, priced as an estimate.
    expect(row.input_tokens).toBe(3);
    expect(row.output_tokens).toBeGreaterThan(0);
    expect(row.output_tokens).toBeLessThan(400);
    expect(Number(row.cost_ticks)).toBeGreaterThan(0);
  });

  it('Anthropic stream: input is exact from message_start, output estimated', async () => {
    const aborted = h.fake.aborted;
    const controller = new AbortController();
    const stream = await anthropic.messages.create(
      { model: 'claude-haiku-4-5', max_tokens: 1000, messages, stream: true },
      { headers: { 'x-fake-scenario': 'slow-stream' }, signal: controller.signal },
    );
    let deltas = 0;
    try {
      for await (const event of stream) {
        if (event.type === 'content_block_delta' && ++deltas === 5) controller.abort();
      }
    } catch {
      // The abort ends the iteration with an error.
    }
    await until(() => h.fake.aborted > aborted);
    await until(async () => (await h.rows()).at(-1)?.description?.includes('client_disconnected') === true);
    const row = (await h.rows()).at(-1)!;
    // message_start carried input 1200 + cache read 1024 (the fake's default usage).
    expect(row).toMatchObject({ input_tokens: 2224, uncached_input_tokens: 1200, cache_read_tokens: 1024, cost_status: 'estimated' });
    expect(row.output_tokens).toBeGreaterThanOrEqual(1);
    expect(row.output_tokens).toBeLessThan(400);
  });
});
