// Attribution and secrets: x-llmfin-* headers become row dimensions and are not
// forwarded; a proxy key pins its tags (headers cannot override them), is replaced by
// the upstream's own key and never leaves the proxy; no key and no prompt text is ever
// written to the ledger file or the log.
import { readFileSync, existsSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../proxy-harness.js';

const PROXY_KEY = 'llmfin-sk-search-7f3a9c1e55';
const UPSTREAM_KEY = 'sk-upstream-secret-9d8e7f';
const CLIENT_KEY = 'sk-client-own-key-5b4c3d';
const PROMPT = 'ZEBRA-MARKER summarise the quarterly numbers';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    env: { LLMFIN_KEY_SEARCH: PROXY_KEY, UPSTREAM_KEY },
    runId: 'ci-1234',
    config: {
      keys: [{ key_env: 'LLMFIN_KEY_SEARCH', name: 'search-bot', tags: { team: 'search', feature: 'semantic', cost_center: 'cc-42' } }],
    },
    extraUpstreams: {},
  });
});
afterAll(() => h.close());

function client(apiKey: string, upstream?: string): OpenAI {
  return new OpenAI({ baseURL: `${h.proxy.url}/v1`, apiKey, maxRetries: 0, ...(upstream ? { defaultHeaders: { 'x-llmfin-upstream': upstream } } : {}) });
}

describe('attribution headers', () => {
  it('become the row dimensions and tags, and are not forwarded', async () => {
    const before = h.fake.requests.length;
    await client(CLIENT_KEY).chat.completions.create(
      { model: 'gpt-4o-mini', messages: [{ role: 'user', content: PROMPT }] },
      {
        headers: {
          'x-llmfin-team': 'support', 'x-llmfin-feature': 'ticket-summary', 'x-llmfin-customer': 'acme', 'x-llmfin-agent': 'triager',
          'x-llmfin-trace-id': 'trace-77', 'x-llmfin-environment': 'staging', 'x-llmfin-tags': 'experiment=b, tier = gold,llmfin_key=spoofed,bad',
        },
      },
    );
    const sent = h.fake.requests[before]!;
    expect(Object.keys(sent.headers).filter((k) => k.startsWith('x-llmfin-'))).toEqual([]);
    const row = (await h.rows()).at(-1)!;
    expect(row).toMatchObject({ team: 'support', feature: 'ticket-summary', customer: 'acme', agent: 'triager', trace_id: 'trace-77', environment: 'staging' });
    // Header tags cannot set llmfin's own keys; the run id comes from --run-id.
    expect(JSON.parse(row.tags!)).toEqual({ experiment: 'b', run_id: 'ci-1234', tier: 'gold' });
    // The client's own key is recorded as a fingerprint only.
    expect(row.api_key).toMatch(/^key-sha256:[0-9a-f]{12}$/);
  });

  it('UTF-8 header values (as curl and most clients send them) are stored as the text they are, not as Latin-1 mojibake', async () => {
    // Exact bytes on the wire, as curl sends them: a raw HTTP/1.1 request.
    const body = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: PROMPT }] });
    const head = [
      'POST /v1/chat/completions HTTP/1.1', `host: ${new URL(h.proxy.url).host}`, 'content-type: application/json', `authorization: Bearer ${CLIENT_KEY}`,
      `content-length: ${Buffer.byteLength(body)}`, 'connection: close',
    ].join('\r\n');
    const request = Buffer.concat([
      Buffer.from(`${head}\r\n`),
      Buffer.from('x-llmfin-team: équipe\r\nx-llmfin-customer: Müller GmbH\r\nx-llmfin-tags: projet=café,city=Zürich\r\n', 'utf8'),
      // A value that is not UTF-8 (one Latin-1 byte, 0xE9) is kept as the Latin-1 text it is.
      Buffer.from('x-llmfin-feature: caf\xe9\r\n\r\n', 'latin1'),
      Buffer.from(body),
    ]);
    const port = Number(new URL(h.proxy.url).port);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => socket.write(request));
      let text = '';
      socket.on('data', (c: Buffer) => (text += c.toString('latin1')));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answer.slice(0, 15)).toBe('HTTP/1.1 200 OK');
    const row = (await h.rows()).at(-1)!;
    expect(row).toMatchObject({ team: 'équipe', customer: 'Müller GmbH', feature: 'café' });
    expect(JSON.parse(row.tags!)).toEqual({ city: 'Zürich', projet: 'café', run_id: 'ci-1234' });
  });

  it('a tags header longer than 256 characters keeps every tag; only a value over 256 characters is left out', async () => {
    const tags = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`dimension_${i}`, `value-number-${i}`]));
    const header = `${Object.entries(tags).map(([k, v]) => `${k}=${v}`).join(', ')},too_long=${'x'.repeat(257)},longest=${'y'.repeat(256)}`;
    expect(header.length).toBeGreaterThan(256);
    await client(CLIENT_KEY).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: PROMPT }] }, { headers: { 'x-llmfin-team': 'many-tags', 'x-llmfin-tags': header } });
    const row = (await h.rows()).at(-1)!;
    expect(row.team).toBe('many-tags');
    expect(JSON.parse(row.tags!)).toEqual({ ...tags, longest: 'y'.repeat(256), run_id: 'ci-1234' });
  });

  it('a value it cannot store is logged, naming the header and why, once a minute per header (the row goes without it)', async () => {
    const from = h.logs.length;
    const send = (headers: Record<string, string>) => client(CLIENT_KEY).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: PROMPT }] }, { headers });
    await send({ 'x-llmfin-feature': 'f'.repeat(257), 'x-llmfin-team': 'kept' });
    await send({ 'x-llmfin-feature': 'g'.repeat(300) });
    const row = (await h.rows()).at(-2)!;
    expect([row.team, row.feature]).toEqual(['kept', null]);
    const warned = h.logs.slice(from).filter((l) => l.includes('x-llmfin-feature ignored'));
    expect(warned).toHaveLength(1);
    expect(warned[0]).toMatch(/x-llmfin-feature ignored on req_[0-9a-f]+: longer than 256 characters; the row is stored without it/);
    expect(h.logs.slice(from).join('\n')).not.toContain('f'.repeat(257));
  });
});

describe('proxy keys', () => {
  it("pin the key's tags over headers and use the upstream's own key", async () => {
    await h.proxy.close();
    // A proxy whose openai upstream has its own key (the harness's fake, with api_key_env).
    const { startProxy } = await import('../../../src/proxy/start-proxy.js');
    const { bundledPricer } = await import('../proxy-harness.js');
    const logs: string[] = [];
    const proxy = await startProxy({
      ledger: h.ledger,
      pricer: await bundledPricer(),
      port: 0,
      env: { LLMFIN_KEY_SEARCH: PROXY_KEY, UPSTREAM_KEY },
      runId: 'ci-1234',
      logWrite: (t) => logs.push(t),
      config: {
        upstreams: { openai: { base_url: h.fake.url, dialect: 'openai', api_key_env: 'UPSTREAM_KEY' }, bare: { base_url: h.fake.url, dialect: 'openai' } },
        keys: [{ key_env: 'LLMFIN_KEY_SEARCH', name: 'search-bot', tags: { team: 'search', feature: 'semantic', cost_center: 'cc-42' } }],
      },
    });
    const lastRow = async () => {
      await proxy.flush();
      return (await h.ledger.db.selectFrom('usage_entries').selectAll().orderBy('id', 'desc').limit(1).execute())[0]!;
    };
    const clientFor = (apiKey: string, upstream?: string) =>
      new OpenAI({ baseURL: `${proxy.url}/v1`, apiKey, maxRetries: 0, ...(upstream ? { defaultHeaders: { 'x-llmfin-upstream': upstream } } : {}) });
    const before = h.fake.requests.length;
    const { response } = await clientFor(PROXY_KEY)
      .chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: PROMPT }] }, { headers: { 'x-llmfin-team': 'spoofed', 'x-llmfin-tags': 'cost_center=spoofed,team=spoofed' } })
      .withResponse();
    expect(response.status).toBe(200);
    expect(h.fake.requests[before]!.headers.authorization).toBe(`Bearer ${UPSTREAM_KEY}`);
    const row = await lastRow();
    expect(row).toMatchObject({ team: 'search', feature: 'semantic', api_key: 'search-bot' });
    expect(JSON.parse(row.tags!)).toEqual({ cost_center: 'cc-42', llmfin_key: 'search-bot', run_id: 'ci-1234' });

    // An unknown proxy key is refused, not forwarded.
    const count = h.fake.requests.length;
    const unknown = await clientFor('llmfin-sk-not-configured').chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect((unknown as InstanceType<typeof OpenAI.APIError>).status).toBe(401);
    expect((unknown as InstanceType<typeof OpenAI.APIError>).error).toMatchObject({ code: 'unknown_proxy_key' });
    // A proxy key towards an upstream without its own key: refused, since the proxy key must not be sent.
    const bare = await clientFor(PROXY_KEY, 'bare').chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect((bare as InstanceType<typeof OpenAI.APIError>).status).toBe(401);
    expect((bare as InstanceType<typeof OpenAI.APIError>).error).toMatchObject({ code: 'upstream_key_missing' });
    expect(h.fake.requests.length).toBe(count);

    // Streams too: one more request, then close and look at every byte written.
    const stream = await clientFor(PROXY_KEY).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: PROMPT }], stream: true });
    for await (const _ of stream) void _;
    await proxy.close();
    const files = [h.ledgerPath, `${h.ledgerPath}-wal`].filter((f) => existsSync(f));
    const bytes = Buffer.concat(files.map((f) => readFileSync(f)));
    expect(bytes.includes('search-bot')).toBe(true); // the key's name is there, so the grep is looking at real rows
    for (const secret of [PROXY_KEY, UPSTREAM_KEY, CLIENT_KEY, 'ZEBRA-MARKER']) {
      expect(bytes.includes(secret), secret).toBe(false);
      expect([...h.logs, ...logs].join('').includes(secret), secret).toBe(false);
    }
  });
});

describe('prompt storage', () => {
  it('keeps the text only with store_prompts: true', async () => {
    const { startProxy } = await import('../../../src/proxy/start-proxy.js');
    const { bundledPricer } = await import('../proxy-harness.js');
    const proxy = await startProxy({
      ledger: h.ledger, pricer: await bundledPricer(), port: 0, env: {}, logWrite: () => undefined,
      config: { store_prompts: true, upstreams: { openai: { base_url: h.fake.url, dialect: 'openai' } } },
    });
    const c = new OpenAI({ baseURL: `${proxy.url}/v1`, apiKey: 'sk-x', maxRetries: 0 });
    await c.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Keep me ```code```' }] });
    await proxy.close();
    const row = (await h.ledger.db.selectFrom('usage_entries').selectAll().orderBy('id', 'desc').limit(1).execute())[0]!;
    expect(JSON.parse(row.raw_usage!).prompt).toEqual({ chars: 18, has_code: true, messages: 1, text: 'Keep me ```code```' });
  });
});

describe('headers across the proxy', () => {
  it('drops hop-by-hop, cookies and forwarding headers; keeps provider headers both ways', async () => {
    const { startProxy } = await import('../../../src/proxy/start-proxy.js');
    const { bundledPricer } = await import('../proxy-harness.js');
    const proxy = await startProxy({
      ledger: h.ledger, pricer: await bundledPricer(), port: 0, env: {}, logWrite: () => undefined,
      config: { upstreams: { openai: { base_url: h.fake.url, dialect: 'openai' } } },
    });
    const before = h.fake.requests.length;
    const body = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    const response = await new Promise<{ status: number; headers: Record<string, unknown> }>((resolve, reject) => {
      const req = request(`${proxy.url}/v1/chat/completions`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json', authorization: 'Bearer sk-x', connection: 'keep-alive, x-hop-secret', 'x-hop-secret': '1', 'keep-alive': 'timeout=5',
          cookie: 'session=abc', 'x-forwarded-for': '10.0.0.7', 'openai-organization': 'org-123', 'openai-project': 'proj-9', 'user-agent': 'my-app/1.0',
        },
      }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
      });
      req.on('error', reject);
      req.end(body);
    });
    await proxy.close();
    expect(response.status).toBe(200);
    const sent = h.fake.requests[before]!.headers;
    for (const dropped of ['x-hop-secret', 'keep-alive', 'cookie', 'x-forwarded-for']) expect(sent[dropped], dropped).toBeUndefined();
    expect(sent).toMatchObject({ 'openai-organization': 'org-123', 'openai-project': 'proj-9', 'user-agent': 'my-app/1.0', authorization: 'Bearer sk-x' });
    expect(response.headers['x-request-id']).toBe('fake-req-1');
    expect(response.headers['x-llmfin-cost-usd']).toBe('0.0001512');
  });
});
