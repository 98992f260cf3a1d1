// /llmfin/health reports the ledger writer's state: while writes fail, the proxy still
// forwards and keeps the rows in memory, but health is `ok: false` with HTTP 503 and says
// why, how many rows wait and since when; a write that succeeds makes it ok again.
// In process (the writer on the event loop's thread); the CLI test in proxy-cli.test.ts
// covers the writer thread with the ledger locked by another connection.
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../proxy-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const health = async (url: string) => {
  const res = await fetch(`${url}/llmfin/health`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

async function until<T>(get: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await get();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const chat = (url: string) =>
  fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-x' },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
  });

describe('/llmfin/health and ledger writes', () => {
  it('is ok with the writes keeping up', async () => {
    h = await startHarness();
    const res = await chat(h.proxy.url);
    await res.text();
    await h.proxy.flush();
    expect(await health(h.proxy.url)).toMatchObject({
      status: 200,
      body: { ok: true, ledger: h.ledgerPath, ledger_writes: { ok: true, pending_rows: 0, error: null, failing_since: null }, rows_written: 1 },
    });
  });

  it('is 503 with the error while the ledger refuses writes, and ok again after the next write succeeds', async () => {
    h = await startHarness();
    // Another connection to the ledger file makes every insert fail, as a full disk would.
    const other = new Database(h.ledgerPath);
    try {
      other.exec("CREATE TRIGGER refuse_writes BEFORE INSERT ON usage_entries BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END");
      const before = Date.now();
      for (let i = 0; i < 2; i++) {
        const res = await chat(h.proxy.url);
        // Forwarding goes on: the rows wait in memory.
        expect(res.status).toBe(200);
        await res.text();
      }
      const failing = await until(async () => {
        const r = await health(h!.proxy.url);
        return r.status === 503 ? r : undefined;
      });
      expect(failing.body).toMatchObject({ ok: false, queue_depth: 2, rows_written: 0, ledger_writes: { ok: false, pending_rows: 2, error: 'database or disk is full' } });
      const since = (failing.body.ledger_writes as { failing_since: string }).failing_since;
      expect(since).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(Date.parse(since)).toBeGreaterThanOrEqual(before - 1000);
      // The retries that fail too keep the time the failures began.
      await new Promise((r) => setTimeout(r, 150));
      expect(((await health(h.proxy.url)).body.ledger_writes as { failing_since: string }).failing_since).toBe(since);
      // A HEAD probe (load balancers) gets the status too.
      expect((await fetch(`${h.proxy.url}/llmfin/health`, { method: 'HEAD' })).status).toBe(503);

      other.exec('DROP TRIGGER refuse_writes');
      const healed = await until(async () => {
        const r = await health(h!.proxy.url);
        return r.status === 200 ? r : undefined;
      });
      expect(healed.body).toMatchObject({ ok: true, queue_depth: 0, rows_written: 2, ledger_writes: { ok: true, pending_rows: 0, error: null, failing_since: null } });
      expect(other.prepare('select count(*) from usage_entries').pluck().get()).toBe(2);
    } finally {
      other.close();
    }
  });
});
