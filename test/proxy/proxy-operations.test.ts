// Operations endpoints and routing: /llmfin/health, Prometheus /metrics, unknown paths,
// an upstream chosen by header or by a `name/model` prefix, and a config reload.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './proxy-harness.js';

let h: Harness;
let openai: OpenAI;
beforeAll(async () => {
  h = await startHarness({ extraUpstreams: {} });
  openai = new OpenAI({ baseURL: `${h.proxy.url}/v1`, apiKey: 'sk-x', maxRetries: 0 });
});
afterAll(() => h.close());

describe('operations', () => {
  it('health says where requests go, without keys', async () => {
    const health = (await (await fetch(`${h.proxy.url}/llmfin/health`)).json()) as Record<string, unknown>;
    expect(health).toMatchObject({ ok: true, ledger: h.ledgerPath, queue_depth: 0, in_flight: 0 });
    expect(health.upstreams).toEqual([
      { name: 'openai', dialect: 'openai', base_url: h.fake.url, provider: 'openai', key: "client's own", implied: false },
      { name: 'anthropic', dialect: 'anthropic', base_url: h.fake.url, provider: 'anthropic', key: "client's own", implied: false },
    ]);
  });

  it('answers a HEAD probe of health and metrics with the headers alone', async () => {
    for (const path of ['/llmfin/health', '/metrics']) {
      const res = await fetch(`${h.proxy.url}${path}`, { method: 'HEAD' });
      expect(res.status, path).toBe(200);
      expect(Number(res.headers.get('content-length')), path).toBeGreaterThan(0);
      expect(await res.text(), path).toBe('');
    }
  });

  it('metrics count requests, tokens, cost, latency and errors', async () => {
    await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'x-fake-scenario': 'error-429' } }).catch(() => undefined);
    const text = await (await fetch(`${h.proxy.url}/metrics`)).text();
    expect(text).toContain('llmfin_proxy_requests_total{upstream="openai",endpoint="/v1/chat/completions",method="POST",status="200"} 1');
    expect(text).toContain('llmfin_proxy_requests_total{upstream="openai",endpoint="/v1/chat/completions",method="POST",status="429"} 1');
    expect(text).toContain('llmfin_proxy_tokens_total{upstream="openai",model="gpt-4o-mini",class="input"} 1200');
    expect(text).toContain('llmfin_proxy_tokens_total{upstream="openai",model="gpt-4o-mini",class="cache_read"} 1024');
    expect(text).toContain('llmfin_proxy_cost_usd_total{upstream="openai",model="gpt-4o-mini"} 0.0001512');
    expect(text).toContain('llmfin_proxy_errors_total{upstream="openai",kind="upstream_error"} 1');
    expect(text).toMatch(/llmfin_proxy_request_duration_seconds_count\{upstream="openai"\} 2/);
    expect(text).toContain('# TYPE llmfin_proxy_request_duration_seconds histogram');
    // The process's memory: resident set (tens of MB at least) and the V8 spaces.
    const rss = Number(/^process_resident_memory_bytes (\d+)$/m.exec(text)?.[1]);
    expect(rss).toBeGreaterThan(20 * 1024 * 1024);
    expect(text).toMatch(/^nodejs_heap_space_size_total_bytes\{space="new"\} \d+$/m);
    expect(text).toMatch(/^nodejs_heap_space_size_total_bytes\{space="old"\} \d+$/m);
  });

  it('metrics count requests the proxy refuses before choosing an upstream (bad JSON, an unknown proxy key) under upstream "-"', async () => {
    const post = (path: string, body: string, headers: Record<string, string> = {}) => fetch(`${h.proxy.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    expect((await post('/v1/chat/completions', '{not json')).status).toBe(400);
    expect((await post('/v1/messages', '[1]', { 'anthropic-version': '2023-06-01' })).status).toBe(400);
    expect((await post('/v1/chat/completions', '{"model":"gpt-4o-mini","messages":[]}', { authorization: 'Bearer llmfin-sk-nobody' })).status).toBe(401);
    const text = await (await fetch(`${h.proxy.url}/metrics`)).text();
    expect(text).toContain('# HELP llmfin_proxy_requests_total Requests answered, by upstream ("-" when refused before one was chosen), endpoint, HTTP method and HTTP status.');
    expect(text).toContain('llmfin_proxy_requests_total{upstream="-",endpoint="/v1/chat/completions",method="POST",status="400"} 1');
    expect(text).toContain('llmfin_proxy_requests_total{upstream="-",endpoint="/v1/messages",method="POST",status="400"} 1');
    expect(text).toContain('llmfin_proxy_requests_total{upstream="-",endpoint="/v1/chat/completions",method="POST",status="401"} 1');
  });

  it('an unknown path is a 404 that lists what is forwarded', async () => {
    const res = await fetch(`${h.proxy.url}/v1/completions`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('/v1/chat/completions');
  });

  it('an unknown path or method gets its log line and is counted, as other refusals are (a base URL without /v1 shows up)', async () => {
    const res = await fetch(`${h.proxy.url}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(404);
    const id = res.headers.get('x-llmfin-request-id');
    expect(id).toMatch(/^req_/);
    await res.text();
    expect((await fetch(`${h.proxy.url}/v1/messages`, { method: 'DELETE', headers: { 'anthropic-version': '2023-06-01' } })).status).toBe(405);
    const text = await (await fetch(`${h.proxy.url}/metrics`)).text();
    // The path is the client's: the label is bounded, the log line names it. /v1/completions above was the first.
    expect(text).toContain('llmfin_proxy_requests_total{upstream="-",endpoint="(unknown)",method="POST",status="404"} 2');
    expect(text).toContain('llmfin_proxy_requests_total{upstream="-",endpoint="/v1/messages",method="DELETE",status="405"} 1');
    const lines = h.logs.join('').trim().split('\n');
    expect(lines.some((l) => l.includes(` ${id!} 404 POST /chat/completions - - in=0 out=0 rejected 0ms unknown_endpoint`))).toBe(true);
    expect(lines.some((l) => / 405 DELETE \/v1\/messages - - in=0 out=0 rejected 0ms method_not_allowed$/.test(l))).toBe(true);
  });

  it('one request line per request in the log, without prompt text', () => {
    const lines = h.logs.join('').trim().split('\n');
    expect(lines.some((l) => / 200 POST \/v1\/chat\/completions openai gpt-4o-mini in=1200 out=80 \$0\.0001512 /.test(l))).toBe(true);
  });
});

describe('routing and reload', () => {
  it('a name/model prefix and the x-llmfin-upstream header pick an upstream; reload adds one', async () => {
    const warnings = h.proxy.reload({
      upstreams: {
        openai: { base_url: h.fake.url, dialect: 'openai' },
        anthropic: { base_url: h.fake.url, dialect: 'anthropic' },
        groq: { base_url: `${h.fake.url}/openai/v1`, dialect: 'openai', api_key_env: 'GROQ_API_KEY' },
      },
    });
    expect(warnings).toEqual(['upstream groq: GROQ_API_KEY is not set, so clients\' own keys are passed through']);
    const before = h.fake.requests.length;
    await openai.chat.completions.create({ model: 'groq/llama-3.3-70b-versatile', messages: [{ role: 'user', content: 'hi' }] });
    expect(h.fake.requests[before]).toMatchObject({ path: '/openai/v1/chat/completions', body: { model: 'llama-3.3-70b-versatile' } });
    const row = (await h.rows()).at(-1)!;
    expect(row).toMatchObject({ provider: 'groq', model: 'llama-3.3-70b-versatile' });
    await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'x-llmfin-upstream': 'groq' } });
    expect(h.fake.requests.at(-1)!.path).toBe('/openai/v1/chat/completions');
    const bad = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'x-llmfin-upstream': 'nope' } }).catch((e: unknown) => e);
    expect((bad as InstanceType<typeof OpenAI.APIError>).status).toBe(400);
  });
});
