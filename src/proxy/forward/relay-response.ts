/**
 * Sends the upstream's answer to the client. Whole bodies (JSON, errors) are read, their
 * usage priced, and sent with `x-llmfin-cost-usd`; the bytes are the upstream's. Event
 * streams are passed on chunk by chunk as they arrive, read on the side for usage, and
 * end with a comment line carrying the cost (`: llmfin cost_usd=…`), which SSE clients
 * ignore. Only an OpenAI chat stream whose usage llmfin asked for is rewritten, to take
 * that usage back out (gateways.md §3.3).
 */
import { StringDecoder } from 'node:string_decoder';
import type { Dispatcher } from 'undici';
import type { ProxyRuntime } from '../proxy-runtime.js';
import { parseSseEvent, SseSplitter } from '../sse/sse-splitter.js';
import { modelFromBody, responseObject, usageFromBody } from './json-usage.js';
import { isPendingStatus } from '../ledger/attempt-entry.js';
import { errorBodyStatus, errorBodyText } from '../usage/error-body.js';
import { generatedChars } from '../usage/usage-capture.js';
import { clientResponseHeaders } from './proxy-headers.js';
import { loopHeader } from '../loops/loop-watch.js';
import { priceAttempt, recordAttempt, settleLoop } from './record-attempt.js';
import { elapsedMs, type AttemptState } from './attempt-state.js';
import type { AttemptCost } from '../ledger/attempt-entry.js';

/** Header values must be printable ASCII. */
function headerSafe(value: string): string {
  return value.replace(/[^\x20-\x7e]/g, '?');
}

/** The upstream's headers for the client plus llmfin's own, in one object (it is built on every response). */
function responseHeaders(upstream: Dispatcher.ResponseData['headers'], dropLength: boolean, a: AttemptState, priced: AttemptCost | undefined, withCost: boolean): Record<string, string | string[]> {
  const h = clientResponseHeaders(upstream, dropLength);
  h['x-llmfin-request-id'] = a.requestId;
  if (a.modelSent !== undefined) h['x-llmfin-model'] = headerSafe(a.modelSent);
  if (a.routedFrom !== undefined) h['x-llmfin-routed-from'] = headerSafe(a.routedFrom);
  if (a.notice !== undefined) h['x-llmfin-budget-notice'] = headerSafe(a.notice);
  if (a.loop !== undefined) h['x-llmfin-loop'] = loopHeader(a.loop);
  if (a.attempt > 1) h['x-llmfin-attempts'] = String(a.attempt);
  if (withCost && priced !== undefined) {
    if (priced.costUsd !== null) h['x-llmfin-cost-usd'] = priced.costUsd;
    h['x-llmfin-cost-status'] = priced.costStatus;
  }
  return h;
}

export function isTimeout(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT';
}

/** The largest body read for an error in place of a response (error-body.ts): errors are short, replies without usage may not be. */
const ERROR_BODY_LIMIT = 64 * 1024;

/** The whole body of a response, gathered with events (cheaper than an async iterator per chunk). */
function readAll(a: AttemptState, body: Dispatcher.ResponseData['body']): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    body.on('data', (chunk: Buffer) => {
      if (a.ttfbMs === undefined) a.ttfbMs = elapsedMs(a);
      chunks.push(chunk);
      size += chunk.length;
    });
    body.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)));
    body.on('error', reject);
  });
}

/** What a JSON response read before relaying (readBeforeRelay) gave: its body, or the error that broke the read. */
export type ReadBody = { body: Buffer; errorStatus: number | undefined } | { error: unknown };

/**
 * Reads a non-streamed response whole before anything is relayed, for an attempt that
 * proxy.retries may still repeat: an error sent with HTTP 200 in place of a response
 * (Anthropic's overloaded_error under load) gives the status it stands for, which the
 * retry policy then judges as it would that status.
 */
export async function readBeforeRelay(a: AttemptState, up: Dispatcher.ResponseData): Promise<ReadBody> {
  let body: Buffer;
  try {
    body = await readAll(a, up.body);
  } catch (error) {
    return { error };
  }
  const encoding = up.headers['content-encoding'];
  // Every error body names `"error"` (Anthropic's type, OpenAI's member, vLLM's object): a
  // reply without it is relayed unparsed here (relayWhole parses it once, for its usage).
  const plain = encoding === undefined || encoding === 'identity';
  if (body.length > ERROR_BODY_LIMIT || (plain && !body.includes('"error"'))) return { body, errorStatus: undefined };
  const object = responseObject(body, typeof encoding === 'string' ? encoding : undefined);
  const errorStatus = errorBodyStatus(object);
  if (errorStatus !== undefined) a.errorBody = errorBodyText(object);
  return { body, errorStatus };
}

/** A non-streamed response: read it (unless `read` holds it already), price it, send it with its cost. */
export async function relayWhole(rt: ProxyRuntime, a: AttemptState, up: Dispatcher.ResponseData, read?: ReadBody): Promise<void> {
  let body: Buffer;
  try {
    if (read === undefined) body = await readAll(a, up.body);
    else if ('error' in read) throw read.error;
    else body = read.body;
  } catch (error) {
    a.failure = a.clientGone ? 'client_disconnected' : isTimeout(error) ? 'upstream_timeout' : 'stream_interrupted';
    a.failureDetail = a.clientGone ? undefined : (error as Error).message;
    if (!a.clientGone) a.res.destroy();
    recordAttempt(rt, a, priceAttempt(rt, a));
    return;
  }
  if (a.ttfbMs === undefined) a.ttfbMs = elapsedMs(a);
  const capture = a.route.capture;
  if (capture !== undefined && a.statusCode < 400) {
    const encoding = up.headers['content-encoding'];
    a.usage = usageFromBody(capture, body, typeof encoding === 'string' ? encoding : undefined);
    // No usage: an error in place of a response says the model did not run (no cost, the reservation released).
    if (a.usage === undefined && body.length <= ERROR_BODY_LIMIT) a.errorBody = errorBodyText(responseObject(body, typeof encoding === 'string' ? encoding : undefined));
    // No usage, or none that can be read in full: the generated text in the body is what the estimate has to go on.
    if (a.usage === undefined || !a.usage.complete) a.outputChars = generatedChars(body.toString('utf8'));
    // No usage at all: the model the body names (a dated snapshot may be priced unlike its alias).
    // A background create's estimate stays under the model asked for until its usage comes.
    if (a.usage === undefined && a.backgroundCap === undefined) a.streamModel = modelFromBody(body, typeof encoding === 'string' ? encoding : undefined);
    // A background create answered before the model ran: its id, to find it again when it ends.
    if (a.backgroundCap !== undefined && (a.usage === undefined || !a.usage.complete)) {
      const created = responseObject(body, typeof encoding === 'string' ? encoding : undefined);
      if (created !== undefined && typeof created.id === 'string' && isPendingStatus(created.status)) {
        a.background = { id: created.id, status: created.status as string, outputCap: a.backgroundCap };
      }
    }
  }
  const cost = priceAttempt(rt, a);
  settleLoop(rt, a);
  if (!a.clientGone) {
    a.res.writeHead(a.statusCode, responseHeaders(up.headers, false, a, cost, true));
    a.res.end(body);
  } else {
    a.failure = 'client_disconnected';
  }
  const settles = a.route.settles;
  if (a.settling !== undefined && settles !== undefined && a.statusCode < 400) {
    // A retrieval of a background response: read once it has gone to the client.
    const encoding = up.headers['content-encoding'];
    const retrieved = responseObject(body, typeof encoding === 'string' ? encoding : undefined);
    if (retrieved !== undefined && retrieved.id === a.settling && typeof retrieved.status === 'string') {
      a.finalStatus = retrieved.status;
      if (typeof retrieved.created_at === 'number') a.finalCreatedAt = retrieved.created_at;
      a.usage = settles.fromJson(retrieved);
    }
  }
  recordAttempt(rt, a, cost);
}

/**
 * An event stream: pass it on as it comes, read usage on the side, and end with the cost
 * comment. Events, not an async iterator, and the client's response is ended as soon as
 * the provider's terminal event is read: the last events, the comment and the end of the
 * chunked body then leave in one write (Node corks writes made in the same tick).
 * A rewritten stream's text is gathered for the rest of the tick in which it was read
 * (undici hands over each of the provider's chunks from one socket read in the same
 * tick) and leaves in one `write` — or in the `end` — rather than one per chunk: the same
 * bytes, one chunk of the client's chunked body instead of several, and nothing held
 * past the tick, so a stream is never buffered.
 */
export function relayStream(rt: ProxyRuntime, a: AttemptState, up: Dispatcher.ResponseData): Promise<void> {
  const res = a.res;
  res.writeHead(a.statusCode, responseHeaders(up.headers, true, a, undefined, false));
  // A free route's stream is only read when it replays a background response.
  const reader = (a.route.capture ?? (a.settling !== undefined ? a.route.settles : undefined))?.streamReader(a.prepared);
  const rewrite = a.prepared.injectedUsage;
  const splitter = new SseSplitter();
  const decoder = new StringDecoder('utf8');
  let out = '';
  // Whether the stream's first event was the provider's error: then the model never ran (error-body.ts).
  // `events`: 1 once an event other than a keep-alive came.
  let events = 0;
  let errorFirst = false;
  const onEvent = (data: string, event: string | undefined) => {
    const replacement = reader!.onEvent(data, event);
    // A keep-alive (Anthropic's `ping`, sent before message_start too) says nothing of
    // whether the model ran: an error after pings alone is still the stream's first word.
    if (events === 0 && !isKeepAlive(data, event)) {
      events = 1;
      errorFirst = reader!.streamError !== undefined;
    }
    return replacement;
  };
  const read = (raw: string) => {
    const ev = parseSseEvent(raw);
    if (ev.data !== undefined) onEvent(ev.data, ev.event);
  };
  const rewriteEvent = (raw: string) => {
    const ev = parseSseEvent(raw);
    const replacement = ev.data === undefined ? undefined : onEvent(ev.data, ev.event);
    if (replacement === undefined) out += `${raw}\n\n`;
    else if (replacement !== null) out += replacement;
  };
  const body = up.body;

  return new Promise<void>((resolve) => {
    let finished = false;
    let flushScheduled = false;
    // Back-pressure: a slow client slows the upstream read instead of filling memory.
    const wrote = (writable: boolean) => {
      if (!writable && !a.clientGone) {
        body.pause();
        res.once('drain', () => body.resume());
      }
    };
    const flush = () => {
      flushScheduled = false;
      if (finished || out === '') return;
      const text = out;
      out = '';
      wrote(res.write(text));
    };
    /** `eventEnd`: what ends a last event the upstream left without its blank line, so that the cost comment is not read as part of its data. */
    const finish = (error: unknown, eventEnd = '') => {
      if (finished) return;
      finished = true;
      // What was gathered in this tick goes first (with the end and the comment when the stream is complete).
      const pending = out;
      out = '';
      if (error !== undefined) {
        a.failure = a.clientGone ? 'client_disconnected' : isTimeout(error) ? 'upstream_timeout' : 'stream_interrupted';
        a.failureDetail = a.clientGone ? undefined : (error as Error).message;
      } else if (a.clientGone) a.failure = 'client_disconnected';
      if (a.ttfbMs === undefined) a.ttfbMs = elapsedMs(a);
      if (reader !== undefined) {
        a.usage = reader.result();
        a.outputChars = reader.outputChars;
        a.streamModel = reader.servedModel;
        if (a.settling !== undefined && reader.done) {
          a.finalStatus = reader.finalStatus;
          a.finalCreatedAt = reader.createdAt;
        }
        // A background response's stream that ended before its terminal event: the response
        // runs on upstream, and the client can resume it (GET /v1/responses/{id}?stream=true).
        if (a.backgroundCap !== undefined && !reader.done && reader.responseId !== undefined) {
          a.background = { id: reader.responseId, status: 'in_progress', outputCap: a.backgroundCap };
        }
        // The error came first, and no usage or text came after it: the model did not run.
        if (a.failure === undefined && errorFirst && a.usage === undefined && a.outputChars === 0) a.errorBody = reader.streamError;
        if (a.failure === undefined) {
          const ended = reader.done ? undefined : "the stream ended without the provider's final event";
          const said = reader.streamError === undefined ? undefined : `the provider sent an error in the stream: ${reader.streamError}`;
          a.streamNote = ended !== undefined && said !== undefined ? `${said}; ${ended}` : (said ?? ended);
        }
      }
      const cost = priceAttempt(rt, a);
      if (a.failure === undefined) {
        res.end(cost === undefined ? pending : `${pending}${eventEnd}: llmfin request_id=${a.requestId} cost_usd=${cost.costUsd ?? 'unpriced'} cost_status=${cost.costStatus}\n\n`);
      } else if (!a.clientGone) {
        if (pending !== '') res.write(pending);
        // The upstream broke off: end the client's stream abruptly too, so it does not look complete.
        res.destroy();
      }
      recordAttempt(rt, a, cost);
      // Whatever the upstream still sends after its terminal event is read and dropped.
      if (error === undefined) body.resume();
      resolve();
    };
    body.on('data', (chunk: Buffer) => {
      if (finished) return;
      if (a.ttfbMs === undefined) a.ttfbMs = elapsedMs(a);
      let writable = true;
      if (reader === undefined) writable = res.write(chunk);
      else if (!rewrite) {
        writable = res.write(chunk);
        splitter.push(decoder.write(chunk), read);
      } else {
        splitter.push(decoder.write(chunk), rewriteEvent);
        if (out !== '' && !flushScheduled && !reader.done) {
          flushScheduled = true;
          process.nextTick(flush);
        }
      }
      if (reader?.done) return finish(undefined);
      wrote(writable);
    });
    body.on('end', () => {
      if (finished) return;
      let eventEnd = '';
      if (reader !== undefined) {
        const rest = splitter.rest() + decoder.end();
        if (rest.trim() !== '') {
          // A last event without its blank line: read it, and in a rewrite keep it as it came.
          // Either way the cost comment must not run on from its last line (a client would
          // then parse `{…}: llmfin …` as the event's JSON): the blank line goes before it.
          if (rewrite) {
            const before = out.length;
            rewriteEvent(rest);
            if (out.length > before && out.endsWith('\n\n') && !rest.endsWith('\n')) {
              out = out.slice(0, -2);
              eventEnd = '\n\n';
            }
          } else {
            read(rest);
            eventEnd = rest.endsWith('\n') ? '\n' : '\n\n';
          }
        }
      }
      finish(undefined, eventEnd);
    });
    body.on('error', (error: unknown) => finish(error));
  });
}

/** An SSE keep-alive event: Anthropic's `event: ping` / `{"type": "ping"}`. */
function isKeepAlive(data: string, event: string | undefined): boolean {
  return event === 'ping' || (event === undefined && /^\s*\{\s*"type"\s*:\s*"ping"\s*\}\s*$/.test(data));
}
