// The Responses API's retrieval and management endpoints and its token counting, driven
// with the official openai client: `responses.retrieve` (JSON and a replayed stream),
// `inputItems.list`, `delete`, `cancel` and `inputTokens.count` are forwarded as sent
// (method, path, query, body, the client's own key), with llmfin's attribution headers
// stripped, and are free: no ledger row — a retrieved response carries the usage it was
// billed for when it was created, which must not be counted twice — and no budget
// reservation (the gate here refuses everything it is asked). Paths under /v1/responses/
// that are not these get the proxy's 404, and a method a route does not take a 405.
import { request } from 'node:http';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GateRequest, RequestGate } from '../../../src/proxy/request-gate.js';
import { startHarness, type Harness } from '../proxy-harness.js';
import { startRawUpstream, type RawUpstream } from '../raw-upstream.js';

interface Seen {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

const ID = 'resp_68af4030592c81938ec0a5fbab4a3e9f';
const usage = { input_tokens: 1500, input_tokens_details: { cached_tokens: 0 }, output_tokens: 300, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 1800 };
const response = (status: string) => ({
  id: ID, object: 'response', created_at: 1756315696, status, model: 'gpt-4.1-2025-04-14', background: status !== 'completed', error: null, incomplete_details: null,
  output: [{ id: 'msg_1', type: 'message', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: 'Hello.', annotations: [] }] }],
  parallel_tool_calls: true, tool_choice: 'auto', tools: [], usage,
});
const ev = (type: string, data: object) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
const REPLAY =
  ev('response.created', { sequence_number: 0, response: { ...response('in_progress'), output: [], usage: null } }) +
  ev('response.output_text.delta', { sequence_number: 1, item_id: 'msg_1', output_index: 0, content_index: 0, delta: 'Hello.' }) +
  ev('response.completed', { sequence_number: 2, response: response('completed') });

let upstream: RawUpstream;
let h: Harness;
let client: OpenAI;
const seen: Seen[] = [];
const admitted: GateRequest[] = [];
const refuseAll: RequestGate = {
  admit: (r) => {
    admitted.push(r);
    return { kind: 'reject', status: 429, budget: 'nothing-left', message: 'budget "nothing-left" reached' };
  },
};

beforeAll(async () => {
  upstream = await startRawUpstream((req, res, body) => {
    const url = req.url ?? '';
    seen.push({ method: req.method ?? '', url, headers: req.headers, body: body.toString('utf8') });
    const path = url.split('?')[0]!;
    const json = (value: unknown) => res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'up-1' }).end(JSON.stringify(value));
    if (path === '/v1/responses/input_tokens') return json({ object: 'response.input_tokens', input_tokens: 11 });
    if (path === `/v1/responses/${ID}/input_items`) return json({ object: 'list', data: [{ id: 'msg_0', type: 'message', role: 'user', status: 'completed', content: [{ type: 'input_text', text: 'hi' }] }], first_id: 'msg_0', last_id: 'msg_0', has_more: false });
    if (path === `/v1/responses/${ID}/cancel`) return json(response('cancelled'));
    if (path === `/v1/responses/${ID}` && req.method === 'DELETE') return json({ id: ID, object: 'response', deleted: true });
    if (path === `/v1/responses/${ID}` && url.includes('stream=true')) return res.writeHead(200, { 'content-type': 'text/event-stream' }).end(REPLAY);
    if (path === `/v1/responses/${ID}`) return json(response('completed'));
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not found"}}');
  });
  h = await startHarness({ gate: refuseAll, config: { upstreams: { openai: { base_url: upstream.url, dialect: 'openai' } } } });
  client = new OpenAI({ baseURL: `${h.proxy.url}/v1`, apiKey: 'sk-client-own-key-0003', maxRetries: 0, defaultHeaders: { 'x-llmfin-team': 'search', 'x-llmfin-feature': 'answers' } });
});
afterAll(async () => {
  await h.close();
  await upstream.close();
});

/** What the upstream saw last, after checking it was sent as a client would and without llmfin's headers. */
function last(): Seen {
  const s = seen.at(-1)!;
  expect(s.headers.authorization).toBe('Bearer sk-client-own-key-0003');
  expect(Object.keys(s.headers).filter((k) => k.startsWith('x-llmfin-'))).toEqual([]);
  return s;
}

describe('Responses API retrieval, management and token counting', () => {
  it('retrieve: forwarded with its query; the usage in it is not recorded again', async () => {
    const { data, response: res } = await client.responses.retrieve(ID, { include: ['message.output_text.logprobs'] }).withResponse();
    expect(data).toMatchObject({ id: ID, status: 'completed', usage: { input_tokens: 1500 } });
    expect(data.output_text).toBe('Hello.');
    expect(last()).toMatchObject({ method: 'GET', url: `/v1/responses/${ID}?include%5B%5D=message.output_text.logprobs`, body: '' });
    expect(res.headers.get('x-request-id')).toBe('up-1');
    expect(res.headers.get('x-llmfin-request-id')).toMatch(/^req_/);
    expect(res.headers.get('x-llmfin-cost-usd')).toBeNull();
  });

  it('retrieve as a stream: the replayed events byte for byte, no cost comment, nothing recorded', async () => {
    const stream = await client.responses.retrieve(ID, { stream: true });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    expect(types).toEqual(['response.created', 'response.output_text.delta', 'response.completed']);
    expect(last()).toMatchObject({ method: 'GET', url: `/v1/responses/${ID}?stream=true` });
    const raw = await fetch(`${h.proxy.url}/v1/responses/${ID}?stream=true`, { headers: { authorization: 'Bearer sk-client-own-key-0003' } });
    expect(await raw.text()).toBe(REPLAY);
  });

  it('input items, delete and cancel: forwarded with their method and path', async () => {
    const page = await client.responses.inputItems.list(ID, { limit: 2, order: 'asc' });
    expect(page.data.map((i) => i.id)).toEqual(['msg_0']);
    expect(last()).toMatchObject({ method: 'GET', url: `/v1/responses/${ID}/input_items?limit=2&order=asc` });

    await client.responses.delete(ID);
    expect(last()).toMatchObject({ method: 'DELETE', url: `/v1/responses/${ID}` });

    const cancelled = await client.responses.cancel(ID);
    expect(cancelled.status).toBe('cancelled');
    expect(last()).toMatchObject({ method: 'POST', url: `/v1/responses/${ID}/cancel` });
  });

  it("an id with base64's + and = (a LiteLLM gateway's) is forwarded as the SDK wrote it", async () => {
    const id = 'resp_bGl0ZWxsbTpjdXN0b21fbGxt+b3ZpZGVy==';
    const res = await client.responses.retrieve(id).withResponse().catch((e: unknown) => e);
    // The upstream here knows only ID: its 404, passed on, says the request reached it.
    expect((res as InstanceType<typeof OpenAI.APIError>).status).toBe(404);
    expect(last()).toMatchObject({ method: 'GET', url: `/v1/responses/${id}` });
    // A client that escapes them: the same.
    const escaped = await fetch(`${h.proxy.url}/v1/responses/resp_bGl0ZWxsbTpjdXN0b21fbGxt%2Bb3ZpZGVy%3D%3D/input_items`, { headers: { authorization: 'Bearer sk-client-own-key-0003' } });
    expect(escaped.status).toBe(404);
    expect(last()).toMatchObject({ method: 'GET', url: '/v1/responses/resp_bGl0ZWxsbTpjdXN0b21fbGxt%2Bb3ZpZGVy%3D%3D/input_items' });
  });

  it('input token counting: the body as sent, the count as answered', async () => {
    const count = await client.responses.inputTokens.count({ model: 'gpt-4.1', input: 'Say hello', instructions: 'Be terse.' });
    expect(count).toEqual({ object: 'response.input_tokens', input_tokens: 11 });
    const s = last();
    expect(s).toMatchObject({ method: 'POST', url: '/v1/responses/input_tokens' });
    expect(JSON.parse(s.body)).toEqual({ model: 'gpt-4.1', input: 'Say hello', instructions: 'Be terse.' });
  });

  it('none of them is recorded or asks the gate; a billed request still does', async () => {
    expect(await h.rows()).toEqual([]);
    expect(admitted).toEqual([]);
    const refused = await client.responses.create({ model: 'gpt-4.1', input: 'hi' }).catch((e: unknown) => e);
    expect((refused as InstanceType<typeof OpenAI.APIError>).status).toBe(429);
    expect(admitted.map((r) => r.endpoint)).toEqual(['/v1/responses']);
    const metrics = await (await fetch(`${h.proxy.url}/metrics`)).text();
    expect(metrics).toContain('llmfin_proxy_requests_total{upstream="openai",endpoint="/v1/responses/{id}",method="GET",status="200"} 3');
    expect(metrics).toContain('llmfin_proxy_requests_total{upstream="openai",endpoint="/v1/responses/{id}",method="DELETE",status="200"} 1');
    expect(metrics).toContain('llmfin_proxy_requests_total{upstream="openai",endpoint="/v1/responses/{id}/input_items",method="GET",status="200"} 1');
    expect(metrics).toContain('llmfin_proxy_requests_total{upstream="openai",endpoint="/v1/responses/{id}/cancel",method="POST",status="200"} 1');
    expect(metrics).toContain('llmfin_proxy_requests_total{upstream="openai",endpoint="/v1/responses/input_tokens",method="POST",status="200"} 1');
    // One log line each, free.
    expect(h.logs.join('')).toMatch(/ 200 DELETE \/v1\/responses\/\{id\} openai .* free /);
  });

  it('a method a route does not take is a 405 naming the ones it does', async () => {
    const res = await fetch(`${h.proxy.url}/v1/responses/${ID}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, DELETE');
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe(`llmfin proxy: /v1/responses/${ID} takes GET or DELETE`);
  });

  it('other paths under /v1/responses/ are a 404, never forwarded', async () => {
    const before = seen.length;
    // compact runs a model: billed, and not metered by the proxy.
    for (const path of ['/v1/responses/compact', `/v1/responses/${ID}/other`, '/v1/responses/', `/v1/responses/${ID}/cancel/x`]) {
      const res = await fetch(`${h.proxy.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"model":"gpt-4.1","input":"hi"}' });
      expect(res.status, path).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unknown_endpoint');
    }
    // An id that could make the upstream's path another endpoint (sent as written: fetch would tidy the dots away).
    for (const path of ['/v1/responses/{id}', '/v1/responses/{id}/cancel', '/v1/responses/..%2Fchat%2Fcompletions/cancel', '/v1/responses/x/../../chat/completions/cancel', '/v1/responses/%2E%2E/cancel', '/v1/responses/../cancel', '/v1/responses/a%5Cb/cancel', '/v1/responses/a%252Fb/cancel', '/v1/responses/%FF/cancel']) {
      const status = await new Promise<number | undefined>((resolve, reject) => {
        const url = new URL(h.proxy.url);
        request({ host: url.hostname, port: url.port, path, method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
          res.resume();
          resolve(res.statusCode);
        })
          .on('error', reject)
          .end('{}');
      });
      expect(status, path).toBe(404);
    }
    expect(seen.length).toBe(before);
  });
});
