// Retries made by the proxy (proxy.retries), driven by the official SDKs with their own
// retries off: a flaky upstream (503, 529, 429 with Retry-After) is called again and the
// client sees only the success; every attempt is its own ledger row and only the one the
// model ran on costs money; an upstream asking for a longer wait than max_wait_ms gets
// its error passed on unchanged; a dead upstream is tried max + 1 times; a client that
// leaves during the wait stops the retries and releases its budget reservation.
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BudgetGuard } from '../../../src/budgets/budget-guard.js';
import { ConfigSchema } from '../../../src/config/config-schema.js';
import { startHarness, type Harness } from '../proxy-harness.js';

// gpt-4o-mini, the fake's default usage: 176 x 0.15e-6 + 1024 x 0.075e-6 + 80 x 0.6e-6
//   = 0.0000264 + 0.0000768 + 0.000048 = 0.0001512
const MINI = '0.0001512';
// claude-haiku-4-5: 1200 x 1e-6 + 1024 x 0.1e-6 + 80 x 5e-6 = 0.0012 + 0.0001024 + 0.0004 = 0.0017024
const HAIKU = '0.0017024';

let h: Harness;
let guard: BudgetGuard;
let openai: OpenAI;
let anthropic: Anthropic;
let n = 0;

/** A fresh flaky case: the fake fails its first `times` calls with `status` (and Retry-After when given). */
function flaky(times: number, status = 503, retryAfter?: string): { key: string; headers: Record<string, string> } {
  const key = `retry-${++n}`;
  const headers: Record<string, string> = { 'x-fake-fail-key': key, 'x-fake-fail-times': String(times), 'x-fake-fail-status': String(status) };
  if (retryAfter !== undefined) headers['x-fake-fail-retry-after'] = retryAfter;
  return { key, headers };
}

/** How many times the upstream was called for a flaky case. */
const callsFor = (key: string) => h.fake.requests.filter((r) => r.headers['x-fake-fail-key'] === key).length;
const messages = [{ role: 'user' as const, content: 'Say hello' }];

beforeAll(async () => {
  guard = new BudgetGuard(ConfigSchema.parse({ budgets: [{ name: 'retry-team', scope: { team: 'retry' }, limit_usd: 100, action: 'block' }] }).budgets);
  h = await startHarness({
    gate: guard,
    extraUpstreams: { dead: { base_url: 'http://127.0.0.1:1', dialect: 'openai' } },
    config: { retries: { max: 2, on_status: [429, 500, 502, 503, 504, 529], on_unreachable: true, on_timeout: false, backoff_ms: 20, max_wait_ms: 1000 } },
  });
  openai = new OpenAI({ baseURL: `${h.proxy.url}/v1`, apiKey: 'sk-client-own-key-0005', maxRetries: 0 });
  anthropic = new Anthropic({ baseURL: h.proxy.url, apiKey: 'sk-ant-client-own-0005', maxRetries: 0 });
});
afterAll(() => h.close());

/** The rows of one request (its attempts), oldest first. */
async function attempts(requestId: string) {
  return (await h.rows()).filter((r) => r.dedupe_key.startsWith(`${requestId}#`));
}

describe('proxy retries', () => {
  it('two 503s then a success: the client gets the answer; three rows, only the last one costs', async () => {
    const { key: k, headers } = flaky(2, 503);
    const { data, response } = await openai.chat.completions
      .create({ model: 'gpt-4o-mini', messages }, { headers })
      .withResponse();
    expect(data.choices[0]!.message.content).toBe('Hello from the fake provider.');
    expect(response.headers.get('x-llmfin-attempts')).toBe('3');
    expect(response.headers.get('x-llmfin-cost-usd')).toBe(MINI);
    const id = response.headers.get('x-llmfin-request-id')!;
    const rows = await attempts(id);
    expect(rows.map((r) => [r.dedupe_key, r.status_code, r.cost_usd, r.input_tokens])).toEqual([
      [`${id}#1`, 503, '0', 0],
      [`${id}#2`, 503, '0', 0],
      [`${id}#3`, 200, MINI, 1200],
    ]);
    expect(rows[0]!.description).toBe('upstream_error: HTTP 503');
    expect(callsFor(k)).toBe(3);
    expect(h.logs.join('')).toContain(`${id}: attempt 1 to upstream "openai" failed (http_503); retrying in`);
  });

  it('Anthropic 529 (overloaded) once, streamed: retried before the stream starts', async () => {
    const { headers } = flaky(1, 529);
    const stream = await anthropic.messages.create(
      { model: 'claude-haiku-4-5', max_tokens: 100, messages, stream: true },
      { headers },
    );
    let text = '';
    for await (const event of stream) if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') text += event.delta.text;
    expect(text).toBe('Hello from the fake provider.');
    const last = (await h.rows()).at(-1)!;
    const rows = await attempts(last.dedupe_key.split('#')[0]!);
    expect(rows.map((r) => [r.status_code, r.cost_usd])).toEqual([
      [529, '0'],
      [200, HAIKU],
    ]);
  });

  it("a 429's Retry-After within max_wait_ms is waited for", async () => {
    const { headers } = flaky(1, 429, '0.3');
    const started = performance.now();
    const { response } = await openai.chat.completions
      .create({ model: 'gpt-4o-mini', messages }, { headers })
      .withResponse();
    expect(performance.now() - started).toBeGreaterThanOrEqual(300);
    expect(response.headers.get('x-llmfin-attempts')).toBe('2');
  });

  it('a Retry-After longer than max_wait_ms: the 429 goes to the client as it came, no retry', async () => {
    const { key: k, headers } = flaky(1, 429, '30');
    const error = await openai.chat.completions
      .create({ model: 'gpt-4o-mini', messages }, { headers })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    const e = error as InstanceType<typeof OpenAI.RateLimitError>;
    expect(e.headers?.get('retry-after')).toBe('30');
    expect(e.headers?.get('x-llmfin-attempts')).toBeNull();
    expect(callsFor(k)).toBe(1);
  });

  it('an overloaded error sent with HTTP 200 is retried as the 529 it stands for; the failed attempt costs nothing', async () => {
    const { key: k, headers } = flaky(1, 529);
    const { data, response } = await anthropic.messages
      .create({ model: 'claude-haiku-4-5', max_tokens: 100, messages }, { headers: { ...headers, 'x-fake-fail-with-200': '1' } })
      .withResponse();
    expect(data.content).toEqual([{ type: 'text', text: 'Hello from the fake provider.' }]);
    expect(response.headers.get('x-llmfin-attempts')).toBe('2');
    const rows = await attempts(response.headers.get('x-llmfin-request-id')!);
    expect(rows.map((r) => [r.status_code, r.cost_usd, r.input_tokens])).toEqual([
      [200, '0', 0],
      // 1,200 uncached + 1,024 cache read: the ledger's input counts every input token.
      [200, HAIKU, 2224],
    ]);
    expect(rows[0]!.description).toBe("upstream_error: HTTP 200 with the provider's error in place of a response (overloaded_error: fake 529 (1))");
    expect(callsFor(k)).toBe(2);
  });

  it('HTTP 200 errors past the retries: the last one goes to the client as it came, every attempt at no cost', async () => {
    const { headers } = flaky(5, 500);
    const response = await fetch(`${h.proxy.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk-client-own-key-0005', ...headers, 'x-fake-fail-with-200': '1' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ error: { message: 'fake 500 (3)', type: 'server_error', param: null, code: 'fake_500' } });
    expect(response.headers.get('x-llmfin-attempts')).toBe('3');
    const rows = await attempts(response.headers.get('x-llmfin-request-id')!);
    expect(rows.map((r) => [r.status_code, r.cost_usd, r.cost_status])).toEqual([
      [200, '0', 'priced'],
      [200, '0', 'priced'],
      [200, '0', 'priced'],
    ]);
  });

  it('a status not in on_status (400) is never retried', async () => {
    const { key: k, headers } = flaky(1, 400);
    const error = await openai.chat.completions
      .create({ model: 'gpt-4o-mini', messages }, { headers })
      .catch((e: unknown) => e);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(400);
    expect(callsFor(k)).toBe(1);
  });

  it('more failures than retries: the last error is passed on after max + 1 attempts', async () => {
    const { headers } = flaky(5, 502);
    const error = await openai.chat.completions
      .create({ model: 'gpt-4o-mini', messages }, { headers })
      .catch((e: unknown) => e);
    const e = error as InstanceType<typeof OpenAI.APIError>;
    expect(e.status).toBe(502);
    expect(e.message).toContain('fake 502 (3)');
    expect(e.headers?.get('x-llmfin-attempts')).toBe('3');
    const rows = await attempts(e.headers!.get('x-llmfin-request-id')!);
    expect(rows.map((r) => [r.status_code, r.cost_usd])).toEqual([
      [502, '0'],
      [502, '0'],
      [502, '0'],
    ]);
  });

  it('an unreachable upstream is tried max + 1 times, then a 502 that says so', async () => {
    const error = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages }, { headers: { 'x-llmfin-upstream': 'dead' } }).catch((e: unknown) => e);
    const e = error as InstanceType<typeof OpenAI.APIError>;
    expect(e.status).toBe(502);
    expect(e.message).toContain('upstream "dead" (http://127.0.0.1:1) is unreachable');
    expect(e.message).toContain('(3 attempts)');
    const rows = await attempts(e.headers!.get('x-llmfin-request-id')!);
    expect(rows.map((r) => r.status_code)).toEqual([502, 502, 502]);
    expect(rows.every((r) => r.description?.startsWith('upstream_unreachable'))).toBe(true);
  });

  it('a client that leaves during the wait: no further call, the reservation released', async () => {
    const { key: k, headers: failing } = flaky(1, 503, '0.8');
    const controller = new AbortController();
    const pending = fetch(`${h.proxy.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk-x', 'x-llmfin-team': 'retry', ...failing },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages }),
      signal: controller.signal,
    }).catch((e: unknown) => e);
    // The first attempt failed and the proxy is waiting 0.8 s with the reservation held.
    const deadline = Date.now() + 3000;
    while (guard.snapshot().find((b) => b.name === 'retry-team')!.reservedTicks === 0n || callsFor(k) === 0) {
      if (Date.now() > deadline) throw new Error('the first attempt never happened');
      await new Promise((r) => setTimeout(r, 10));
    }
    controller.abort();
    await pending;
    await new Promise((r) => setTimeout(r, 1000));
    expect(callsFor(k)).toBe(1);
    const budget = guard.snapshot().find((b) => b.name === 'retry-team')!;
    expect(budget.reservedTicks).toBe(0n);
    expect(budget.spentTicks).toBe(0n);
  });

  it('/metrics counts the retries by upstream and reason', async () => {
    const text = await (await fetch(`${h.proxy.url}/metrics`)).text();
    // 503: two in the first test, one before the client left; 502: two before giving up.
    expect(text).toContain('llmfin_proxy_retries_total{upstream="openai",reason="http_503"} 3');
    expect(text).toContain('llmfin_proxy_retries_total{upstream="openai",reason="http_502"} 2');
    expect(text).toContain('llmfin_proxy_retries_total{upstream="anthropic",reason="http_529"} 1');
    expect(text).toContain('llmfin_proxy_retries_total{upstream="dead",reason="upstream_unreachable"} 2');
  });
});

describe('without proxy.retries', () => {
  it('a 503 goes straight to the client (the SDK decides whether to retry)', async () => {
    const plain = await startHarness();
    try {
      const client = new OpenAI({ baseURL: `${plain.proxy.url}/v1`, apiKey: 'sk-client-own-key-0006', maxRetries: 0 });
      const error = await client.chat.completions
        .create({ model: 'gpt-4o-mini', messages }, { headers: { 'x-fake-fail-key': 'plain', 'x-fake-fail-times': '1', 'x-fake-fail-status': '503' } })
        .catch((e: unknown) => e);
      expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(503);
      expect(plain.fake.requests).toHaveLength(1);
      expect((await plain.rows()).map((r) => r.status_code)).toEqual([503]);
    } finally {
      await plain.close();
    }
  });
});
