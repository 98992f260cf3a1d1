// A usage object the proxy cannot read — empty, with another API's field names, or with
// counts that are not whole non-negative numbers — is not usage: the row is estimated
// from the prompt and the text seen (four characters a token), never priced at $0 from
// zeros it made up. An input count that can be read is kept, and only the output estimated.
// A provider that reports zero tokens has reported them: that row is priced, at $0.
//
// The upstream here answers with the usage object given in the request's `x-usage` header.
// Prompt "hello world, how are you" = 24 characters = 6 tokens; the reply "hello world!"
// (12 characters) and the streamed "Hello there" (11) = 3 tokens each.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../proxy-harness.js';
import { startRawUpstream, type RawUpstream } from '../raw-upstream.js';

const PROMPT = 'hello world, how are you';
let upstream: RawUpstream;
let h: Harness;

beforeAll(async () => {
  upstream = await startRawUpstream((req, res, raw) => {
    const body = JSON.parse(raw.toString()) as { model: string; stream?: boolean };
    const usage = String(req.headers['x-usage']);
    const path = req.url ?? '';
    if (path.endsWith('/chat/completions') && body.stream === true) {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`data: {"id":"c1","object":"chat.completion.chunk","model":"${body.model}","choices":[{"index":0,"delta":{"content":"Hello there"},"finish_reason":null}],"usage":null}\n\n`);
      res.write(`data: {"id":"c1","object":"chat.completion.chunk","model":"${body.model}","choices":[],"usage":${usage}}\n\n`);
      res.end('data: [DONE]\n\n');
      return;
    }
    let text: string;
    if (path.endsWith('/chat/completions')) text = `{"id":"c1","object":"chat.completion","model":"${body.model}","choices":[{"index":0,"message":{"role":"assistant","content":"hello world!"},"finish_reason":"stop"}],"usage":${usage}}`;
    else if (path.endsWith('/responses')) text = `{"id":"r1","object":"response","model":"${body.model}","output":[{"type":"message","content":[{"type":"output_text","text":"hello world!"}]}],"usage":${usage}}`;
    else if (path.endsWith('/embeddings')) text = `{"object":"list","model":"${body.model}","data":[{"object":"embedding","index":0,"embedding":[0.1,0.2]}],"usage":${usage}}`;
    else text = `{"id":"m1","type":"message","role":"assistant","model":"${body.model}","content":[{"type":"text","text":"hello world!"}],"stop_reason":"end_turn","usage":${usage}}`;
    res.writeHead(200, { 'content-type': 'application/json' }).end(text);
  });
  const url = upstream.url;
  h = await startHarness({ config: { upstreams: { openai: { base_url: url, dialect: 'openai' }, anthropic: { base_url: url, dialect: 'anthropic' } } } });
});
afterAll(async () => {
  await h.close();
  await upstream.close();
});

async function send(path: string, usage: string, body: Record<string, unknown>) {
  const res = await fetch(`${h.proxy.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-usage': usage },
    body: JSON.stringify(body),
  });
  await res.text();
  const row = (await h.rows()).at(-1)!;
  return { header: res.headers.get('x-llmfin-cost-status'), row: [row.input_tokens, row.output_tokens, row.cost_usd, row.cost_status] };
}
const chat = (usage: string, stream = false) => send('/v1/chat/completions', usage, { model: 'gpt-4o-mini', stream, messages: [{ role: 'user', content: PROMPT }] });

describe('usage the proxy cannot read', () => {
  // gpt-4o-mini: $0.15 input, $0.60 output per 1M. 6 x 0.15e-6 + 3 x 0.60e-6 = 0.0000027.
  it('chat: an empty usage object, or one with other field names, is estimated, not $0', async () => {
    expect(await chat('{}')).toEqual({ header: 'estimated', row: [6, 3, '0.0000027', 'estimated'] });
    expect(await chat('{"input_tokens":10,"output_tokens":5}')).toEqual({ header: 'estimated', row: [6, 3, '0.0000027', 'estimated'] });
    expect(await chat('{"total_tokens":50}', true)).toEqual({ header: null, row: [6, 3, '0.0000027', 'estimated'] });
  });

  it('chat: counts that are not whole non-negative numbers are not read as zeros', async () => {
    // A readable input count is kept: 10 x 0.15e-6 + 3 x 0.60e-6 = 0.0000033.
    expect(await chat('{"prompt_tokens":10,"completion_tokens":"5"}')).toEqual({ header: 'estimated', row: [10, 3, '0.0000033', 'estimated'] });
    expect(await chat('{"prompt_tokens":10,"completion_tokens":null}', true)).toEqual({ header: null, row: [10, 3, '0.0000033', 'estimated'] });
    expect(await chat('{"prompt_tokens":-5,"completion_tokens":7}')).toEqual({ header: 'estimated', row: [6, 3, '0.0000027', 'estimated'] });
    expect(await chat('{"prompt_tokens":1.5,"completion_tokens":2}')).toEqual({ header: 'estimated', row: [6, 3, '0.0000027', 'estimated'] });
  });

  it('responses, embeddings and Anthropic messages alike', async () => {
    expect(await send('/v1/responses', '{"input_tokens":"6","output_tokens":"3"}', { model: 'gpt-4o-mini', input: PROMPT })).toEqual({ header: 'estimated', row: [6, 3, '0.0000027', 'estimated'] });
    // text-embedding-3-small: $0.02 per 1M; 6 x 0.02e-6 = 0.00000012.
    expect(await send('/v1/embeddings', '{"total_tokens":6}', { model: 'text-embedding-3-small', input: PROMPT })).toEqual({ header: 'estimated', row: [6, 0, '0.00000012', 'estimated'] });
    // claude-haiku-4-5: $1 input, $5 output per 1M. 6 x 1e-6 + 3 x 5e-6 = 0.000021.
    expect(await send('/v1/messages', '{"output_tokens":5}', { model: 'claude-haiku-4-5', max_tokens: 10, messages: [{ role: 'user', content: PROMPT }] })).toEqual({
      header: 'estimated',
      row: [6, 3, '0.000021', 'estimated'],
    });
  });

  it('a provider that reports zero tokens has reported them: priced, at $0', async () => {
    expect(await chat('{"prompt_tokens":0,"completion_tokens":0}')).toEqual({ header: 'priced', row: [0, 0, '0', 'priced'] });
  });
});
