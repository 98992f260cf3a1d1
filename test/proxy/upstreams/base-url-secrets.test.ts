// A base URL may carry a key in its query (`?key=…`, as some gateways take it): requests
// still send it, but /llmfin/health — served to anyone who reaches the port — and the
// messages that name the upstream show it masked, as they never show a key.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upstreamPath } from '../../../src/proxy/upstreams/upstream-table.js';
import { startHarness, type Harness } from '../proxy-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    extraUpstreams: (fake) => ({
      gw: { base_url: `${fake}/gw/v1?api-version=2024-10-21&key=SECRET-IN-QUERY`, dialect: 'openai' },
      gone: { base_url: 'http://127.0.0.1:1/v1?access_token=GONE-SECRET', dialect: 'openai' },
    }),
  });
});
afterAll(() => h.close());

describe('a key in a base URL query', () => {
  it('goes upstream with every request', async () => {
    const res = await fetch(`${h.proxy.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-llmfin-upstream': 'gw' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.status).toBe(200);
    await res.text();
    expect(h.fake.requests.at(-1)!.path).toBe('/gw/v1/chat/completions');
    const gw = h.proxy.upstreams().find((u) => u.name === 'gw')!;
    expect(upstreamPath(gw, '/v1/chat/completions', '')).toBe('/gw/v1/chat/completions?api-version=2024-10-21&key=SECRET-IN-QUERY');
  });

  it('is masked in /llmfin/health, and in the 502 that names an unreachable upstream', async () => {
    const health = await (await fetch(`${h.proxy.url}/llmfin/health`)).text();
    expect(health).not.toContain('SECRET');
    const upstreams = (JSON.parse(health) as { upstreams: Array<{ name: string; base_url: string }> }).upstreams;
    expect(upstreams.find((u) => u.name === 'gw')!.base_url).toBe(`${h.fake.url}/gw/v1?api-version=2024-10-21&key=***`);
    expect(upstreams.find((u) => u.name === 'gone')!.base_url).toBe('http://127.0.0.1:1/v1?access_token=***');

    const res = await fetch(`${h.proxy.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-llmfin-upstream': 'gone' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.status).toBe(502);
    const message = ((await res.json()) as { error: { message: string } }).error.message;
    expect(message).toContain('upstream "gone" (http://127.0.0.1:1/v1?access_token=***) is unreachable');
    expect(h.logs.join('')).not.toContain('SECRET');
  });
});
