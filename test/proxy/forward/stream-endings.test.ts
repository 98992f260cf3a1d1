// Streams that end cleanly (the upstream closes its response normally) without the
// provider's final usage: cut short before the terminal event, or carrying the provider's
// own error event (Anthropic's overloaded_error after message_start, an OpenAI chat chunk
// with an `error` object, the Responses API's response.failed). The official clients see
// exactly the bytes the provider sent; the row is estimated (never $0), priced for the
// model the stream's events named, and its description says how the stream ended.
// The upstream is a raw node:http server on loopback, to send exactly these events.
import type Anthropic from '@anthropic-ai/sdk';
import type OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../proxy-harness.js';
import { startRawDialects, type RawDialects, type RawHandler } from '../raw-dialects.js';

type Handler = RawHandler;
let handler: Handler = (_req, res) => res.end();
let rd: RawDialects;
let h: Harness;
let openai: OpenAI;
let anthropic: Anthropic;

beforeAll(async () => {
  rd = await startRawDialects((req, res) => handler(req, res));
  ({ h, openai, anthropic } = rd);
});
afterAll(() => rd.close());

function sse(events: string[]): Handler {
  return (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.end(events.join(''));
  };
}
const named = (type: string, data: object) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
const chunk = (data: object) => `data: ${JSON.stringify(data)}\n\n`;

describe('streams that end without their final usage', () => {
  it('Anthropic: an overloaded_error after message_start — input as reported, output estimated, the error in the description', async () => {
    const events = [
      named('message_start', { message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-haiku-4-5-20251001', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 2000, cache_creation_input_tokens: 0, cache_read_input_tokens: 100, output_tokens: 1 } } }),
      named('content_block_start', { index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } }),
      named('content_block_delta', { index: 0, delta: { type: 'thinking_delta', thinking: 'Let me think about Paris.' } }),
      named('error', { error: { type: 'overloaded_error', message: 'Overloaded' } }),
    ];
    handler = sse(events);
    const stream = anthropic.messages.stream({ model: 'claude-haiku-4-5', max_tokens: 2048, thinking: { type: 'enabled', budget_tokens: 1024 }, messages: [{ role: 'user', content: 'Weather in Paris?' }] });
    const failed = await stream.finalMessage().then(
      () => 'resolved',
      (e: Error) => e.message,
    );
    // What the provider's own stream gives the client: its error event, as an API error.
    expect(failed).toContain('overloaded_error');
    const row = (await h.rows()).at(-1)!;
    // claude-haiku-4-5: input 1, cache_read 0.1, output 5 USD/1M. Input as message_start reported it;
    // output estimated from the 25 characters of thinking seen: ceil(25 / 4) = 7 (more than the 1 reported).
    // 2000 x 1e-6 = 0.002; 100 x 0.1e-6 = 0.00001; 7 x 5e-6 = 0.000035; total 0.002045.
    expect(row).toMatchObject({
      model: 'claude-haiku-4-5-20251001', input_tokens: 2100, uncached_input_tokens: 2000, cache_read_tokens: 100, output_tokens: 7,
      cost_usd: '0.002045', cost_ticks: 20450000n, cost_status: 'estimated', status_code: 200,
    });
    expect(row.description).toContain('the provider sent an error in the stream: overloaded_error: Overloaded');
    expect(row.description).toContain("the stream ended without the provider's final event");
    expect(row.description).not.toContain('without token counts llmfin can read');
  });

  it('OpenAI chat: an error chunk mid-stream — estimated for the model the chunks named, the error in the description', async () => {
    const base = { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1760000000, model: 'gpt-4o-mini-2024-07-18', system_fingerprint: 'fp_1' };
    const errorChunk = chunk({ error: { message: 'The server had an error while processing your request.', type: 'server_error', param: null, code: null } });
    handler = sse([chunk({ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: 'Hello there' }, logprobs: null, finish_reason: null }], usage: null }), errorChunk]);
    const seen: string[] = [];
    const failed = await (async () => {
      const stream = await openai.chat.completions.create({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'Say hello' }] });
      for await (const c of stream) seen.push(c.choices[0]?.delta.content ?? '');
      return 'completed';
    })().catch((e: Error) => e.message);
    expect(seen).toEqual(['Hello there']);
    expect(failed).toBe('The server had an error while processing your request.');
    const row = (await h.rows()).at(-1)!;
    // gpt-4o-mini-2024-07-18: input 0.15, output 0.6 USD/1M. Prompt "Say hello" 9 characters -> 3 tokens;
    // output "Hello there" 11 characters -> 3 tokens. 3 x 0.15e-6 + 3 x 0.6e-6 = 0.00000225.
    expect(row).toMatchObject({ model: 'gpt-4o-mini-2024-07-18', input_tokens: 3, output_tokens: 3, cost_usd: '0.00000225', cost_ticks: 22500n, cost_status: 'estimated' });
    expect(row.description).toContain('the provider sent an error in the stream: server_error: The server had an error');
  });

  it('OpenAI chat: a stream that ends before its usage chunk and [DONE] — the client sees the chunks sent, the row says the stream ended early', async () => {
    const base = { id: 'chatcmpl-2', object: 'chat.completion.chunk', created: 1760000000, model: 'gpt-4o-mini-2024-07-18', system_fingerprint: 'fp_1' };
    handler = sse([chunk({ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: 'Hello there' }, logprobs: null, finish_reason: null }], usage: null })]);
    const stream = await openai.chat.completions.create({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'Say hello' }] });
    const chunks = [];
    for await (const c of stream) chunks.push(c);
    // The usage:null the proxy asked for is taken back out; nothing else changed.
    expect(chunks).toEqual([{ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: 'Hello there' }, logprobs: null, finish_reason: null }] }]);
    const row = (await h.rows()).at(-1)!;
    expect(row).toMatchObject({ model: 'gpt-4o-mini-2024-07-18', input_tokens: 3, output_tokens: 3, cost_usd: '0.00000225', cost_status: 'estimated' });
    expect(row.description).toBe("usage_unknown: tokens estimated from prompt and output text (4 characters a token) — the stream ended without the provider's final event");
  });

  it('OpenAI chat: a running usage count (vLLM continuous_usage_stats), then the stream ends — estimated, the text after it counted', async () => {
    // Usage on a content chunk is the count so far (the final one comes in its own chunk, with no
    // choices, before [DONE]). 12 characters with it, 80 after it (20 tokens); its 100 output tokens
    // include reasoning the text does not show.
    const base = { id: 'chatcmpl-3', object: 'chat.completion.chunk', created: 1760000000, model: 'gpt-4o-mini-2024-07-18' };
    handler = sse([
      chunk({ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: 'Hello there!' }, finish_reason: null }], usage: { prompt_tokens: 1000, completion_tokens: 100, total_tokens: 1100 } }),
      chunk({ ...base, choices: [{ index: 0, delta: { content: 'x'.repeat(80) }, finish_reason: null }] }),
    ]);
    const stream = await openai.chat.completions.create({ model: 'gpt-4o-mini', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'Say hello' }] });
    for await (const _ of stream) void _;
    const row = (await h.rows()).at(-1)!;
    // gpt-4o-mini: input 0.15, output 0.6 USD/1M. Output 100 + 20 = 120 (not the running 100, priced as final):
    // 1000 x 0.15e-6 + 120 x 0.6e-6 = 0.00015 + 0.000072 = 0.000222 USD.
    expect(row).toMatchObject({ input_tokens: 1000, output_tokens: 120, cost_usd: '0.000222', cost_ticks: 2_220_000n, cost_status: 'estimated' });
    expect(row.description).toContain("the stream ended without the provider's final event");
  });

  it('OpenAI chat: usage on the last content chunk, then [DONE] — priced as reported', async () => {
    const base = { id: 'chatcmpl-4', object: 'chat.completion.chunk', created: 1760000000, model: 'gpt-4o-mini-2024-07-18' };
    handler = sse([
      chunk({ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: 'Hello there!' }, finish_reason: null }] }),
      chunk({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage: { prompt_tokens: 1000, completion_tokens: 100, total_tokens: 1100 } }),
      'data: [DONE]\n\n',
    ]);
    const stream = await openai.chat.completions.create({ model: 'gpt-4o-mini', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'Say hello' }] });
    for await (const _ of stream) void _;
    // 1000 x 0.15e-6 + 100 x 0.6e-6 = 0.00015 + 0.00006 = 0.00021 USD.
    expect((await h.rows()).at(-1)).toMatchObject({ input_tokens: 1000, output_tokens: 100, cost_usd: '0.00021', cost_status: 'priced' });
  });

  it('Responses: response.failed without usage — estimated for the served model, the failure in the description', async () => {
    let seq = 0;
    const ev = (type: string, data: object) => named(type, { sequence_number: seq++, ...data });
    const response = (status: string, extra: object) => ({ id: 'resp_1', object: 'response', created_at: 1760000000, status, model: 'o4-mini-2025-04-16', output: [], usage: null, error: null, ...extra });
    handler = sse([
      ev('response.created', { response: response('in_progress', {}) }),
      ev('response.output_text.delta', { item_id: 'msg_1', output_index: 0, content_index: 0, delta: 'Sunny and warm' }),
      ev('response.failed', { response: response('failed', { error: { code: 'server_error', message: 'The model failed' } }) }),
    ]);
    const stream = await openai.responses.create({ model: 'o4-mini', input: 'Weather in Paris?', stream: true });
    const types: string[] = [];
    for await (const e of stream) types.push(e.type);
    expect(types).toEqual(['response.created', 'response.output_text.delta', 'response.failed']);
    const row = (await h.rows()).at(-1)!;
    // o4-mini-2025-04-16: input 1.1, output 4.4 USD/1M. Prompt 17 characters -> 5 tokens; output
    // "Sunny and warm" 14 characters -> 4 tokens. 5 x 1.1e-6 + 4 x 4.4e-6 = 0.0000231.
    expect(row).toMatchObject({ model: 'o4-mini-2025-04-16', input_tokens: 5, output_tokens: 4, cost_usd: '0.0000231', cost_ticks: 231000n, cost_status: 'estimated' });
    expect(row.description).toBe('usage_unknown: tokens estimated from prompt and output text (4 characters a token) — the provider sent an error in the stream: response.failed (server_error: The model failed)');
  });

  it('Responses: response.failed with usage — priced as reported, the failure still in the description', async () => {
    let seq = 0;
    const ev = (type: string, data: object) => named(type, { sequence_number: seq++, ...data });
    const usage = { input_tokens: 1000, input_tokens_details: { cached_tokens: 0 }, output_tokens: 200, output_tokens_details: { reasoning_tokens: 150 }, total_tokens: 1200 };
    const response = (status: string, extra: object) => ({ id: 'resp_3', object: 'response', created_at: 1760000000, status, model: 'o4-mini-2025-04-16', output: [], usage: null, error: null, ...extra });
    handler = sse([
      ev('response.created', { response: response('in_progress', {}) }),
      ev('response.output_text.delta', { item_id: 'msg_3', output_index: 0, content_index: 0, delta: 'Sunny and warm' }),
      ev('response.failed', { response: response('failed', { usage, error: { code: 'server_error', message: 'The model failed' } }) }),
    ]);
    const stream = await openai.responses.create({ model: 'o4-mini', input: 'Weather in Paris?', stream: true });
    for await (const _ of stream) void _;
    const row = (await h.rows()).at(-1)!;
    // o4-mini-2025-04-16: input 1.1, output 4.4 USD/1M; reasoning is inside the 200 output tokens.
    // 1000 x 1.1e-6 + 200 x 4.4e-6 = 0.0011 + 0.00088 = 0.00198.
    expect(row).toMatchObject({ model: 'o4-mini-2025-04-16', input_tokens: 1000, output_tokens: 200, reasoning_tokens: 150, cost_usd: '0.00198', cost_ticks: 19_800_000n, cost_status: 'priced' });
    expect(row.description).toBe('priced from the usage reported — the provider sent an error in the stream: response.failed (server_error: The model failed)');
  });

  it('Anthropic: a last event without its blank line — the cost comment comes after it, not on its data line', async () => {
    const events = [
      named('message_start', { message: { id: 'msg_4', type: 'message', role: 'assistant', model: 'claude-haiku-4-5-20251001', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 1000, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 1 } } }),
      named('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'Hello' } }),
      named('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 100 } }).replace(/\n\n$/, ''),
    ];
    handler = sse(events);
    const types: string[] = [];
    const stream = await anthropic.messages.create({ model: 'claude-haiku-4-5', max_tokens: 100, stream: true, messages: [{ role: 'user', content: 'Say hello' }] });
    for await (const e of stream) types.push(e.type);
    expect(types).toEqual(['message_start', 'content_block_delta', 'message_delta']);
    // claude-haiku-4-5: input 1, output 5 USD/1M: 1000 x 1e-6 + 100 x 5e-6 = 0.001 + 0.0005 = 0.0015.
    expect((await h.rows()).at(-1)).toMatchObject({ input_tokens: 1000, output_tokens: 100, cost_usd: '0.0015', cost_status: 'priced' });
  });

  it('OpenAI chat, usage taken back out: a last chunk without its blank line is still one the client can parse', async () => {
    const base = { id: 'chatcmpl-5', object: 'chat.completion.chunk', created: 1760000000, model: 'gpt-4o-mini-2024-07-18' };
    handler = sse([
      chunk({ ...base, choices: [], usage: { prompt_tokens: 1000, completion_tokens: 100, total_tokens: 1100 } }),
      chunk({ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: 'Hello' }, finish_reason: 'stop' }], usage: null }).replace(/\n\n$/, ''),
    ]);
    const stream = await openai.chat.completions.create({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'Say hello' }] });
    const chunks = [];
    for await (const c of stream) chunks.push(c);
    expect(chunks).toEqual([{ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: 'Hello' }, finish_reason: 'stop' }] }]);
    // gpt-4o-mini: 1000 x 0.15e-6 + 100 x 0.6e-6 = 0.00015 + 0.00006 = 0.00021.
    expect((await h.rows()).at(-1)).toMatchObject({ input_tokens: 1000, output_tokens: 100, cost_usd: '0.00021', cost_status: 'priced' });
  });

  it('Responses without event: lines, cut short: the text counted once, not again from each .done event', async () => {
    const text = 'Sunny and warm';
    const data = (type: string, d: object) => chunk({ type, ...d });
    handler = sse([
      data('response.created', { response: { id: 'resp_2', object: 'response', status: 'in_progress', model: 'gpt-4.1-2025-04-14', output: [], usage: null } }),
      data('response.output_text.delta', { item_id: 'msg_2', output_index: 0, content_index: 0, delta: text }),
      data('response.output_text.done', { item_id: 'msg_2', output_index: 0, content_index: 0, text }),
      data('response.content_part.done', { item_id: 'msg_2', output_index: 0, content_index: 0, part: { type: 'output_text', text, annotations: [] } }),
      data('response.output_item.done', { output_index: 0, item: { id: 'msg_2', type: 'message', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text, annotations: [] }] } }),
    ]);
    const stream = await openai.responses.create({ model: 'gpt-4.1', input: 'Say hello', stream: true });
    for await (const _ of stream) void _;
    const row = (await h.rows()).at(-1)!;
    // gpt-4.1-2025-04-14: input 2, output 8 USD/1M. "Say hello" 9 characters -> 3 tokens; "Sunny and warm"
    // 14 characters -> 4 tokens (not 14, its four copies): 3 x 2e-6 + 4 x 8e-6 = 0.000038.
    expect(row).toMatchObject({ model: 'gpt-4.1-2025-04-14', input_tokens: 3, output_tokens: 4, cost_usd: '0.000038', cost_status: 'estimated' });
    expect(JSON.parse(row.raw_usage!)).toMatchObject({ output_chars: 14 });
  });
});
