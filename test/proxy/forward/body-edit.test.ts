// A request body the proxy has to change (a model prefix removed, routing's or a budget's
// model, stream_options.include_usage asked for) reaches the upstream with every other
// byte as the client sent it: integers above 2^53 (a seed, a metadata value), numbers
// written as 1.0 or 1E+2, \u escapes, key order, spacing and duplicate keys are kept. The
// bodies are sent as raw text, the way a Python client writes integers JSON.parse would
// round; the upstream's bytes are compared as text.
import { describe, expect, it, afterEach } from 'vitest';
import { BudgetGuard } from '../../../src/budgets/budget-guard.js';
import { ConfigSchema } from '../../../src/config/config-schema.js';
import type { RoutingConfig } from '../../../src/config/routing-config-schema.js';
import { editBody } from '../../../src/proxy/forward/body-edit.js';
import { startHarness, type Harness, type HarnessOptions } from '../proxy-harness.js';

const BIG = '12345678901234567890';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function harness(options: HarnessOptions = {}): Promise<Harness> {
  h = await startHarness(options);
  return h;
}

/** POSTs `text` as it is; resolves with the response status and headers. */
async function post(h: Harness, path: string, text: string, headers: Record<string, string> = {}): Promise<Response> {
  const res = await fetch(`${h.proxy.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer sk-client', ...headers }, body: text });
  await res.text();
  return res;
}

const enforce: RoutingConfig = {
  mode: 'enforce',
  default_tier: 'small',
  tiers: [
    { name: 'small', models: { openai: ['gpt-4o-mini'], anthropic: ['claude-haiku-4-5'] } },
    { name: 'large', models: { openai: ['gpt-4o'], anthropic: ['claude-sonnet-4-5'] } },
  ],
};

describe('editBody', () => {
  const edit = (text: string, e: Parameters<typeof editBody>[1]) => editBody(Buffer.from(text), e).toString('utf8');

  it('replaces every top-level model and nothing nested', () => {
    expect(edit('{"metadata":{"model":"x"},"model":"a","n":1}', { model: 'b' })).toBe('{"metadata":{"model":"x"},"model":"b","n":1}');
    expect(edit('{ "model" : "a" , "model":"c"}', { model: 'b' })).toBe('{ "model" : "b" , "model":"b"}');
    expect(edit('{"mod\\u0065l":"a"}', { model: 'b"q' })).toBe('{"mod\\u0065l":"b\\"q"}');
    // A string that ends in an escaped backslash ends at the quote after it.
    expect(edit('{"s":"x\\\\","model":"a","t":"\\\\\\"model\\":"}', { model: 'b' })).toBe('{"s":"x\\\\","model":"b","t":"\\\\\\"model\\":"}');
    expect(edit('{"tools":[{"model":"x","s":"}\\"model\\":"}],"model":"a"}', { model: 'b' })).toBe('{"tools":[{"model":"x","s":"}\\"model\\":"}],"model":"b"}');
  });

  it('asks for include_usage inside stream_options, or sets it', () => {
    expect(edit('{"stream":true,"stream_options":{"include_usage":false,"x":1}}', { includeUsage: true })).toBe('{"stream":true,"stream_options":{"include_usage":true,"x":1}}');
    expect(edit('{"stream_options":{ "x" : 1 }}', { includeUsage: true })).toBe('{"stream_options":{"include_usage":true, "x" : 1 }}');
    expect(edit('{"stream_options": { } }', { includeUsage: true })).toBe('{"stream_options": {"include_usage":true } }');
    expect(edit('{"stream_options":null,"a":[1,{"b":2}]}', { includeUsage: true })).toBe('{"stream_options":{"include_usage":true},"a":[1,{"b":2}]}');
    expect(edit('{"model":"a"}', { includeUsage: true, model: 'b' })).toBe('{"stream_options":{"include_usage":true},"model":"b"}');
    expect(edit(' \n{}', { includeUsage: true })).toBe(' \n{"stream_options":{"include_usage":true}}');
  });

  it('keeps bytes that are not valid UTF-8 as they were', () => {
    const raw = Buffer.concat([Buffer.from('{"user":"'), Buffer.from([0xff, 0xfe]), Buffer.from('","model":"a"}')]);
    const out = editBody(raw, { model: 'b' });
    expect(out.subarray(0, 11)).toEqual(raw.subarray(0, 11));
    expect(out.subarray(11).toString('latin1')).toBe('","model":"b"}');
  });
});

describe('a rewritten body keeps the bytes the proxy did not mean to change', () => {
  const chat = `{
  "model": "openai/gpt-4o-mini",
  "seed": ${BIG},
  "temperature": 1.0,
  "max_tokens": 1E+2,
  "logit_bias": {"${BIG}": -100, "50256": 5},
  "metadata": {"order_id": ${BIG}, "note": "caf\\u00e9 \\ud83d\\ude00"},
  "messages": [{"role": "user", "content": "say \\"model\\": hi"}]
}`;

  it('a model prefix removed: only the model changes', async () => {
    const h = await harness();
    const res = await post(h, '/v1/chat/completions', chat);
    expect(res.status).toBe(200);
    expect(h.fake.requests.at(-1)!.raw).toBe(chat.replace('"openai/gpt-4o-mini"', '"gpt-4o-mini"'));
  });

  it("routing's model, on a stream whose stream_options did not ask for usage", async () => {
    const h = await harness({ routing: enforce });
    const text = `{"model":"gpt-4o","stream":true,"stream_options":{"include_usage":false,"chunk_id":${BIG}},"seed":${BIG},"messages":[{"role":"user","content":"hi"}]}`;
    const res = await post(h, '/v1/chat/completions', text);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-llmfin-routed-from')).toBe('gpt-4o');
    expect(h.fake.requests.at(-1)!.raw).toBe(text.replace('"gpt-4o"', '"gpt-4o-mini"').replace('"include_usage":false', '"include_usage":true'));
    // The usage chunk the proxy asked for is still metered.
    expect((await h.rows()).at(-1)).toMatchObject({ model: 'gpt-4o-mini', model_requested: 'gpt-4o', cost_status: 'priced' });
  });

  it('a stream without stream_options: asked for after the opening brace, the rest kept', async () => {
    const h = await harness({ routing: enforce });
    const text = `{"model":"gpt-4o","stream":true,"seed":${BIG},"messages":[{"role":"user","content":"hi"}]}`;
    await post(h, '/v1/chat/completions', text);
    expect(h.fake.requests.at(-1)!.raw).toBe(`{"stream_options":{"include_usage":true},"model":"gpt-4o-mini","stream":true,"seed":${BIG},"messages":[{"role":"user","content":"hi"}]}`);
  });

  it("routing's model on an Anthropic message", async () => {
    const h = await harness({ routing: enforce });
    const text = `{"model":"claude-sonnet-4-5","max_tokens":256,"metadata":{"user_id":"u1"},"top_k":${BIG},"messages":[{"role":"user","content":"hi"}]}`;
    const res = await post(h, '/v1/messages', text, { 'anthropic-version': '2023-06-01', 'x-api-key': 'sk-ant-client' });
    expect(res.status).toBe(200);
    expect(h.fake.requests.at(-1)!.raw).toBe(text.replace('"claude-sonnet-4-5"', '"claude-haiku-4-5"'));
  });

  it("a budget's downgrade on a Responses request", async () => {
    // A limit no request fits: every request is downgraded to downgrade_to.
    const guard = new BudgetGuard(ConfigSchema.parse({ budgets: [{ name: 'all', scope: {}, limit_usd: 0.0000001, action: 'downgrade', downgrade_to: 'gpt-4o-mini' }] }).budgets);
    const h = await harness({ gate: guard });
    const text = `{"model":"gpt-4o","input":"hi","metadata":{"n":"1"},"seed_like":[${BIG},-${BIG},1.50]}`;
    const res = await post(h, '/v1/responses', text);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-llmfin-routed-from')).toBe('gpt-4o');
    expect(h.fake.requests.at(-1)!.raw).toBe(text.replace('"gpt-4o"', '"gpt-4o-mini"'));
  });
});
