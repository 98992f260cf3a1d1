// Responses API background mode through the proxy, with the official openai client and a
// budget: `responses.create({ background: true })` is answered `queued`, without usage,
// before the model runs. Its row is written at once as an estimate (the prompt at four
// characters a token and the whole output cap: what the budget reserved), and the
// reservation is kept while it runs. When the client retrieves it through the proxy and it
// has ended, the same row is re-priced from the usage reported — once: a second retrieval
// changes nothing, and a retrieval of a response the proxy never saw created records
// nothing. The budget's spend follows, and so does the daily rollup.
//
// gpt-4o-mini: $0.15 input, $0.60 output per 1M tokens; 1 USD = 10^10 ticks.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BudgetGuard } from '../../../src/budgets/budget-guard.js';
import { ConfigSchema } from '../../../src/config/config-schema.js';
import type { UsageEntry } from '../../../src/ledger/index.js';
import { refreshRollups } from '../../../src/ledger/rollups/refresh-rollups.js';
import { startHarness, type Harness } from '../proxy-harness.js';
import { startRawUpstream, type RawUpstream } from '../raw-upstream.js';

interface Stored {
  status: string;
  usage: Record<string, unknown> | null;
}

const usage = (input: number, output: number) => ({ input_tokens: input, input_tokens_details: { cached_tokens: 0 }, output_tokens: output, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: input + output });
const responseOf = (id: string, s: Stored) => ({
  id, object: 'response', created_at: 1764640000, status: s.status, background: true, model: 'gpt-4o-mini-2024-07-18', error: null, incomplete_details: null,
  output: s.status === 'completed' ? [{ id: 'msg_1', type: 'message', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: 'Ledgers hum at dusk.', annotations: [] }] }] : [],
  parallel_tool_calls: true, tool_choice: 'auto', tools: [], max_output_tokens: 1000, usage: s.usage,
});
const ev = (type: string, data: object) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;

let upstream: RawUpstream;
let h: Harness;
let client: OpenAI;
let guard: BudgetGuard;
const stored = new Map<string, Stored>();
let created = 0;
let acceptEncoding: string | string[] | undefined;

beforeAll(async () => {
  upstream = await startRawUpstream((req, res, body) => {
    const path = (req.url ?? '').split('?')[0]!;
    acceptEncoding = req.headers['accept-encoding'];
    const json = (value: unknown, status = 200) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
    if (path === '/v1/responses' && req.method === 'POST') {
      const request = JSON.parse(body.toString('utf8')) as { background?: boolean; stream?: boolean };
      const id = `resp_bg${++created}`;
      if (request.stream === true && req.headers['x-test-cut'] !== undefined) {
        // The connection breaks after the first events: the response runs on upstream.
        stored.set(id, { status: 'in_progress', usage: null });
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(
          ev('response.created', { sequence_number: 0, response: responseOf(id, { status: 'queued', usage: null }) }) +
            ev('response.output_text.delta', { sequence_number: 1, item_id: 'msg_1', output_index: 0, content_index: 0, delta: 'Ledgers' }),
        );
        setTimeout(() => res.destroy(), 30);
        return;
      }
      if (request.stream === true) {
        const done = { status: 'completed', usage: usage(200, 50) };
        return res.writeHead(200, { 'content-type': 'text/event-stream' }).end(
          ev('response.created', { sequence_number: 0, response: responseOf(id, { status: 'queued', usage: null }) }) +
            ev('response.in_progress', { sequence_number: 1, response: responseOf(id, { status: 'in_progress', usage: null }) }) +
            ev('response.output_text.delta', { sequence_number: 2, item_id: 'msg_1', output_index: 0, content_index: 0, delta: 'Ledgers hum at dusk.' }) +
            ev('response.completed', { sequence_number: 3, response: responseOf(id, done) }),
        );
      }
      const s: Stored = { status: 'queued', usage: null };
      stored.set(id, s);
      return json(responseOf(id, s));
    }
    const cancel = /^\/v1\/responses\/([^/]+)\/cancel$/.exec(path);
    if (cancel !== null && stored.has(cancel[1]!)) {
      const s = stored.get(cancel[1]!)!;
      s.status = 'cancelled';
      return json(responseOf(cancel[1]!, s));
    }
    const retrieve = /^\/v1\/responses\/([^/]+)$/.exec(path);
    if (retrieve !== null && stored.has(retrieve[1]!) && (req.url ?? '').includes('stream=true')) {
      const rid = retrieve[1]!;
      return res.writeHead(200, { 'content-type': 'text/event-stream' }).end(
        ev('response.created', { sequence_number: 0, response: responseOf(rid, { status: 'queued', usage: null }) }) +
          ev('response.output_text.delta', { sequence_number: 1, item_id: 'msg_1', output_index: 0, content_index: 0, delta: 'Ledgers hum at dusk.' }) +
          ev('response.completed', { sequence_number: 2, response: responseOf(rid, stored.get(rid)!) }),
      );
    }
    if (retrieve !== null && stored.has(retrieve[1]!)) return json(responseOf(retrieve[1]!, stored.get(retrieve[1]!)!));
    json({ error: { message: 'No response found', type: 'invalid_request_error' } }, 404);
  });
  guard = new BudgetGuard(ConfigSchema.parse({ budgets: [{ name: 'bg', scope: { team: 'bg' }, limit_usd: 1, action: 'block' }] }).budgets);
  h = await startHarness({ gate: guard, config: { upstreams: { openai: { base_url: upstream.url, dialect: 'openai' } } } });
  client = new OpenAI({ baseURL: `${h.proxy.url}/v1`, apiKey: 'sk-client-bg', maxRetries: 0, defaultHeaders: { 'x-llmfin-team': 'bg' } });
});
afterAll(async () => {
  await h.close();
  await upstream.close();
});

const budget = () => {
  const [s] = guard.snapshot();
  return { spent: s!.spentTicks, reserved: s!.reservedTicks };
};
const rawOf = (row: UsageEntry) => JSON.parse(row.raw_usage!) as { usage: unknown; usage_source: string; background?: { id: string; status: string } };
async function rolledUpTicks(): Promise<number> {
  await refreshRollups(h.ledger);
  const r = await h.ledger.db.selectFrom('rollup_daily').select((eb) => eb.fn.sum<number>('cost_ticks').as('ticks')).executeTakeFirst();
  return Number(r?.ticks ?? 0);
}

// 400 characters of prompt: 100 tokens estimated. Output cap 1000.
// Estimate: 100 × 0.15 + 1000 × 0.60 = 15 + 600 = 615 per 1M = $0.000615 = 6,150,000 ticks.
const INPUT = 'x'.repeat(400);
const ESTIMATE = 6_150_000n;

describe('background responses', () => {
  let id: string;
  let rowId: number;

  it('the create: one estimated row at the prompt and the output cap, never $0; the reservation is kept while it runs', async () => {
    const response = await client.responses.create({ model: 'gpt-4o-mini', input: INPUT, max_output_tokens: 1000, background: true });
    expect(response.status).toBe('queued');
    id = response.id;
    const rows = await h.rows();
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    rowId = row.id;
    expect(row).toMatchObject({ model: 'gpt-4o-mini', input_tokens: 100, output_tokens: 1000, cost_usd: '0.000615', cost_ticks: ESTIMATE, cost_status: 'estimated', team: 'bg', status_code: 200 });
    expect(row.description).toContain(`usage_unknown: tokens estimated from the prompt (4 characters a token) and the output cap (1000 tokens) — background response ${id} queued when created`);
    expect(rawOf(row)).toMatchObject({ usage: null, usage_source: 'estimated', background: { id, status: 'queued' } });
    // Reserved (the same bound), not yet spent.
    expect(budget()).toEqual({ spent: 0n, reserved: ESTIMATE });
    expect(await rolledUpTicks()).toBe(Number(ESTIMATE));
  });

  it('a retrieval while it still runs changes nothing', async () => {
    stored.get(id)!.status = 'in_progress';
    const before = await h.rows();
    const r = await client.responses.retrieve(id);
    expect(r.status).toBe('in_progress');
    expect(await h.rows()).toEqual(before);
    expect(budget()).toEqual({ spent: 0n, reserved: ESTIMATE });
  });

  it('a retrieval once it has completed re-prices the same row exactly; the budget spends the real cost', async () => {
    Object.assign(stored.get(id)!, { status: 'completed', usage: usage(120, 300) });
    const r = await client.responses.retrieve(id);
    expect(r.output_text).toBe('Ledgers hum at dusk.');
    const rows = await h.rows();
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    // 120 × 0.15 + 300 × 0.60 = 18 + 180 = 198 per 1M = $0.000198 = 1,980,000 ticks.
    expect(row).toMatchObject({ id: rowId, model: 'gpt-4o-mini-2024-07-18', input_tokens: 120, output_tokens: 300, cost_usd: '0.000198', cost_ticks: 1_980_000n, cost_status: 'priced', team: 'bg' });
    expect(row.description).toContain(`background response ${id} completed: usage as the provider reported it`);
    expect(row.description).not.toContain('usage_unknown');
    expect(rawOf(row)).toMatchObject({ usage: usage(120, 300), usage_source: 'reported', background: { id, status: 'completed' } });
    expect(budget()).toEqual({ spent: 1_980_000n, reserved: 0n });
    // The update marked the day for the rollup: it now holds the real cost, not the estimate.
    expect(await rolledUpTicks()).toBe(1_980_000);
    expect(h.logs.join('')).toContain(`background response ${id} completed`);
  });

  it('a second retrieval changes nothing', async () => {
    const before = await h.rows();
    // Even if the provider now said something else, the row is settled.
    stored.get(id)!.usage = usage(999, 999);
    await client.responses.retrieve(id);
    expect(await h.rows()).toEqual(before);
    expect(budget()).toEqual({ spent: 1_980_000n, reserved: 0n });
  });

  it('a retrieval of a response the proxy never saw created records nothing', async () => {
    stored.set('resp_elsewhere', { status: 'completed', usage: usage(5000, 5000) });
    const before = await h.rows();
    const r = await client.responses.retrieve('resp_elsewhere');
    expect(r.status).toBe('completed');
    expect(await h.rows()).toEqual(before);
    expect(budget()).toEqual({ spent: 1_980_000n, reserved: 0n });
  });

  it('a cancelled background response is settled on the usage it reports', async () => {
    const response = await client.responses.create({ model: 'gpt-4o-mini', input: INPUT, max_output_tokens: 1000, background: true });
    expect(budget()).toEqual({ spent: 1_980_000n, reserved: ESTIMATE });
    stored.get(response.id)!.usage = usage(100, 40);
    const cancelled = await client.responses.cancel(response.id);
    expect(cancelled.status).toBe('cancelled');
    const rows = await h.rows();
    expect(rows).toHaveLength(2);
    // 100 × 0.15 + 40 × 0.60 = 15 + 24 = 39 per 1M = $0.000039 = 390,000 ticks.
    expect(rows[1]).toMatchObject({ input_tokens: 100, output_tokens: 40, cost_usd: '0.000039', cost_ticks: 390_000n, cost_status: 'priced' });
    expect(rawOf(rows[1]!).background).toEqual({ id: response.id, status: 'cancelled' });
    expect(budget()).toEqual({ spent: 2_370_000n, reserved: 0n });
  });

  it('one that ends without usage keeps its estimate, now settled, and says so', async () => {
    const response = await client.responses.create({ model: 'gpt-4o-mini', input: INPUT, max_output_tokens: 1000, background: true });
    stored.get(response.id)!.status = 'failed';
    await client.responses.retrieve(response.id);
    const row = (await h.rows())[2]!;
    expect(row).toMatchObject({ input_tokens: 100, output_tokens: 1000, cost_ticks: ESTIMATE, cost_status: 'estimated' });
    expect(row.description).toContain(`background response ${response.id} ended failed without usage llmfin can read`);
    expect(rawOf(row).background).toEqual({ id: response.id, status: 'failed' });
    expect(budget()).toEqual({ spent: 2_370_000n + ESTIMATE, reserved: 0n });
  });

  it('streamed (background: true, stream: true): priced from response.completed like any stream', async () => {
    const stream = await client.responses.create({ model: 'gpt-4o-mini', input: INPUT, max_output_tokens: 1000, background: true, stream: true });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    expect(types).toEqual(['response.created', 'response.in_progress', 'response.output_text.delta', 'response.completed']);
    const rows = await h.rows();
    expect(rows).toHaveLength(4);
    // 200 × 0.15 + 50 × 0.60 = 30 + 30 = 60 per 1M = $0.00006 = 600,000 ticks.
    expect(rows[3]).toMatchObject({ input_tokens: 200, output_tokens: 50, cost_usd: '0.00006', cost_ticks: 600_000n, cost_status: 'priced' });
    expect(rawOf(rows[3]!).background).toBeUndefined();
    expect(budget()).toEqual({ spent: 2_370_000n + ESTIMATE + 600_000n, reserved: 0n });
  });

  it('a retrieval as a stream (resuming it) settles it too, from its response.completed', async () => {
    const response = await client.responses.create({ model: 'gpt-4o-mini', input: INPUT, max_output_tokens: 1000, background: true });
    const spent = budget().spent;
    Object.assign(stored.get(response.id)!, { status: 'completed', usage: usage(80, 20) });
    const stream = await client.responses.retrieve(response.id, { stream: true }, { headers: { 'accept-encoding': 'gzip, br' } });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    expect(types).toEqual(['response.created', 'response.output_text.delta', 'response.completed']);
    // Asked uncompressed, so that its events can be read.
    expect(acceptEncoding).toBe('identity');
    const rows = await h.rows();
    expect(rows).toHaveLength(5);
    // 80 × 0.15 + 20 × 0.60 = 12 + 12 = 24 per 1M = $0.000024 = 240,000 ticks.
    expect(rows[4]).toMatchObject({ input_tokens: 80, output_tokens: 20, cost_usd: '0.000024', cost_ticks: 240_000n, cost_status: 'priced' });
    expect(rawOf(rows[4]!).background).toEqual({ id: response.id, status: 'completed' });
    expect(budget()).toEqual({ spent: spent + 240_000n, reserved: 0n });
  });

  it('a streamed one whose stream breaks off is held as well, at its output cap, and settled when the client resumes it', async () => {
    const spent = budget().spent;
    const stream = await client.responses.create({ model: 'gpt-4o-mini', input: INPUT, max_output_tokens: 1000, background: true, stream: true }, { headers: { 'x-test-cut': '1' } });
    let id: string | undefined;
    const broke = await (async () => {
      for await (const event of stream) if (event.type === 'response.created') id = event.response.id;
    })().catch((e: unknown) => e);
    expect(broke).toBeInstanceOf(Error);
    let rows = await h.rows();
    expect(rows).toHaveLength(6);
    expect(rows[5]).toMatchObject({ input_tokens: 100, output_tokens: 1000, cost_ticks: ESTIMATE, cost_status: 'estimated' });
    expect(rows[5]!.description).toContain(`background response ${id!} in_progress when created; its stream ended early (stream_interrupted) and usage comes when it is retrieved`);
    expect(budget()).toEqual({ spent, reserved: ESTIMATE });

    Object.assign(stored.get(id!)!, { status: 'completed', usage: usage(100, 500) });
    const resumed = await client.responses.retrieve(id!, { stream: true, starting_after: 1 });
    for await (const event of resumed) void event;
    rows = await h.rows();
    expect(rows).toHaveLength(6);
    // 100 × 0.15 + 500 × 0.60 = 15 + 300 = 315 per 1M = $0.000315 = 3,150,000 ticks.
    expect(rows[5]).toMatchObject({ input_tokens: 100, output_tokens: 500, cost_usd: '0.000315', cost_ticks: 3_150_000n, cost_status: 'priced' });
    expect(budget()).toEqual({ spent: spent + 3_150_000n, reserved: 0n });
  });

  it('/metrics counts a background response once, at its real cost when known, never at the pending estimate', async () => {
    const metrics = await (await fetch(`${h.proxy.url}/metrics`)).text();
    // Served model: 300 (completed) + 40 (cancelled) + 50 (streamed) + 20 (stream retrieval) + 500 (resumed) = 910 output tokens.
    expect(metrics).toContain('llmfin_proxy_tokens_total{upstream="openai",model="gpt-4o-mini-2024-07-18",class="output"} 910');
    // The model asked for: only the failed one's estimate, 1000; the pending estimates were never counted.
    expect(metrics).toContain('llmfin_proxy_tokens_total{upstream="openai",model="gpt-4o-mini",class="output"} 1000');
  });
});

describe('a background response not retrieved within the hold', () => {
  it('has its reservation settled on the estimate; a later retrieval still re-prices its row and the budget, once', async () => {
    const held = new BudgetGuard(ConfigSchema.parse({ budgets: [{ name: 'bg', scope: { team: 'bg' }, limit_usd: 1, action: 'block' }] }).budgets);
    const h2 = await startHarness({ gate: held, backgroundHoldMs: 100, config: { upstreams: { openai: { base_url: upstream.url, dialect: 'openai' } } } });
    try {
      const c = new OpenAI({ baseURL: `${h2.proxy.url}/v1`, apiKey: 'sk-client-bg', maxRetries: 0, defaultHeaders: { 'x-llmfin-team': 'bg' } });
      const response = await c.responses.create({ model: 'gpt-4o-mini', input: INPUT, max_output_tokens: 1000, background: true });
      expect(held.snapshot()[0]).toMatchObject({ spentTicks: 0n, reservedTicks: ESTIMATE });
      await new Promise((resolve) => setTimeout(resolve, 250));
      // The hold is over: the budget spends the estimate (at least what it may have cost).
      expect(held.snapshot()[0]).toMatchObject({ spentTicks: ESTIMATE, reservedTicks: 0n });
      const metrics = () => fetch(`${h2.proxy.url}/metrics`).then((r) => r.text());
      expect(await metrics()).toContain('llmfin_proxy_tokens_total{upstream="openai",model="gpt-4o-mini",class="output"} 1000');

      Object.assign(stored.get(response.id)!, { status: 'completed', usage: usage(120, 300) });
      await c.responses.retrieve(response.id);
      await c.responses.retrieve(response.id);
      const rows = await h2.rows();
      expect(rows).toHaveLength(1);
      // The ledger has the real cost (what a restarted proxy's budgets read back) …
      expect(rows[0]).toMatchObject({ input_tokens: 120, output_tokens: 300, cost_ticks: 1_980_000n, cost_status: 'priced' });
      // … and so has this proxy's budget, moved from the estimate it settled on (twice retrieved, moved once),
      // while /metrics keeps the estimate it already counted.
      expect(held.snapshot()[0]).toMatchObject({ spentTicks: 1_980_000n, reservedTicks: 0n });
      expect(await metrics()).not.toContain('model="gpt-4o-mini-2024-07-18",class="output"');
    } finally {
      await h2.close();
    }
  });

  it('one still running when the proxy stops: its reservation ends with it, its row stays estimated', async () => {
    const held = new BudgetGuard(ConfigSchema.parse({ budgets: [{ name: 'bg', scope: { team: 'bg' }, limit_usd: 1, action: 'block' }] }).budgets);
    const h3 = await startHarness({ gate: held, config: { upstreams: { openai: { base_url: upstream.url, dialect: 'openai' } } } });
    const c = new OpenAI({ baseURL: `${h3.proxy.url}/v1`, apiKey: 'sk-client-bg', maxRetries: 0, defaultHeaders: { 'x-llmfin-team': 'bg' } });
    await c.responses.create({ model: 'gpt-4o-mini', input: INPUT, max_output_tokens: 1000, background: true });
    await h3.proxy.close();
    expect(held.snapshot()[0]).toMatchObject({ spentTicks: ESTIMATE, reservedTicks: 0n });
    const rows = await h3.ledger.db.selectFrom('usage_entries').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ output_tokens: 1000, cost_ticks: ESTIMATE, cost_status: 'estimated' });
    await h3.close();
  });
});
