// The upstream's body as the proxy relays it (relay-response.ts): a slow client holds the
// upstream back instead of the proxy buffering the stream, an
// upstream that breaks off mid-body ends the client's response abruptly and records the
// attempt as interrupted, and a client that leaves while a JSON body is awaited aborts it.
// The upstream here is a raw node:http server on loopback, to control every byte and the socket.
import { request, type IncomingMessage, type ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../proxy-harness.js';
import { startRawUpstream, type RawUpstream } from '../raw-upstream.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
let handler: Handler = (_req, res) => res.end();
let raw: RawUpstream;
let h: Harness;

beforeAll(async () => {
  raw = await startRawUpstream((req, res) => handler(req, res));
  const url = raw.url;
  h = await startHarness({ extraUpstreams: { raw: { base_url: url, dialect: 'openai' } }, config: { upstream_timeout_ms: 5000 } });
});
afterAll(async () => {
  await h.close();
  await raw.close();
});

const body = (stream: boolean) => JSON.stringify({ model: 'gpt-4o-mini', stream, messages: [{ role: 'user', content: 'Say hello' }] });

/** A POST to the proxy through the raw upstream; resolves with the response once its headers are in. */
function post(stream: boolean): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const url = new URL(`${h.proxy.url}/v1/chat/completions`);
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer sk-x', 'x-llmfin-upstream': 'raw' } },
      resolve,
    );
    req.on('error', reject);
    req.end(body(stream));
  });
}

async function until(check: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const chunkEvent = (i: number, pad: string) => `data: {"id":"c1","object":"chat.completion.chunk","model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":"w${i} ${pad}"}}]}\n\n`;
const usageEvent = 'data: {"id":"c1","object":"chat.completion.chunk","model":"gpt-4o-mini","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":5000,"total_tokens":5003}}\n\n';

describe('upstream body', () => {
  it('back-pressure: a client that stops reading stops the upstream; then every byte arrives, the usage recorded', async () => {
    const pad = 'x'.repeat(4000);
    const events = 5000; // ~20 MB, far above what the sockets buffer
    let written = 0;
    let blocked = false;
    let wroteAll!: () => void;
    const upstreamDone = new Promise<void>((resolve) => (wroteAll = resolve));
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      let i = 0;
      const pump = () => {
        while (i < events) {
          const ok = res.write(chunkEvent(i++, pad));
          written = i;
          if (!ok) {
            blocked = true;
            res.once('drain', pump);
            return;
          }
        }
        res.end(`${usageEvent}data: [DONE]\n\n`);
        wroteAll();
      };
      pump();
    };
    const res = await post(true);
    res.pause();
    // Not reading: the upstream fills the sockets' buffers and is held there. On a busy
    // machine the buffers take a while to fill, so wait until the writes stop (at most 10 s).
    await until(() => blocked, 15_000);
    let heldAt = -1;
    for (const deadline = Date.now() + 10_000; written !== heldAt && Date.now() < deadline; ) {
      heldAt = written;
      await new Promise((r) => setTimeout(r, 250));
    }
    // Held, not buffered by the proxy: a second on, the ~20 MB are not all written (the sockets
    // and streams hold ~8 MB). A drain or two may still land on a loaded machine, so no exact
    // count is asked for here.
    await new Promise((r) => setTimeout(r, 1000));
    expect(written).toBeLessThan(events);
    // Reading again: the rest arrives, in order, with the cost comment at the end.
    let text = '';
    res.setEncoding('utf8');
    res.on('data', (s: string) => (text += s));
    res.resume();
    await new Promise((r) => res.on('end', r));
    await upstreamDone;
    // The usage event the proxy asked for (the client did not) is taken back out.
    expect(text.split('data: {').length - 1).toBe(events);
    expect(text).toContain(chunkEvent(events - 1, pad));
    expect(text.indexOf(chunkEvent(0, pad))).toBe(0);
    expect(text).toMatch(/data: \[DONE\]\n\n: llmfin request_id=req_\S+ cost_usd=\S+ cost_status=priced\n\n$/);
    const row = (await h.rows()).at(-1)!;
    expect(row).toMatchObject({ status_code: 200, input_tokens: 3, output_tokens: 5000, cost_status: 'priced', description: null });
  });

  it('an upstream stream that breaks off: the client stream is cut, the row says stream_interrupted', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(chunkEvent(0, 'hello'));
      res.write(chunkEvent(1, 'there'));
      setTimeout(() => res.socket?.destroy(), 50);
    };
    const res = await post(true);
    let text = '';
    res.setEncoding('utf8');
    res.on('data', (s: string) => (text += s));
    const outcome = await new Promise<string>((resolve) => {
      res.on('end', () => resolve('end'));
      res.on('error', () => resolve('error'));
      res.on('aborted', () => resolve('aborted'));
    });
    expect(outcome).not.toBe('end');
    expect(text).toBe(chunkEvent(0, 'hello') + chunkEvent(1, 'there'));
    await until(async () => (await h.rows()).at(-1)?.description?.includes('stream_interrupted') === true);
    const row = (await h.rows()).at(-1)!;
    expect(row).toMatchObject({ status_code: 200, cost_status: 'estimated' });
  });

  it('a JSON body that breaks off: nothing half-sent to the client, the row says stream_interrupted', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      res.write('{"id":"c1","object":"chat.completion","model":"gpt-4o-mini","choices":[');
      setTimeout(() => res.socket?.destroy(), 50);
    };
    const failed = await post(false).then(
      () => 'answered',
      (e: NodeJS.ErrnoException) => e.code,
    );
    expect(failed).toBe('ECONNRESET');
    await until(async () => (await h.rows()).at(-1)?.description?.includes('stream_interrupted') === true);
    expect((await h.rows()).at(-1)).toMatchObject({ status_code: 200, cost_status: 'estimated' });
  });

  it('a client that leaves while the JSON body is awaited: the upstream call is aborted, the row says client_disconnected', async () => {
    let upstreamClosed = false;
    let reached = false;
    handler = (_req, res) => {
      reached = true;
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      res.write('{"id":"c1",');
      res.on('close', () => (upstreamClosed = true));
    };
    const url = new URL(`${h.proxy.url}/v1/chat/completions`);
    const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer sk-x', 'x-llmfin-upstream': 'raw' } });
    req.on('error', () => undefined);
    req.end(body(false));
    await until(() => reached);
    await new Promise((r) => setTimeout(r, 50));
    req.destroy();
    await until(() => upstreamClosed);
    await until(async () => (await h.rows()).at(-1)?.description?.includes('client_disconnected') === true);
    expect((await h.rows()).at(-1)).toMatchObject({ status_code: 200, cost_status: 'estimated' });
  });
});
