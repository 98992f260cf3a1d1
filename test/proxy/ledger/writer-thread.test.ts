// The proxy's ledger writer thread (ledger-writer-thread.ts) receives rows by message:
// every value must arrive as it was built (nulls, bigints, text beyond ASCII), batches
// past the largest size must split, and a batch the worker cannot write must come back
// and be reported by stop(), not dropped. Uses the compiled worker (needs
// `npm run build`), as the CLI does.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type * as ThreadModule from '../../../src/proxy/ledger/ledger-writer-thread.js';
import type * as EntryModule from '../../../src/proxy/ledger/attempt-entry.js';
import type * as LedgerModule from '../../../src/ledger/index.js';
import { tempDir } from '../../helpers/cli.js';

const dist = (path: string) => new URL(`../../../dist/${path}`, import.meta.url).href;
const { ThreadLedgerQueue, writerThreadAvailable } = (await import(dist('proxy/ledger/ledger-writer-thread.js'))) as typeof ThreadModule;
const { ROW_COLUMNS } = (await import(dist('proxy/ledger/attempt-entry.js'))) as typeof EntryModule;
const { openLedger } = (await import(dist('ledger/index.js'))) as typeof LedgerModule;

function row(i: number, costStatus = 'priced'): unknown[] {
  const values: Record<string, unknown> = Object.fromEntries(ROW_COLUMNS.map((c) => [c, null]));
  Object.assign(values, {
    provenance: 'metered', source: 'proxy', dedupe_key: `req_t${i}#1`, provider: 'openai', model: 'gpt-4o-mini', ts: new Date(Date.UTC(2026, 11, 1) + i).toISOString(),
    granularity: 'request', requests: 1, input_tokens: 1200 + i, uncached_input_tokens: 0, cache_read_tokens: 0, cache_write_5m_tokens: 0, cache_write_1h_tokens: 0,
    input_audio_tokens: 0, input_image_tokens: 0, output_tokens: 80, reasoning_tokens: 0, output_audio_tokens: 0, output_image_tokens: 0, web_search_requests: 0,
    raw_usage: JSON.stringify({ usage: { prompt_tokens: 1200 + i }, note: 'naïve — ✓ 😀' }), cost_usd: '0.0001512', cost_ticks: 1_512_000n + BigInt(i) * 10_000_000_000n,
    cost_status: costStatus, currency: 'USD', team: i % 2 ? 'tëam' : null, created_at: '2026-12-01T00:00:00.000Z', charge_category: 'usage', latency_ms: i, status_code: 200,
  });
  return ROW_COLUMNS.map((c) => values[c]);
}

describe('ThreadLedgerQueue', () => {
  it('writes every row as built, across batches, and reports a batch it cannot write', async () => {
    const path = join(tempDir(), 'ledger.db');
    const ledger = await openLedger(path);
    expect(writerThreadAvailable(path, {})).toBe(true);
    const errors: string[] = [];
    const queue = new ThreadLedgerQueue(ledger, { intervalMs: 20, onError: (e) => errors.push((e as Error).message) });
    queue.start();
    const n = 2500; // more than one batch's worth (1024)
    for (let i = 0; i < n; i++) queue.push(row(i));
    // Rows travel as JSON text (row-text.ts): values JSON escapes or has no form for come back as they were.
    const edges = [0, 1, 2].map((k) => {
      const r = row(n + 10 + k);
      r[ROW_COLUMNS.indexOf('team')] = ['lone \ud800 surrogate \udfff', 'quote " backslash \\ tab \t nul \u0000', 'line\u2028sep \u2029 ⌘ 😀'][k];
      r[ROW_COLUMNS.indexOf('cost_ticks')] = [null, 9_223_372_036_854_775_807n, 0n][k];
      r[ROW_COLUMNS.indexOf('ttfb_ms')] = [null, 0, Number.MAX_SAFE_INTEGER][k];
      return r;
    });
    for (const r of edges) queue.push([...r]);
    await queue.flush();
    expect(queue.written).toBe(n + edges.length);
    expect(queue.depth).toBe(0);
    expect(queue.failure).toBeUndefined();

    // A row the ledger refuses (cost_status outside its CHECK) fails its whole batch, which is kept and retried.
    queue.push(row(n, 'bogus'));
    queue.push(row(n + 1));
    await queue.flush();
    expect(queue.depth).toBe(2);
    expect(errors.length).toBeGreaterThan(0);
    // What /llmfin/health reports while the rows wait.
    expect(queue.failure).toEqual({ message: expect.stringMatching(/^CHECK constraint failed/) as unknown, since: expect.any(Number) as unknown });
    await expect(queue.stop()).rejects.toThrow(/^2 proxy rows could not be written to the ledger: CHECK constraint failed/);
    await ledger.close();

    const db = new Database(path, { readonly: true });
    const got = db.prepare(`select ${ROW_COLUMNS.map((c) => `"${c}"`).join(', ')} from usage_entries order by id`).raw().safeIntegers(true).all() as unknown[][];
    db.close();
    expect(got.length).toBe(n + edges.length);
    const asStored = (v: unknown) => (typeof v === 'number' ? BigInt(v) : v);
    for (let i = 0; i < n; i += 97) expect(got[i]).toEqual(row(i).map(asStored));
    expect(got[n - 1]).toEqual(row(n - 1).map(asStored));
    // Each text as binding it directly stores it (a lone surrogate becomes U+FFFD either way).
    const memory = new Database(':memory:');
    const select = memory.prepare('select ?').pluck().safeIntegers(true);
    expect(got.slice(n)).toEqual(edges.map((r) => r.map((v) => (typeof v === 'string' ? select.get(v) : asStored(v)))));
    memory.close();
  });

  it("replaces a background response's estimated row once, after the batch's inserts, and marks its day for the rollup", async () => {
    const path = join(tempDir(), 'ledger.db');
    const ledger = await openLedger(path);
    const queue = new ThreadLedgerQueue(ledger, { intervalMs: 20 });
    queue.start();
    const at = (c: string) => ROW_COLUMNS.indexOf(c);
    const version = (status: string, input: number, ticks: bigint, costStatus: string): unknown[] => {
      const r = row(7, costStatus);
      r[at('raw_usage')] = JSON.stringify({ usage: null, background: { id: 'resp_1', status } });
      r[at('input_tokens')] = input;
      r[at('cost_ticks')] = ticks;
      r[at('latency_ms')] = input; // not a replaced column: stays as first written
      return r;
    };
    // The created row and its replacement in the same batch: the insert goes first.
    queue.push(version('queued', 100, 6_150_000n, 'estimated'));
    queue.replace(version('completed', 120, 1_980_000n, 'priced'));
    await queue.flush();
    expect(queue.depth).toBe(0);
    const db = new Database(path, { readonly: true });
    const read = () => db.prepare('select input_tokens, cost_ticks, cost_status, latency_ms, raw_usage from usage_entries').safeIntegers(true).all();
    expect(read()).toEqual([{ input_tokens: 120n, cost_ticks: 1_980_000n, cost_status: 'priced', latency_ms: 100n, raw_usage: JSON.stringify({ usage: null, background: { id: 'resp_1', status: 'completed' } }) }]);
    // Once replaced, a second replacement (a retry, a second retrieval) changes nothing.
    queue.replace(version('completed', 999, 9n, 'priced'));
    await queue.flush();
    expect(read()).toEqual([expect.objectContaining({ input_tokens: 120n, cost_ticks: 1_980_000n })]);
    expect(db.prepare('select day from rollup_dirty_days').pluck().all()).toContain('2026-12-01');
    db.close();
    await queue.stop();
    await ledger.close();
  });
});
