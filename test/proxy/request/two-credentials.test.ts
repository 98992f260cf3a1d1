// A client that sends two credentials: Anthropic's Python SDK sends x-api-key (api_key,
// ANTHROPIC_API_KEY) and Authorization: Bearer (auth_token, ANTHROPIC_AUTH_TOKEN) when both
// are set. A proxy key in either one is the caller's identity: it pins the key's tags, and
// it never goes upstream beside the other credential.
import { afterEach, expect, it } from 'vitest';
import { clientSecret } from '../../../src/proxy/request/proxy-keys.js';
import { startHarness, type Harness } from '../proxy-harness.js';

const PROXY_KEY = 'llmfin-sk-claude-0a1b2c';
const keys = [{ key_env: 'KEY', name: 'claude-bot', tags: { team: 'agents' } }];

/** A Messages request with both credentials, as that SDK sends it. */
async function askWithBoth(hh: Harness, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const res = await fetch(`${hh.proxy.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', 'x-api-key': PROXY_KEY, authorization: 'Bearer sk-ant-oat-own-token', ...headers },
    body: JSON.stringify({ model: 'claude-haiku-4-5', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] }),
  });
  return { status: res.status, body: await res.text() };
}

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

it('a proxy key in x-api-key beside a Bearer token is not passed on to an upstream without its own key', async () => {
  h = await startHarness({ env: { KEY: PROXY_KEY }, config: { keys } });
  const answer = await askWithBoth(h);
  expect(answer.status).toBe(401);
  expect(answer.body).toContain('[llmfin: upstream_key_missing]');
  expect(h.fake.requests).toHaveLength(0);
});

it("a proxy key in x-api-key beside a Bearer token pins the key's tags and is replaced by the upstream's key", async () => {
  h = await startHarness({
    env: { KEY: PROXY_KEY, ANTHROPIC_KEY: 'sk-ant-upstream' },
    config: { keys },
    extraUpstreams: (url) => ({ anthropic: { base_url: url, dialect: 'anthropic', api_key_env: 'ANTHROPIC_KEY' } }),
  });
  expect((await askWithBoth(h, { 'x-llmfin-team': 'spoofed' })).status).toBe(200);
  const sent = h.fake.requests[0]!.headers;
  expect([sent['x-api-key'], sent.authorization]).toEqual(['sk-ant-upstream', undefined]);
  const [row] = await h.rows();
  expect([row!.team, row!.api_key]).toEqual(['agents', 'claude-bot']);
});

it('reads the proxy key wherever it is among the credentials, else the first of them', () => {
  expect(clientSecret({ authorization: 'Bearer sk-own', 'x-api-key': PROXY_KEY })).toBe(PROXY_KEY);
  expect(clientSecret({ authorization: 'Bearer sk-own', 'api-key': PROXY_KEY })).toBe(PROXY_KEY);
  expect(clientSecret({ authorization: `Bearer ${PROXY_KEY}`, 'x-api-key': 'sk-own' })).toBe(PROXY_KEY);
  expect(clientSecret({ authorization: 'Bearer sk-own', 'x-api-key': 'sk-other' })).toBe('sk-own');
  // A configured value without the prefix is found by the table.
  const table = { size: 1, lookup: (s: string) => (s === 'plain-secret' ? { name: 'p', tags: {} } : undefined) };
  expect(clientSecret({ authorization: 'Bearer sk-own', 'x-api-key': 'plain-secret' }, table)).toBe('plain-secret');
});
