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
