// Live agent-loop detection in the proxy: within a trace (x-llmfin-trace-id), the same
// call made for the 4th time is flagged (log line, x-llmfin-loop header, `loop` tag on its
// row), as is the 4th identical upstream error; requests without a trace id are never
// watched; with proxy.loops.action: block the repeat that completes a loop is refused with
// a 429 in the client's dialect, naming the loop.
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { LoopWatch } from '../../../src/proxy/loops/loop-watch.js';
import type { RequestGate } from '../../../src/proxy/request-gate.js';
import { startHarness, type Harness } from '../proxy-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const messages = [{ role: 'user' as const, content: 'run the tool again' }];
const trace = (id: string) => ({ 'x-llmfin-trace-id': id });
const tagsOf = (tags: string | null) => JSON.parse(tags ?? '{}') as Record<string, string>;

async function openaiHarness(loops?: { action: 'flag' | 'block'; repeats: number }) {
  h = await startHarness(loops ? { config: { loops } } : {});
  return { h, client: new OpenAI({ baseURL: `${h.proxy.url}/v1`, apiKey: 'sk-client-0001', maxRetries: 0 }) };
}

describe('loop flags (default: flag at the 4th repeat)', () => {
  it('the 4th identical call in a trace is flagged; the first three and other traces are not', async () => {
    const { h, client } = await openaiHarness();
    const loopHeaders: Array<string | null> = [];
    for (let i = 0; i < 5; i++) {
      const { response } = await client.chat.completions.create({ model: 'gpt-4o-mini', messages }, { headers: trace('t-1') }).withResponse();
      loopHeaders.push(response.headers.get('x-llmfin-loop'));
    }
    expect(loopHeaders).toEqual([null, null, null, 'repeat;repeats=4', 'repeat;repeats=5']);
    // Another trace with the same prompt starts from zero; no trace id, never watched.
    const other = await client.chat.completions.create({ model: 'gpt-4o-mini', messages }, { headers: trace('t-2') }).withResponse();
    expect(other.response.headers.get('x-llmfin-loop')).toBeNull();
    for (let i = 0; i < 5; i++) {
      const { response } = await client.chat.completions.create({ model: 'gpt-4o-mini', messages }).withResponse();
      expect(response.headers.get('x-llmfin-loop')).toBeNull();
    }
    const rows = await h.rows();
    expect(rows).toHaveLength(11);
    expect(rows.map((r) => tagsOf(r.tags).loop ?? '-')).toEqual(['-', '-', '-', 'repeat', 'repeat', '-', '-', '-', '-', '-', '-']);
    // Traffic is unchanged in flag mode: every call reached the provider.
    expect(h.fake.requests).toHaveLength(11);
    expect(h.logs.join('')).toMatch(/trace t-1 is looping \(repeat: the same call 4 times in its last 8 calls\): req_\w+ flagged/);
    // The row's prompt hash is the one the window used (computed once).
    expect(new Set(rows.slice(0, 5).map((r) => r.prompt_hash)).size).toBe(1);
  });

  it('the same upstream error four times in a trace is a same_error loop, even for different prompts', async () => {
    const { h, client } = await openaiHarness();
    const seen: Array<string | null> = [];
    for (let i = 0; i < 4; i++) {
      const error = await client.chat.completions
        .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: `attempt ${i}` }] }, { headers: { ...trace('t-err'), 'x-fake-scenario': 'error-500' } })
        .catch((e: unknown) => e as InstanceType<typeof OpenAI.APIError>);
      expect(error).toBeInstanceOf(OpenAI.APIError);
      seen.push((error as InstanceType<typeof OpenAI.APIError>).headers?.get('x-llmfin-loop') ?? null);
    }
    expect(seen).toEqual([null, null, null, 'same_error;repeats=4']);
    expect(tagsOf((await h.rows()).at(-1)!.tags)).toMatchObject({ loop: 'same_error' });
  });

  it('A-B-A-B… across 8 calls is an oscillation', async () => {
    const { h, client } = await openaiHarness();
    let last: string | null = null;
    for (let i = 0; i < 8; i++) {
      const { response } = await client.chat.completions
        .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: i % 2 === 0 ? 'open the file' : 'close the file' }] }, { headers: trace('t-osc') })
        .withResponse();
      last = response.headers.get('x-llmfin-loop');
    }
    // By the 7th call 'open the file' has been made 4 times (a repeat); the 8th completes the oscillation.
    expect(last).toBe('oscillation;repeats=4');
    expect(tagsOf((await h.rows()).at(-1)!.tags).loop).toBe('oscillation');
  });
});

describe('loops: { action: block }', () => {
  it('openai: the 3rd repeat (repeats: 3) is refused with a 429 naming the loop, and never forwarded', async () => {
    const { h, client } = await openaiHarness({ action: 'block', repeats: 3 });
    for (let i = 0; i < 2; i++) await client.chat.completions.create({ model: 'gpt-4o-mini', messages }, { headers: trace('t-b') });
    const error = await client.chat.completions.create({ model: 'gpt-4o-mini', messages }, { headers: trace('t-b') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    const e = error as InstanceType<typeof OpenAI.RateLimitError>;
    expect(e.status).toBe(429);
    expect(e.code).toBe('agent_loop');
    expect(e.message).toContain('agent loop detected in trace t-b: repeat, 3 repeats');
    expect(e.headers?.get('x-llmfin-loop')).toBe('repeat;repeats=3');
    expect(h.fake.requests).toHaveLength(2);
    // A refused request costs nothing and writes no row; a different call in the trace goes through.
    expect(await h.rows()).toHaveLength(2);
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'something else' }] }, { headers: trace('t-b') });
    expect(h.fake.requests).toHaveLength(3);
    expect(h.logs.join('')).toContain('refused (proxy.loops.action: block)');
    // The refusal has its request line, as a budget's has: `rejected`, with the reason.
    expect(h.logs.join('')).toMatch(/req_\w+ 429 POST \/v1\/chat\/completions openai gpt-4o-mini in=0 out=0 rejected [\d.]+ms agent_loop\n/);
  });

  it('anthropic: the refusal is an Anthropic-shaped rate_limit_error', async () => {
    h = await startHarness({ config: { loops: { action: 'block', repeats: 2 } } });
    const client = new Anthropic({ baseURL: h.proxy.url, apiKey: 'sk-ant-client-0002', maxRetries: 0 });
    const params = { model: 'claude-haiku-4-5', max_tokens: 64, messages };
    await client.messages.create(params, { headers: trace('t-a') });
    const error = await client.messages.create(params, { headers: trace('t-a') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    const e = error as InstanceType<typeof Anthropic.RateLimitError>;
    expect(e.error).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
    expect(e.message).toContain('[llmfin: agent_loop]');
    expect(h.fake.requests).toHaveLength(1);
  });

  it("tells the SDKs not to retry: their retry is the looping call again", async () => {
    h = await startHarness({ config: { loops: { action: 'block', repeats: 2 } } });
    // The SDK's default retries: without x-should-retry: false it would ask twice more.
    const client = new OpenAI({ baseURL: `${h.proxy.url}/v1`, apiKey: 'sk-client-0003' });
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages }, { headers: trace('t-r') });
    const error = (await client.chat.completions.create({ model: 'gpt-4o-mini', messages }, { headers: trace('t-r') }).catch((e: unknown) => e)) as InstanceType<typeof OpenAI.RateLimitError>;
    expect(error.code).toBe('agent_loop');
    expect(error.headers?.get('x-should-retry')).toBe('false');
    expect(h.logs.join('').match(/refused \(proxy\.loops\.action: block\)/g)).toHaveLength(1);
  });
});

// A request a budget refuses never reached the upstream: it is not a call of the trace. A
// client retrying against a blocked budget must not be taken for (or blocked as) a loop.
describe('requests refused by a budget', () => {
  it('are not calls of the trace: retries against a block do not make a loop', async () => {
    let blocked = false;
    const gate: RequestGate = {
      admit: () =>
        blocked
          ? { kind: 'reject', status: 429, budget: 'cap', message: 'budget "cap" reached', retry: false }
          : { kind: 'allow', ticket: { settle() {}, release() {} } },
    };
    h = await startHarness({ gate, config: { loops: { action: 'block', repeats: 3 } } });
    const client = new OpenAI({ baseURL: `${h.proxy.url}/v1`, apiKey: 'sk-client-0004', maxRetries: 0 });
    const ask = () =>
      client.chat.completions.create({ model: 'gpt-4o-mini', messages }, { headers: trace('t-budget') }).withResponse().then(
        ({ response }) => ['ok', response.headers.get('x-llmfin-loop')],
        (e: unknown) => { const err = e as InstanceType<typeof OpenAI.APIError>; return [err.code, err.headers?.get('x-llmfin-loop') ?? null]; },
      );
    expect(await ask()).toEqual(['ok', null]);
    blocked = true;
    const refused = [await ask(), await ask(), await ask(), await ask()];
    expect(refused).toEqual(Array.from({ length: 4 }, () => ['budget_exceeded', null]));
    blocked = false;
    // The trace has made this call once upstream: the second is no loop, the third (repeats: 3) is.
    expect(await ask()).toEqual(['ok', null]);
    expect(await ask()).toEqual(['agent_loop', 'repeat;repeats=3']);
    expect(h.fake.requests).toHaveLength(2);
  });

  it('a refused repeat is neither flagged nor counted: the next call upstream is the 4th', async () => {
    let blocked = false;
    const gate: RequestGate = {
      admit: () => (blocked ? { kind: 'reject', status: 429, budget: 'cap', message: 'budget "cap" reached' } : { kind: 'allow', ticket: { settle() {}, release() {} } }),
    };
    h = await startHarness({ gate });
    const client = new OpenAI({ baseURL: `${h.proxy.url}/v1`, apiKey: 'sk-client-0005', maxRetries: 0 });
    const ask = () =>
      client.chat.completions.create({ model: 'gpt-4o-mini', messages }, { headers: trace('t-flag') }).withResponse().then(
        ({ response }) => ['ok', response.headers.get('x-llmfin-loop')],
        (e: unknown) => { const err = e as InstanceType<typeof OpenAI.APIError>; return [err.code, err.headers?.get('x-llmfin-loop') ?? null]; },
      );
    for (let i = 0; i < 3; i++) expect(await ask()).toEqual(['ok', null]);
    blocked = true;
    expect(await ask()).toEqual(['budget_exceeded', null]);
    expect(h.logs.join('')).not.toContain('is looping');
    blocked = false;
    expect(await ask()).toEqual(['ok', 'repeat;repeats=4']);
    expect(h.logs.join('').match(/is looping \(repeat: the same call 4 times/g)).toHaveLength(1);
  });
});

describe('LoopWatch', () => {
  it('is bounded: least recently used traces go first, old calls are forgotten', () => {
    const w = new LoopWatch(2, 1000);
    for (let i = 0; i < 3; i++) w.observe('a', 'x', 4, i);
    w.observe('b', 'x', 4, 10);
    w.observe('a', 'x', 4, 11); // touches a: b is now the oldest
    w.observe('c', 'x', 4, 12);
    expect(w.traces).toBe(2);
    // a kept its 4 calls: the 5th is a loop; b was dropped and starts over.
    expect(w.observe('a', 'x', 4, 13).finding).toEqual({ kind: 'repeat', repeats: 5 });
    expect(w.observe('b', 'x', 4, 14).finding).toBeUndefined();
    // More than the TTL later, a's calls are forgotten.
    expect(w.observe('a', 'x', 4, 5000).finding).toBeUndefined();
  });
});
