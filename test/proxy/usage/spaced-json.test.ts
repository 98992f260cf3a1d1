// Servers that write JSON with spaces after colons and commas (Python's json.dumps defaults:
// `{"id": "c1", "usage": null}`) — OpenAI-compatible servers built on it stream chunks like
// that. Their usage is read as exactly as OpenAI's own compact chunks: the row is priced
// from it, not estimated, and a client that did not ask for usage sees neither the
// `"usage": null` members nor the usage chunk the proxy asked for. The Responses and
// Messages readers find their events' types the same way when no `event:` line names them.
import OpenAI from 'openai';
import { request, type IncomingMessage, type ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anthropicMessagesCapture } from '../../../src/proxy/usage/anthropic-messages.js';
import { openaiResponsesCapture } from '../../../src/proxy/usage/openai-responses.js';
import { startHarness, type Harness } from '../proxy-harness.js';
import { startRawUpstream, type RawUpstream } from '../raw-upstream.js';

/** JSON as Python's json.dumps writes it by default. */
const spaced = (value: unknown) => JSON.stringify(value).replace(/([,:])(?=["{[0-9tfn-])/g, '$1 ');

type Handler = (req: IncomingMessage, body: Record<string, unknown>, res: ServerResponse) => void;
let handler: Handler = (_req, _body, res) => res.end();
let raw: RawUpstream;
let h: Harness;
let openai: OpenAI;

beforeAll(async () => {
  raw = await startRawUpstream((req, res, body) => handler(req, JSON.parse(body.toString('utf8')) as Record<string, unknown>, res));
  const url = `${raw.url}/v1`;
  h = await startHarness({ extraUpstreams: { local: { base_url: url, dialect: 'openai' } } });
  openai = new OpenAI({ baseURL: `${h.proxy.url}/v1`, apiKey: 'sk-client-0002', maxRetries: 0, defaultHeaders: { 'x-llmfin-upstream': 'local' } });
});
afterAll(async () => {
  await h.close();
  await raw.close();
});

const base = { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1760000000, model: 'gpt-4o-mini-2024-07-18' };
const contentChunk = { ...base, choices: [{ index: 0, delta: { role: 'assistant', content: 'Hello there' }, finish_reason: null }] };
const stopChunk = { ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] };
const usage = { prompt_tokens: 1200, completion_tokens: 80, total_tokens: 1280, prompt_tokens_details: { cached_tokens: 1024 } };

/** Streams like an OpenAI-compatible server writing spaced JSON: `"usage": null` on each chunk and a usage chunk when asked. */
const spacedChat: Handler = (_req, body, res) => {
  const asked = (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
  const u = asked ? { usage: null } : {};
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  let text = `data: ${spaced({ ...contentChunk, ...u })}\n\ndata: ${spaced({ ...stopChunk, ...u })}\n\n`;
  if (asked) text += `data: ${spaced({ ...base, choices: [], usage })}\n\n`;
  res.end(`${text}data: [DONE]\n\n`);
};

// gpt-4o-mini-2024-07-18: input 0.15, cache_read 0.075, output 0.6 USD/1M. 1200 input of which 1024 cached, 80 output:
// 176 x 0.15e-6 = 0.0000264; 1024 x 0.075e-6 = 0.0000768; 80 x 0.6e-6 = 0.000048; total 0.0001512.
const PRICED = { model: 'gpt-4o-mini-2024-07-18', input_tokens: 1200, uncached_input_tokens: 176, cache_read_tokens: 1024, output_tokens: 80, cost_usd: '0.0001512', cost_ticks: 1_512_000n, cost_status: 'priced', description: null };

describe('spaced JSON', () => {
  it('a chat stream the client did not ask usage of: priced from the usage chunk, which the client does not see, nor the usage: null', async () => {
    handler = spacedChat;
    const chunks = [];
    for await (const c of await openai.chat.completions.create({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'Say hello' }] })) chunks.push(c);
    expect(chunks).toEqual([contentChunk, stopChunk]);
    expect((await h.rows()).at(-1)).toMatchObject(PRICED);
  });

  it('the bytes the client gets are the server\'s, less the usage it did not ask for', async () => {
    handler = spacedChat;
    const text = await new Promise<string>((resolve, reject) => {
      const url = new URL(`${h.proxy.url}/v1/chat/completions`);
      const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer sk-x', 'x-llmfin-upstream': 'local' } }, (res) => {
        let out = '';
        res.setEncoding('utf8');
        res.on('data', (s: string) => (out += s));
        res.on('end', () => resolve(out));
      });
      req.on('error', reject);
      req.end(JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'Say hello' }] }));
    });
    expect(text).toMatch(new RegExp(`^data: ${escape(spaced(contentChunk))}\\n\\ndata: ${escape(spaced(stopChunk))}\\n\\ndata: \\[DONE\\]\\n\\n: llmfin request_id=req_\\S+ cost_usd=0\\.0001512 cost_status=priced\\n\\n$`));
  });

  it('a chat stream the client asked usage of: the usage chunk reaches it as sent, and prices the row', async () => {
    handler = spacedChat;
    const chunks = [];
    for await (const c of await openai.chat.completions.create({ model: 'gpt-4o-mini', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'Say hello' }] })) chunks.push(c);
    expect(chunks.at(-1)).toEqual({ ...base, choices: [], usage });
    expect((await h.rows()).at(-1)).toMatchObject(PRICED);
  });

  it('Responses and Messages events without an event: line are told apart by their spaced type', () => {
    const responses = openaiResponsesCapture.streamReader({ injectedUsage: false });
    responses.onEvent(spaced({ type: 'response.created', response: { model: 'o4-mini-2025-04-16', usage: null } }), undefined);
    responses.onEvent(spaced({ type: 'response.completed', response: { model: 'o4-mini-2025-04-16', usage: { input_tokens: 10, output_tokens: 4 } } }), undefined);
    expect(responses.done).toBe(true);
    expect(responses.result()).toMatchObject({ complete: true, servedModel: 'o4-mini-2025-04-16', reported: { input: 10, output: 4 } });

    const messages = anthropicMessagesCapture.streamReader({ injectedUsage: false });
    messages.onEvent(spaced({ type: 'message_start', message: { model: 'claude-haiku-4-5-20251001', usage: { input_tokens: 20, output_tokens: 1 } } }), undefined);
    messages.onEvent(spaced({ type: 'message_delta', usage: { output_tokens: 9 } }), undefined);
    messages.onEvent(spaced({ type: 'message_stop' }), undefined);
    expect(messages.done).toBe(true);
    expect(messages.result()).toMatchObject({ complete: true, reported: { input: 20, output: 9 } });
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
