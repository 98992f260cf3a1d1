// Background responses outlive the proxy that saw them created: the ledger keeps their
// pending estimated rows, and a proxy that did not see the create — the same one after a
// restart, or another proxy on the same ledger — re-prices the row exactly when a
// retrieval through it shows the response ended: once, in place (no second row), with the
// budget moved from the estimate it was seeded with to the real cost. Real SQLite files,
// the official openai client, a raw upstream on loopback.
//
// gpt-4o-mini: $0.15 input, $0.60 output per 1M tokens; 1 USD = 10^10 ticks.
// 400 characters of prompt: 100 tokens estimated; output cap 1000.
// Estimate: 100 × 0.15 + 1000 × 0.60 = 615 per 1M = $0.000615 = 6,150,000 ticks.
// Real (usage 120 in, 300 out): 120 × 0.15 + 300 × 0.60 = 18 + 180 = 198 per 1M = $0.000198 = 1,980,000 ticks.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BudgetGuard } from '../../../src/budgets/budget-guard.js';
import { loadBudgetGuard } from '../../../src/budgets/load-budget-guard.js';
import { ConfigSchema } from '../../../src/config/config-schema.js';
import { openLedger, type LedgerStore, type UsageEntry } from '../../../src/ledger/index.js';
import { startProxy, type RunningProxy } from '../../../src/proxy/start-proxy.js';
import { bundledPricer } from '../proxy-harness.js';
import { startRawUpstream, type RawUpstream } from '../raw-upstream.js';

interface Stored {
  status: string;
  usage: Record<string, unknown> | null;
  createdAt: number;
}

const usage = (input: number, output: number) => ({ input_tokens: input, input_tokens_details: { cached_tokens: 0 }, output_tokens: output, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: input + output });
const responseOf = (id: string, s: Stored) => ({
  id, object: 'response', created_at: s.createdAt, status: s.status, background: true, model: 'gpt-4o-mini-2024-07-18', error: null, incomplete_details: null,
  output: s.status === 'completed' ? [{ id: 'msg_1', type: 'message', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: 'Ledgers hum at dusk.', annotations: [] }] }] : [],
  parallel_tool_calls: true, tool_choice: 'auto', tools: [], max_output_tokens: 1000, usage: s.usage,
});
const ev = (type: string, data: object) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;

const INPUT = 'x'.repeat(400);
const ESTIMATE = 6_150_000n;
const REAL = 1_980_000n;
const CONFIG = ConfigSchema.parse({ budgets: [{ name: 'bg', scope: { team: 'bg' }, limit_usd: 1, action: 'block' }] });

let upstream: RawUpstream;
const stored = new Map<string, Stored>();
let created = 0;

beforeAll(async () => {
  upstream = await startRawUpstream((req, res) => {
    const path = (req.url ?? '').split('?')[0]!;
    const json = (value: unknown, status = 200) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
    if (path === '/v1/responses' && req.method === 'POST') {
      const id = `resp_led${++created}`;
      const s: Stored = { status: 'queued', usage: null, createdAt: Math.floor(Date.now() / 1000) };
      stored.set(id, s);
      return json(responseOf(id, s));
    }
    const retrieve = /^\/v1\/responses\/([^/]+)$/.exec(path);
    const s = retrieve === null ? undefined : stored.get(retrieve[1]!);
    if (s !== undefined && (req.url ?? '').includes('stream=true')) {
      const rid = retrieve![1]!;
      return res.writeHead(200, { 'content-type': 'text/event-stream' }).end(
        ev('response.created', { sequence_number: 0, response: responseOf(rid, { ...s, status: 'queued', usage: null }) }) +
          ev('response.output_text.delta', { sequence_number: 1, item_id: 'msg_1', output_index: 0, content_index: 0, delta: 'Ledgers hum at dusk.' }) +
          ev('response.completed', { sequence_number: 2, response: responseOf(rid, s) }),
      );
    }
    if (s !== undefined) return json(responseOf(retrieve![1]!, s));
    json({ error: { message: 'No response found', type: 'invalid_request_error' } }, 404);
  });
});
afterAll(async () => {
  await upstream.close();
});

interface Proxy {
  proxy: RunningProxy;
  ledger: LedgerStore;
  guard: BudgetGuard;
  client: OpenAI;
  logs: string[];
  stop(): Promise<void>;
}

let dir: string;
let ledgerPath: string;
const running: Proxy[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'llmfin-bg-ledger-'));
  ledgerPath = join(dir, 'ledger.db');
});
afterEach(async () => {
  for (const p of running.splice(0)) await p.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A proxy on the shared ledger file, with its own connection and its budget read from the ledger, as `llmfin proxy` starts. */
async function start(flushIntervalMs = 50, config = CONFIG): Promise<Proxy> {
  const ledger = await openLedger(ledgerPath);
  const guard = await loadBudgetGuard(ledger, config);
  const logs: string[] = [];
  const proxy = await startProxy({
    ledger,
    pricer: await bundledPricer(),
    config: { upstreams: { openai: { base_url: upstream.url, dialect: 'openai' } } },
    port: 0,
    gate: guard,
    env: {},
    logWrite: (text) => logs.push(text),
    flushIntervalMs,
  });
  let stopped = false;
  const p: Proxy = {
    proxy, ledger, guard,
    // Log lines are written up to 5 ms late: reading them flushes what is pending.
    get logs() {
      proxy.log.flush();
      return logs;
    },
    client: new OpenAI({ baseURL: `${proxy.url}/v1`, apiKey: 'sk-client-bg', maxRetries: 0, defaultHeaders: { 'x-llmfin-team': 'bg' } }),
    async stop() {
      if (stopped) return;
      stopped = true;
      await proxy.close();
      await ledger.close();
    },
  };
  running.push(p);
  return p;
}

const budget = (p: Proxy) => {
  const [s] = p.guard.snapshot();
  return { spent: s!.spentTicks, reserved: s!.reservedTicks };
};
async function rows(p: Proxy): Promise<UsageEntry[]> {
  await p.proxy.flush();
  return p.ledger.db.selectFrom('usage_entries').selectAll().orderBy('id').execute();
}
const rawOf = (row: UsageEntry) => JSON.parse(row.raw_usage!) as { usage: unknown; usage_source: string; background?: { id: string; status: string } };
/** Re-prices that took effect: an UPDATE that matches no pending row fires no row trigger. */
async function countUpdates(ledger: LedgerStore): Promise<void> {
  await sql`create table test_updates (id integer)`.execute(ledger.db);
  await sql`create trigger test_count_updates after update on usage_entries begin insert into test_updates values (new.id); end`.execute(ledger.db);
}
const updates = async (ledger: LedgerStore) => (await sql<{ id: number }>`select id from test_updates`.execute(ledger.db)).rows.map((r) => r.id);
/** Waits until `check` holds: a re-price looked up in the ledger is written after the retrieval's answer. */
async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100 && !(await check()); i++) await new Promise((resolve) => setTimeout(resolve, 20));
}
const exact = (row: UsageEntry | undefined) => row?.cost_status === 'priced';

describe('a background response retrieved after the proxy restarted', () => {
  it('re-prices the same row exactly, once; the budget read back at the estimate moves to the real cost', async () => {
    const a = await start();
    const response = await a.client.responses.create({ model: 'gpt-4o-mini', input: INPUT, max_output_tokens: 1000, background: true });
    expect(response.status).toBe('queued');
    const [createdRow] = await rows(a);
    expect(createdRow).toMatchObject({ input_tokens: 100, output_tokens: 1000, cost_usd: '0.000615', cost_ticks: ESTIMATE, cost_status: 'estimated' });
    await a.stop();

    const b = await start();
    // The budget read back from the ledger counts the estimate; the row is held again.
    expect(budget(b)).toEqual({ spent: ESTIMATE, reserved: 0n });

    Object.assign(stored.get(response.id)!, { status: 'completed', usage: usage(120, 300) });
    const r = await b.client.responses.retrieve(response.id);
    expect(b.logs.join('')).toContain('1 background responses still pending in the ledger');
    expect(r.output_text).toBe('Ledgers hum at dusk.');
    const after = await rows(b);
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ id: createdRow!.id, model: 'gpt-4o-mini-2024-07-18', input_tokens: 120, output_tokens: 300, cost_usd: '0.000198', cost_ticks: REAL, cost_status: 'priced', team: 'bg' });
    expect(after[0]!.description).toContain(`background response ${response.id} completed: usage as the provider reported it`);
    expect(rawOf(after[0]!)).toMatchObject({ usage: usage(120, 300), usage_source: 'reported', background: { id: response.id, status: 'completed' } });
    // The request's own facts are as the create wrote them.
    expect(after[0]).toMatchObject({ dedupe_key: createdRow!.dedupe_key, request_id: createdRow!.request_id, ts: createdRow!.ts, prompt_hash: createdRow!.prompt_hash, latency_ms: createdRow!.latency_ms });
    expect(budget(b)).toEqual({ spent: REAL, reserved: 0n });

    // A second retrieval, even with other usage, changes nothing.
    stored.get(response.id)!.usage = usage(999, 999);
    await b.client.responses.retrieve(response.id);
    expect(await rows(b)).toEqual(after);
    expect(budget(b)).toEqual({ spent: REAL, reserved: 0n });

    // And a proxy started after that reads the real cost back.
    await b.stop();
    const c = await start();
    expect(budget(c)).toEqual({ spent: REAL, reserved: 0n });
    expect(c.logs.join('')).not.toContain('still pending');
  });

  it('a budget blocked by the estimate it read back is open again once the row is re-priced', async () => {
    const a = await start();
    const response = await a.client.responses.create({ model: 'gpt-4o-mini', input: INPUT, max_output_tokens: 1000, background: true });
    await rows(a);
    await a.stop();

    // Restarted with a limit of $0.0005 (5,000,000 ticks): the estimate read back is over it.
    const b = await start(50, ConfigSchema.parse({ budgets: [{ name: 'bg', scope: { team: 'bg' }, limit_usd: 0.0005, action: 'block' }] }));
    expect(budget(b)).toEqual({ spent: ESTIMATE, reserved: 0n });
    // A small request: 'hi' is 1 token estimated, cap 10: 1 × 0.15 + 10 × 0.60 = 6.15 per 1M = 61,500 ticks.
    const small = () => b.client.responses.create({ model: 'gpt-4o-mini', input: 'hi', max_output_tokens: 10, background: true });
    await expect(small()).rejects.toMatchObject({ status: 429 });

    Object.assign(stored.get(response.id)!, { status: 'completed', usage: usage(120, 300) });
    await b.client.responses.retrieve(response.id);
    expect(budget(b)).toEqual({ spent: REAL, reserved: 0n });
    // 1,980,000 + 61,500 is within 5,000,000.
    expect((await small()).status).toBe('queued');
    expect(budget(b)).toEqual({ spent: REAL, reserved: 61_500n });
  });

  it("a budget whose period began after the create never counted its estimate and is left alone", async () => {
    const a = await start();
    const response = await a.client.responses.create({ model: 'gpt-4o-mini', input: INPUT, max_output_tokens: 1000, background: true });
    await rows(a);
    await a.stop();
    // The create, moved to a minute before today's midnight (UTC): yesterday for a daily budget, within the day-long window.
    const midnight = new Date();
    midnight.setUTCHours(0, 0, 0, 0);
    const before = new Date(midnight.getTime() - 60_000).toISOString();
    const ledger = await openLedger(ledgerPath);
    await ledger.db.updateTable('usage_entries').set({ ts: before }).execute();
    await ledger.close();

    const b = await start(50, ConfigSchema.parse({ budgets: [{ name: 'bg', scope: { team: 'bg' }, limit_usd: 1, period: 'daily', action: 'block' }] }));
    expect(budget(b)).toEqual({ spent: 0n, reserved: 0n });
    Object.assign(stored.get(response.id)!, { status: 'completed', usage: usage(120, 300) });
    await b.client.responses.retrieve(response.id);
    // The row is re-priced; today's spend, which never had the estimate, is not lowered by it.
    expect(await rows(b)).toMatchObject([{ ts: before, cost_ticks: REAL, cost_status: 'priced' }]);
    expect(budget(b)).toEqual({ spent: 0n, reserved: 0n });
  });

  it('a row older than the re-pricing window is not held again and stays estimated', async () => {
    const a = await start();
    const response = await a.client.responses.create({ model: 'gpt-4o-mini', input: INPUT, max_output_tokens: 1000, background: true });
    await rows(a);
    await a.stop();
    // The create, moved 25 hours back.
    const old = new Date(Date.now() - 25 * 3600_000).toISOString();
    const ledger = await openLedger(ledgerPath);
    await ledger.db.updateTable('usage_entries').set({ ts: old }).execute();
    await ledger.close();

    const b = await start();
    expect(b.logs.join('')).not.toContain('still pending');
    Object.assign(stored.get(response.id)!, { status: 'completed', usage: usage(120, 300) });
    await b.client.responses.retrieve(response.id);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await rows(b)).toMatchObject([{ ts: old, output_tokens: 1000, cost_ticks: ESTIMATE, cost_status: 'estimated' }]);
  });
});

describe('several proxies on one ledger', () => {
  it('a retrieval through another proxy than the create’s re-prices the row exactly, once; the creator then settles its reservation on the real cost', async () => {
    const a = await start();
    const b = await start();
    await countUpdates(a.ledger);
    const response = await a.client.responses.create({ model: 'gpt-4o-mini', input: INPUT, max_output_tokens: 1000, background: true });
    const [createdRow] = await rows(a);
    expect(budget(a)).toEqual({ spent: 0n, reserved: ESTIMATE });

    Object.assign(stored.get(response.id)!, { status: 'completed', usage: usage(120, 300) });
    // Through B, as a stream (resuming it).
    const stream = await b.client.responses.retrieve(response.id, { stream: true });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    expect(types).toEqual(['response.created', 'response.output_text.delta', 'response.completed']);
    await until(async () => exact((await rows(b))[0]));
    const after = await rows(b);
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ id: createdRow!.id, input_tokens: 120, output_tokens: 300, cost_usd: '0.000198', cost_ticks: REAL, cost_status: 'priced' });
    expect(rawOf(after[0]!).background).toEqual({ id: response.id, status: 'completed' });
    // B's budget was read before the create: it never counted the estimate and is left alone.
    expect(budget(b)).toEqual({ spent: 0n, reserved: 0n });

    // Through A now: the row is settled already (no second update); A's reservation ends on the real cost.
    await a.client.responses.retrieve(response.id);
    expect(await rows(a)).toEqual(after);
    expect(budget(a)).toEqual({ spent: REAL, reserved: 0n });
    expect(await updates(a.ledger)).toEqual([createdRow!.id]);
    // B again: nothing more.
    await b.client.responses.retrieve(response.id);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await rows(b)).toEqual(after);
    expect(await updates(a.ledger)).toEqual([createdRow!.id]);
  });

  it('two proxies that both re-price it before either write lands: one update', async () => {
    // Writes every 10 minutes unless flushed: both replacements wait in their queues.
    const a = await start(600_000);
    const b = await start(600_000);
    await countUpdates(a.ledger);
    const response = await a.client.responses.create({ model: 'gpt-4o-mini', input: INPUT, max_output_tokens: 1000, background: true });
    await a.proxy.flush();
    const [createdRow] = await b.ledger.db.selectFrom('usage_entries').selectAll().execute();
    expect(createdRow).toMatchObject({ cost_ticks: ESTIMATE, cost_status: 'estimated' });

    Object.assign(stored.get(response.id)!, { status: 'completed', usage: usage(120, 300) });
    await Promise.all([a.client.responses.retrieve(response.id), b.client.responses.retrieve(response.id)]);
    // B found the row still pending (A's replacement is queued, not written) and queued its own.
    await until(async () => b.logs.join('').includes(`background response ${response.id} completed`));
    expect(b.logs.join('')).toContain(`background response ${response.id} completed: ${createdRow!.request_id} re-priced`);
    // One after the other: on one thread, two connections' overlapping write transactions would wait out the busy timeout.
    await a.proxy.flush();
    await b.proxy.flush();
    expect(await updates(a.ledger)).toEqual([createdRow!.id]);
    const after = await a.ledger.db.selectFrom('usage_entries').selectAll().execute();
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ id: createdRow!.id, input_tokens: 120, output_tokens: 300, cost_ticks: REAL, cost_status: 'priced' });
    expect(budget(a)).toEqual({ spent: REAL, reserved: 0n });
    expect(budget(b)).toEqual({ spent: 0n, reserved: 0n });
  });

  it('a proxy started after the create, retrieving it while the creator still runs: exact once, its budget moved from the estimate', async () => {
    const a = await start();
    const response = await a.client.responses.create({ model: 'gpt-4o-mini', input: INPUT, max_output_tokens: 1000, background: true });
    await rows(a);
    const b = await start();
    // B read the estimate back (and holds the row again, from its start).
    expect(budget(b)).toEqual({ spent: ESTIMATE, reserved: 0n });
    Object.assign(stored.get(response.id)!, { status: 'completed', usage: usage(120, 300) });
    await b.client.responses.retrieve(response.id);
    const after = await rows(b);
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ cost_ticks: REAL, cost_status: 'priced' });
    expect(budget(b)).toEqual({ spent: REAL, reserved: 0n });
    // A still holds its reservation until it sees the end itself (or its hold is over).
    expect(budget(a)).toEqual({ spent: 0n, reserved: ESTIMATE });
    await a.client.responses.retrieve(response.id);
    expect(budget(a)).toEqual({ spent: REAL, reserved: 0n });
    expect(await rows(a)).toEqual(after);
  });

  it('a retrieval of a response no proxy created records nothing', async () => {
    const a = await start();
    await a.client.responses.create({ model: 'gpt-4o-mini', input: INPUT, max_output_tokens: 1000, background: true });
    const before = await rows(a);
    const b = await start();
    stored.set('resp_elsewhere', { status: 'completed', usage: usage(5000, 5000), createdAt: Math.floor(Date.now() / 1000) });
    await b.client.responses.retrieve('resp_elsewhere');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await rows(b)).toEqual(before);
    expect(budget(b)).toEqual({ spent: ESTIMATE, reserved: 0n });
  });
});
