// Anthropic-compatible servers that fill message_start and message_delta differently from
// Anthropic's own API, which repeats the same cumulative input counts in both. The official
// client reads the stream through the proxy from a raw loopback upstream; the row must
// price the prompt whichever of the two events carried its counts, never at zero.
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../proxy-harness.js';
import { startRawUpstream, type RawHandler, type RawUpstream } from '../raw-upstream.js';

let raw: RawUpstream;
let h: Harness;
let client: Anthropic;
beforeAll(async () => {
  raw = await startRawUpstream();
  h = await startHarness({ config: { upstreams: { anthropic: { base_url: raw.url, dialect: 'anthropic' } } } });
  client = new Anthropic({ baseURL: h.proxy.url, apiKey: 'sk-ant-client-0007', maxRetries: 0 });
});
afterAll(async () => {
  await h.close();
  await raw.close();
});

const named = (type: string, data: object) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;

/** A whole stream whose message_start and final message_delta carry these usage objects. */
function stream(startUsage: object, deltaUsage: object): RawHandler {
  return (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.end(
      [
        named('message_start', { message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-haiku-4-5-20251001', content: [], stop_reason: null, stop_sequence: null, usage: startUsage } }),
        named('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
        named('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'Hello there' } }),
        named('content_block_stop', { index: 0 }),
        named('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: deltaUsage }),
        named('message_stop', {}),
      ].join(''),
    );
  };
}

async function read(): Promise<Anthropic.Message> {
  return client.messages.stream({ model: 'claude-haiku-4-5', max_tokens: 100, messages: [{ role: 'user', content: 'Say hello' }] }).finalMessage();
}

// claude-haiku-4-5: input 1, cache_read 0.1, cache_write_5m 1.25, cache_write_1h 2, output 5 USD/1M.
describe('Anthropic-compatible streams: input counts in message_start, message_delta or both', () => {
  it('a message_delta that gives the input counts as 0 keeps those of message_start (SGLang)', async () => {
    raw.handler = stream(
      { input_tokens: 1200, cache_creation_input_tokens: 0, cache_read_input_tokens: 800, output_tokens: 1 },
      { input_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 40 },
    );
    await read();
    const row = (await h.rows()).at(-1)!;
    // 1200 x 1e-6 = 0.0012; 800 x 0.1e-6 = 0.00008; 40 x 5e-6 = 0.0002; total 0.00148.
    expect(row).toMatchObject({
      model: 'claude-haiku-4-5-20251001', input_tokens: 2000, uncached_input_tokens: 1200, cache_read_tokens: 800, output_tokens: 40,
      cost_usd: '0.00148', cost_ticks: 14_800_000n, cost_status: 'priced',
    });
  });

  it('a zeroed cache-write split in message_delta keeps message_start 1-hour writes', async () => {
    raw.handler = stream(
      { input_tokens: 100, cache_creation_input_tokens: 3000, cache_read_input_tokens: 0, cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 3000 }, output_tokens: 1 },
      { input_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 }, output_tokens: 40 },
    );
    await read();
    // 100 x 1e-6 = 0.0001; 3000 x 2e-6 = 0.006; 40 x 5e-6 = 0.0002; total 0.0063.
    expect((await h.rows()).at(-1)).toMatchObject({ input_tokens: 3100, uncached_input_tokens: 100, cache_write_5m_tokens: 0, cache_write_1h_tokens: 3000, output_tokens: 40, cost_usd: '0.0063', cost_status: 'priced' });
  });

  it('a message_start that gives 0 input takes the counts message_delta reports', async () => {
    raw.handler = stream({ input_tokens: 0, output_tokens: 0 }, { input_tokens: 1200, cache_read_input_tokens: 800, output_tokens: 40 });
    await read();
    expect((await h.rows()).at(-1)).toMatchObject({ input_tokens: 2000, uncached_input_tokens: 1200, cache_read_tokens: 800, output_tokens: 40, cost_usd: '0.00148', cost_status: 'priced' });
  });

  it('the same counts in both events (Anthropic) are taken once', async () => {
    const usage = { input_tokens: 1200, cache_creation_input_tokens: 0, cache_read_input_tokens: 800 };
    raw.handler = stream({ ...usage, output_tokens: 1 }, { ...usage, output_tokens: 40 });
    const message = await read();
    expect(message.usage).toMatchObject({ ...usage, output_tokens: 40 });
    expect((await h.rows()).at(-1)).toMatchObject({ input_tokens: 2000, cache_read_tokens: 800, output_tokens: 40, cost_usd: '0.00148' });
  });
});

// Servers that send several message_delta events, each with the cumulative output so far:
// only the one that ends the message (its stop_reason, then message_stop) is the total.
// A stream that stops after an earlier one has a count for the text up to it, and text
// after it the count does not cover: the row is an estimate of both, never "reported".
describe('a stream that stops after a mid-stream message_delta', () => {
  // 12 characters before the delta, 80 after it (20 tokens at four characters a token). The
  // delta's 100 output tokens include thinking the text does not show.
  const BEFORE = 'Hello there!';
  const AFTER = 'x'.repeat(80);
  const head = [
    named('message_start', { message: { id: 'msg_2', type: 'message', role: 'assistant', model: 'claude-haiku-4-5-20251001', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 1000, output_tokens: 1 } } }),
    named('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
    named('content_block_delta', { index: 0, delta: { type: 'text_delta', text: BEFORE } }),
    named('message_delta', { delta: { stop_reason: null, stop_sequence: null }, usage: { output_tokens: 100 } }),
    named('content_block_delta', { index: 0, delta: { type: 'text_delta', text: AFTER } }),
  ];
  // claude-haiku-4-5: input 1, output 5 USD/1M. Output: the delta's 100 plus the 20 after it = 120
  // (more than the 23 all the text alone gives). 1000 x 1e-6 + 120 x 5e-6 = 0.001 + 0.0006 = 0.0016.
  const ESTIMATE = { input_tokens: 1000, output_tokens: 120, cost_usd: '0.0016', cost_ticks: 16_000_000n, cost_status: 'estimated' };

  it('ending without the final delta and message_stop: estimated, not priced as final', async () => {
    raw.handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(head.join(''));
    };
    await read().catch(() => undefined);
    const row = (await h.rows()).at(-1)!;
    expect(row).toMatchObject(ESTIMATE);
    expect(row.description).toContain("the stream ended without the provider's final event");
    expect(JSON.parse(row.raw_usage!)).toMatchObject({ usage_source: 'partial', output_chars: 92 });
  });

  it('an error event after it: estimated the same way', async () => {
    raw.handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end([...head, named('error', { error: { type: 'overloaded_error', message: 'Overloaded' } })].join(''));
    };
    await read().catch(() => undefined);
    const row = (await h.rows()).at(-1)!;
    expect(row).toMatchObject(ESTIMATE);
    expect(row.description).toContain('overloaded_error: Overloaded');
  });

  it('the client going away after it: estimated, the text after the delta counted', async () => {
    raw.handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      // The rest never comes: the client leaves first.
      res.write(head.join(''));
    };
    const controller = new AbortController();
    const stream = await client.messages.create({ model: 'claude-haiku-4-5', max_tokens: 1000, messages: [{ role: 'user', content: 'Say hello' }], stream: true }, { signal: controller.signal });
    await (async () => {
      for await (const event of stream) if (event.type === 'content_block_delta' && event.delta.type === 'text_delta' && event.delta.text === AFTER) controller.abort();
    })().catch(() => undefined);
    const end = Date.now() + 3000;
    while ((await h.rows()).at(-1)?.description?.includes('client_disconnected') !== true) {
      if (Date.now() > end) throw new Error('no row for the disconnected stream');
      await new Promise((r) => setTimeout(r, 10));
    }
    const row = (await h.rows()).at(-1)!;
    expect(row).toMatchObject(ESTIMATE);
    expect(row.description).toContain('client_disconnected: usage_unknown for output');
  });

  it('message_stop after deltas without a stop_reason: the last delta is the total', async () => {
    raw.handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end([...head, named('message_delta', { delta: { stop_reason: null, stop_sequence: null }, usage: { output_tokens: 130 } }), named('message_stop', {})].join(''));
    };
    await read();
    // 1000 x 1e-6 + 130 x 5e-6 = 0.001 + 0.00065 = 0.00165.
    expect((await h.rows()).at(-1)).toMatchObject({ input_tokens: 1000, output_tokens: 130, cost_usd: '0.00165', cost_status: 'priced' });
  });
});
