// A request the proxy refuses before forwarding (a body that is not JSON, an unknown proxy
// key, an unknown upstream) gets its log line like any other — an unknown proxy key is
// exactly what an operator wants to see — with no ledger row and never the key itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../proxy-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: { LLMFIN_KEY_A: 'llmfin-sk-known-a1' }, config: { keys: [{ key_env: 'LLMFIN_KEY_A', name: 'a', tags: {} }] } });
});
afterAll(() => h.close());

const post = (headers: Record<string, string>, body: string) => fetch(`${h.proxy.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

describe('refused requests in the log', () => {
  it('one line each, with the status and the reason; no row; no key', async () => {
    const refused = [
      await post({}, '{"model": "gpt-4o-mini", "messages": ['),
      await post({ authorization: 'Bearer llmfin-sk-guessed-9z9z' }, '{"model":"gpt-4o-mini","messages":[]}'),
      await post({ 'x-llmfin-upstream': 'nope' }, '{"model":"gpt-4o-mini","messages":[]}'),
    ];
    expect(refused.map((r) => r.status)).toEqual([400, 401, 400]);
    const ids = refused.map((r) => r.headers.get('x-llmfin-request-id'));
    await Promise.all(refused.map((r) => r.text()));
    h.proxy.log.flush();
    const lines = h.logs.join('').trim().split('\n');
    const line = (id: string | null | undefined) => lines.find((l) => typeof id === 'string' && l.includes(id)) ?? '';
    expect(line(ids[0])).toMatch(/ 400 POST \/v1\/chat\/completions - - in=0 out=0 rejected [\d.]+ms invalid_json$/);
    expect(line(ids[1])).toMatch(/ 401 POST \/v1\/chat\/completions - - in=0 out=0 rejected [\d.]+ms unknown_proxy_key$/);
    expect(line(ids[2])).toMatch(/ 400 POST \/v1\/chat\/completions - gpt-4o-mini in=0 out=0 rejected [\d.]+ms unknown_upstream$/);
    expect(h.logs.join('')).not.toContain('llmfin-sk-guessed');
    expect(await h.rows()).toEqual([]);
  });
});
