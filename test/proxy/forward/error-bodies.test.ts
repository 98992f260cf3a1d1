// An upstream that answers HTTP 200 with an error in place of a response (an Anthropic
// `type: "error"` body, an OpenAI `error` object; a stream whose first event is the error)
// did not run the model: the row is an upstream error with no tokens and no cost, its
// description says so, and the budget's reservation is released, not settled with an
// estimate of a reply that never was. Usage the error reports is still priced.
import type Anthropic from '@anthropic-ai/sdk';
import type OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../proxy-harness.js';
import { startRawDialects, type RawDialects, type RawHandler } from '../raw-dialects.js';
import { recordingGate } from '../recording-gate.js';

const gate = recordingGate();
const { settled } = gate;

let handler: RawHandler = (_req, res) => res.end();
type Handler = RawHandler;
let rd: RawDialects;
let h: Harness;
let openai: OpenAI;
let anthropic: Anthropic;

beforeAll(async () => {
  rd = await startRawDialects((req, res) => handler(req, res), { gate });
  ({ h, openai, anthropic } = rd);
});
afterAll(() => rd.close());

const json = (value: object): Handler => (_req, res) => {
  const text = JSON.stringify(value);
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
};
const sse = (events: string[]): Handler => (_req, res) => {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  res.end(events.join(''));
};
const messages = [{ role: 'user' as const, content: 'Say hello' }];
const NO_COST = { input_tokens: 0, output_tokens: 0, cost_usd: '0', cost_ticks: 0n, cost_status: 'priced', status_code: 200 };

/** Runs `call` and says whether the gate's ticket was released (and nothing settled). */
async function releasedBy(call: () => Promise<unknown>): Promise<boolean> {
  const before = { released: gate.released, settled: settled.length };
  await call().catch(() => undefined);
  await h.rows();
  return gate.released === before.released + 1 && settled.length === before.settled;
}

describe('HTTP 200 with an error in place of a response', () => {
  it('Anthropic JSON type: error — no cost, released, the error in the description', async () => {
    handler = json({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
    expect(await releasedBy(() => anthropic.messages.create({ model: 'claude-haiku-4-5', max_tokens: 100, messages }))).toBe(true);
    const row = (await h.rows()).at(-1)!;
    expect(row).toMatchObject({ ...NO_COST, model: 'claude-haiku-4-5' });
    expect(row.description).toBe("upstream_error: HTTP 200 with the provider's error in place of a response (overloaded_error: Overloaded)");
    expect(h.logs.at(-1)).toContain('overloaded_error');
  });

  it('OpenAI chat JSON error object — no cost, released', async () => {
    handler = json({ error: { message: 'The server had an error while processing your request.', type: 'server_error', param: null, code: null } });
    expect(await releasedBy(() => openai.chat.completions.create({ model: 'gpt-4o-mini', messages }))).toBe(true);
    const row = (await h.rows()).at(-1)!;
    expect(row).toMatchObject({ ...NO_COST, model: 'gpt-4o-mini' });
    expect(row.description).toBe("upstream_error: HTTP 200 with the provider's error in place of a response (server_error: The server had an error while processing your request.)");
  });

  it('Anthropic stream whose first event is an error — no cost, released', async () => {
    handler = sse([`event: error\ndata: ${JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } })}\n\n`]);
    const failed = await anthropic.messages.stream({ model: 'claude-haiku-4-5', max_tokens: 100, messages }).finalMessage().then(() => 'resolved', (e: Error) => e.message);
    expect(failed).toContain('overloaded_error');
    const row = (await h.rows()).at(-1)!;
    expect(row).toMatchObject(NO_COST);
    expect(row.description).toBe("upstream_error: HTTP 200 with the provider's error in place of a response (overloaded_error: Overloaded)");
    expect(gate.released).toBe(3);
    expect(settled).toEqual([]);
  });

  it('Anthropic stream whose error follows only pings — no cost, released', async () => {
    const ping = 'event: ping\ndata: {"type": "ping"}\n\n';
    handler = sse([ping, ping, `event: error\ndata: ${JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } })}\n\n`]);
    expect(await releasedBy(() => anthropic.messages.stream({ model: 'claude-haiku-4-5', max_tokens: 100, messages }).finalMessage())).toBe(true);
    const row = (await h.rows()).at(-1)!;
    expect(row).toMatchObject(NO_COST);
    expect(row.description).toBe("upstream_error: HTTP 200 with the provider's error in place of a response (overloaded_error: Overloaded)");
  });

  it('OpenAI chat stream whose first chunk is an error — no cost, released', async () => {
    handler = sse([`data: ${JSON.stringify({ error: { message: 'Internal error', type: 'server_error', param: null, code: 'internal' } })}\n\n`]);
    expect(
      await releasedBy(async () => {
        const stream = await openai.chat.completions.create({ model: 'gpt-4o-mini', stream: true, messages });
        for await (const _ of stream) void _;
      }),
    ).toBe(true);
    const row = (await h.rows()).at(-1)!;
    expect(row).toMatchObject(NO_COST);
    expect(row.description).toBe("upstream_error: HTTP 200 with the provider's error in place of a response (internal: Internal error)");
  });

  it('an error body that reports usage is priced from it, and settled', async () => {
    handler = json({ error: { message: 'Content filtered', type: 'invalid_request_error', code: 'content_filter' }, usage: { prompt_tokens: 100, completion_tokens: 0, total_tokens: 100 } });
    const before = settled.length;
    await openai.chat.completions.create({ model: 'gpt-4o-mini', messages }).catch(() => undefined);
    // gpt-4o-mini: input 0.15 USD/1M. 100 x 0.15e-6 = 0.000015 USD.
    const row = (await h.rows()).at(-1)!;
    expect(row).toMatchObject({ input_tokens: 100, output_tokens: 0, cost_usd: '0.000015', cost_ticks: 150_000n, cost_status: 'priced' });
    expect(settled.slice(before)).toEqual([150_000n]);
  });

  it('an error after the model started (message_start first) is still estimated, not $0', async () => {
    const named = (type: string, data: object) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
    handler = sse([
      named('message_start', { message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-haiku-4-5', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 2000, output_tokens: 1 } } }),
      named('error', { error: { type: 'overloaded_error', message: 'Overloaded' } }),
    ]);
    await anthropic.messages.stream({ model: 'claude-haiku-4-5', max_tokens: 100, messages }).finalMessage().catch(() => undefined);
    // claude-haiku-4-5: input 1, output 5 USD/1M. 2000 x 1e-6 + 1 x 5e-6 = 0.002005 USD.
    expect((await h.rows()).at(-1)).toMatchObject({ input_tokens: 2000, output_tokens: 1, cost_usd: '0.002005', cost_status: 'estimated' });
    expect(settled.at(-1)).toBe(20_050_000n);
  });
});
