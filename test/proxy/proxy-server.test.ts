// A graceful stop that the user hurries (a second Ctrl-C) cuts the requests in flight at
// once, but still waits for each cut attempt to record its row before the ledger closes.
import { describe, expect, it } from 'vitest';
import { startHarness } from './proxy-harness.js';

describe('ProxyServer.close with hurry', () => {
  it('cuts every request in flight (waiting for headers, or mid-stream) and records each as a client disconnect', async () => {
    const h = await startHarness();
    const n = 40;
    const calls = Array.from({ length: n }, (_, i) => {
      // Half never hear back from the upstream; half are streams the upstream sends slowly.
      const stream = i % 2 === 1;
      const body = JSON.stringify({ model: 'gpt-4o-mini', stream, messages: [{ role: 'user', content: 'wait for me' }] });
      return fetch(`${h.proxy.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-fake-scenario': stream ? 'slow-stream' : 'hang', 'x-llmfin-feature': `f${i}` },
        body,
      }).then(
        (r) => r.text().then(
          () => r.status,
          () => 'cut',
        ),
        () => 'cut',
      );
    });
    for (let i = 0; h.proxy.inFlight() < n; i++) {
      if (i > 500) throw new Error(`only ${h.proxy.inFlight()} of ${n} requests went in flight`);
      await new Promise((r) => setTimeout(r, 10));
    }
    const closing = h.proxy.close();
    h.proxy.hurry();
    const started = Date.now();
    await closing;
    // The 30 s drain was skipped.
    expect(Date.now() - started).toBeLessThan(10_000);
    // A stream already under way ends abruptly (its body read fails): also a cut.
    expect(new Set(await Promise.all(calls))).toEqual(new Set(['cut']));
    const rows = await h.ledger.db.selectFrom('usage_entries').select(['status_code', 'cost_status', 'feature', 'description']).execute();
    expect(rows).toHaveLength(n);
    expect(rows.every((r) => r.cost_status === 'estimated' && (r.description ?? '').endsWith('client_disconnected'))).toBe(true);
    // The upstream never answered the even ones (499); the odd ones are streams, cut before or after their first bytes.
    const status = new Map(rows.map((r) => [r.feature, r.status_code]));
    for (let i = 0; i < n; i += 2) expect(status.get(`f${i}`)).toBe(499);
    await h.ledger.close();
    await h.fake.close();
  }, 30_000);
});
