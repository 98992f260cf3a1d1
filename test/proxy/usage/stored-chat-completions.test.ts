// Stored chat completions (`store: true`), driven with the official openai client:
// `chat.completions.list`, `.retrieve`, `.update`, `.delete` and `.messages.list` are
// forwarded as sent (method, path, query, body, the client's own key), without llmfin's
// attribution headers, and are free: no ledger row — a stored completion carries the usage
// it was billed for when it was created — and no budget reservation. The create on the
// same path (POST /v1/chat/completions) is metered as before. An id that an upstream could
// read as another path is refused before anything is forwarded.
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

const ID = 'chatcmpl-CKv3BrW9qvVpPTYGvFQF1Gq8fQe3x';
const completion = (metadata: Record<string, string>) => ({
  id: ID, object: 'chat.completion', created: 1759300000, model: 'gpt-4o-mini-2024-07-18', metadata,
  choices: [{ index: 0, message: { role: 'assistant', content: 'Hello.', refusal: null, annotations: [] }, finish_reason: 'stop', logprobs: null }],
  usage: { prompt_tokens: 1000, completion_tokens: 200, total_tokens: 1200, prompt_tokens_details: { cached_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0 } },
  service_tier: 'default',
});

let upstream: RawUpstream;
let h: Harness;
let client: OpenAI;
const seen: Seen[] = [];
const admitted: GateRequest[] = [];
const recordingGate: RequestGate = {
  admit: (r) => {
    admitted.push(r);
    return { kind: 'allow', ticket: { settle() {}, release() {} } };
  },
};

beforeAll(async () => {
  upstream = await startRawUpstream((req, res, body) => {
    const url = req.url ?? '';
    seen.push({ method: req.method ?? '', url, headers: req.headers, body: body.toString('utf8') });
    const path = url.split('?')[0]!;
    const json = (value: unknown) => res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'up-7' }).end(JSON.stringify(value));
    if (path === '/v1/chat/completions' && req.method === 'POST') return json(completion({}));
    if (path === '/v1/chat/completions' && req.method === 'GET') return json({ object: 'list', data: [completion({ run: 'a' })], first_id: ID, last_id: ID, has_more: false });
    if (path === `/v1/chat/completions/${ID}/messages`) return json({ object: 'list', data: [{ id: `${ID}-0`, role: 'user', content: 'Say hello', name: null, content_parts: null }], first_id: `${ID}-0`, last_id: `${ID}-0`, has_more: false });
    if (path === `/v1/chat/completions/${ID}` && req.method === 'GET') return json(completion({ run: 'a' }));
    if (path === `/v1/chat/completions/${ID}` && req.method === 'POST') return json(completion((JSON.parse(body.toString('utf8')) as { metadata: Record<string, string> }).metadata));
    if (path === `/v1/chat/completions/${ID}` && req.method === 'DELETE') return json({ id: ID, object: 'chat.completion.deleted', deleted: true });
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not found"}}');
  });
  h = await startHarness({ gate: recordingGate, config: { upstreams: { openai: { base_url: upstream.url, dialect: 'openai' } } } });
  client = new OpenAI({ baseURL: `${h.proxy.url}/v1`, apiKey: 'sk-client-own-key-0007', maxRetries: 0, defaultHeaders: { 'x-llmfin-team': 'search' } });
});
afterAll(async () => {
  await h.close();
  await upstream.close();
});

/** What the upstream saw last, after checking it was sent as a client would and without llmfin's headers. */
function last(): Seen {
  const s = seen.at(-1)!;
  expect(s.headers.authorization).toBe('Bearer sk-client-own-key-0007');
  expect(Object.keys(s.headers).filter((k) => k.startsWith('x-llmfin-'))).toEqual([]);
  return s;
}

describe('stored chat completions', () => {
  it('list: GET /v1/chat/completions is forwarded with its query, and records nothing', async () => {
    const page = await client.chat.completions.list({ limit: 5, order: 'desc', metadata: { run: 'a' } });
    expect(page.data.map((c) => c.id)).toEqual([ID]);
    expect(last()).toMatchObject({ method: 'GET', url: '/v1/chat/completions?limit=5&order=desc&metadata%5Brun%5D=a', body: '' });
    expect(await h.rows()).toEqual([]);
    expect(admitted).toEqual([]);
  });

  it('retrieve, update, messages and delete: forwarded with their method, path and body', async () => {
    const { data, response } = await client.chat.completions.retrieve(ID).withResponse();
    expect(data).toMatchObject({ id: ID, usage: { prompt_tokens: 1000 } });
    expect(last()).toMatchObject({ method: 'GET', url: `/v1/chat/completions/${ID}`, body: '' });
    expect(response.headers.get('x-request-id')).toBe('up-7');
    expect(response.headers.get('x-llmfin-request-id')).toMatch(/^req_/);
    expect(response.headers.get('x-llmfin-cost-usd')).toBeNull();

    const updated = await client.chat.completions.update(ID, { metadata: { reviewed: 'yes' } });
    expect((updated as unknown as { metadata: unknown }).metadata).toEqual({ reviewed: 'yes' });
    const s = last();
    expect(s).toMatchObject({ method: 'POST', url: `/v1/chat/completions/${ID}` });
    expect(JSON.parse(s.body)).toEqual({ metadata: { reviewed: 'yes' } });

    const messages = await client.chat.completions.messages.list(ID, { limit: 1 });
    expect(messages.data.map((m) => m.content)).toEqual(['Say hello']);
    expect(last()).toMatchObject({ method: 'GET', url: `/v1/chat/completions/${ID}/messages?limit=1` });

    const deleted = await client.chat.completions.delete(ID);
    expect(deleted).toEqual({ id: ID, object: 'chat.completion.deleted', deleted: true });
    expect(last()).toMatchObject({ method: 'DELETE', url: `/v1/chat/completions/${ID}` });
  });

  it('none of them is recorded or asks the gate; each is counted in /metrics and logged as free', async () => {
    expect(await h.rows()).toEqual([]);
    expect(admitted).toEqual([]);
    const metrics = await (await fetch(`${h.proxy.url}/metrics`)).text();
    // By method: the free list is not the billed create's series (POST /v1/chat/completions).
    expect(metrics).toContain('llmfin_proxy_requests_total{upstream="openai",endpoint="/v1/chat/completions",method="GET",status="200"} 1');
    expect(metrics).not.toContain('endpoint="/v1/chat/completions",method="POST"');
    expect(metrics).toContain('llmfin_proxy_requests_total{upstream="openai",endpoint="/v1/chat/completions/{id}",method="GET",status="200"} 1');
    expect(metrics).toContain('llmfin_proxy_requests_total{upstream="openai",endpoint="/v1/chat/completions/{id}",method="POST",status="200"} 1');
    expect(metrics).toContain('llmfin_proxy_requests_total{upstream="openai",endpoint="/v1/chat/completions/{id}",method="DELETE",status="200"} 1');
    expect(metrics).toContain('llmfin_proxy_requests_total{upstream="openai",endpoint="/v1/chat/completions/{id}/messages",method="GET",status="200"} 1');
    const log = h.logs.join('');
    expect(log).toMatch(/ 200 GET \/v1\/chat\/completions openai .* free /);
    expect(log).toMatch(/ 200 DELETE \/v1\/chat\/completions\/\{id\} openai .* free /);
  });

  it('a create with store: true is metered exactly as before: one row, priced, held against budgets', async () => {
    const created = await client.chat.completions.create({ model: 'gpt-4o-mini', store: true, messages: [{ role: 'user', content: 'Say hello' }] });
    expect(created.id).toBe(ID);
    expect(last()).toMatchObject({ method: 'POST', url: '/v1/chat/completions' });
    expect(admitted.map((r) => [r.endpoint, r.model])).toEqual([['/v1/chat/completions', 'gpt-4o-mini']]);
    const rows = await h.rows();
    expect(rows).toHaveLength(1);
    // gpt-4o-mini: 1000 input × $0.15/1M + 200 output × $0.60/1M = 0.00015 + 0.00012 = $0.00027.
    expect(rows[0]).toMatchObject({ model: 'gpt-4o-mini-2024-07-18', input_tokens: 1000, output_tokens: 200, cost_usd: '0.00027', cost_status: 'priced', team: 'search', status_code: 200 });
  });

  it('a method a path does not take is a 405 naming the ones it does', async () => {
    const res = await fetch(`${h.proxy.url}/v1/chat/completions/${ID}/messages`, { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET');
    const id = await fetch(`${h.proxy.url}/v1/chat/completions/${ID}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(id.status).toBe(405);
    expect(id.headers.get('allow')).toBe('GET, POST, DELETE');
    expect(((await id.json()) as { error: { message: string } }).error.message).toBe(`llmfin proxy: /v1/chat/completions/${ID} takes GET, POST or DELETE`);
    const list = await fetch(`${h.proxy.url}/v1/chat/completions`, { method: 'DELETE' });
    expect(list.status).toBe(405);
    expect(list.headers.get('allow')).toBe('POST, GET');
  });

  it('an id an upstream could read as another path, or other paths under it, are a 404, never forwarded', async () => {
    const before = seen.length;
    const rowsBefore = (await h.rows()).length;
    const paths = [
      '/v1/chat/completions/..%2Fcompletions',
      '/v1/chat/completions/..%2F..%2Fresponses',
      '/v1/chat/completions/x/../../completions',
      '/v1/chat/completions/..',
      '/v1/chat/completions/%2E%2E',
      '/v1/chat/completions/a%5Cb',
      '/v1/chat/completions/a%252Fb',
      '/v1/chat/completions/%FF',
      '/v1/chat/completions/',
      `/v1/chat/completions/${ID}/other`,
      `/v1/chat/completions/${ID}/messages/x`,
    ];
    for (const path of paths) {
      for (const method of ['GET', 'POST']) {
        // Sent as written: fetch would tidy the dots away.
        const status = await new Promise<number | undefined>((resolve, reject) => {
          const url = new URL(h.proxy.url);
          request({ host: url.hostname, port: url.port, path, method, headers: { 'content-type': 'application/json' } }, (res) => {
            res.resume();
            resolve(res.statusCode);
          })
            .on('error', reject)
            .end(method === 'POST' ? '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}' : undefined);
        });
        expect(status, `${method} ${path}`).toBe(404);
      }
    }
    // Through the SDK too: it escapes the slash, and the proxy refuses what that decodes to.
    const error = await client.chat.completions.retrieve('../completions').catch((e: unknown) => e);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(404);
    expect(seen.length).toBe(before);
    expect(await h.rows()).toHaveLength(rowsBefore);
  });
});
