// The JSON request line is written field by field for speed: it must be exactly what
// stringifying the line object gives, optional fields and escapes included.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ProxyLog, type RequestLogLine } from '../../../src/proxy/ops/request-log.js';

const at = new Date('2026-11-30T10:00:00.000Z');
const ORDER: Array<keyof RequestLogLine> = ['id', 'method', 'endpoint', 'upstream', 'model', 'routed_from', 'status', 'stream', 'input_tokens', 'output_tokens', 'cost_usd', 'cost_status', 'latency_ms', 'ttfb_ms', 'error'];

function jsonLine(r: RequestLogLine): string {
  const out: string[] = [];
  const log = new ProxyLog((t) => out.push(t), 'json', () => at);
  log.request(r);
  log.flush();
  return out.join('').trimEnd();
}

describe('ProxyLog json request lines', () => {
  const base: RequestLogLine = {
    id: 'req_1', method: 'POST', endpoint: '/v1/chat/completions', upstream: 'openai', model: 'gpt-4o-mini', status: 200, stream: false,
    input_tokens: 1200, output_tokens: 80, cost_usd: '0.0001512', cost_status: 'priced', latency_ms: 1.2, ttfb_ms: 0.9,
  };
  it.each([
    ['all fields', { ...base, routed_from: 'gpt-4o', error: 'upstream_error: "quoted" \\ and\nnewline' }],
    ['optional fields absent', { ...base, model: undefined, ttfb_ms: undefined }],
    ['an error status, unpriced', { ...base, status: 502, cost_usd: null, cost_status: 'unpriced', stream: true, model: 'mödel\u2028' }],
  ])('%s', (_name, r) => {
    const level = r.status >= 500 ? 'error' : r.status >= 400 ? 'warn' : 'info';
    // In the order callers build the line (RequestLogLine's order).
    const ordered = Object.fromEntries(ORDER.filter((k) => k in r).map((k) => [k, r[k]]));
    expect(jsonLine(r)).toBe(JSON.stringify({ ts: at.toISOString(), level, event: 'request', ...ordered }));
  });
});

describe('ProxyLog writes', () => {
  // Fake timers and clock: on a loaded machine more than 5 ms can pass between two lines,
  // which would (rightly) change when the second is written.
  afterEach(() => {
    vi.useRealTimers();
  });

  it('writes at the end of the turn, then gathers what comes within 5 ms of a write into one', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'setImmediate', 'performance'] });
    const writes: string[] = [];
    const log = new ProxyLog((t) => writes.push(t), 'text', () => at);
    log.event('info', 'one');
    expect(writes).toEqual([]);
    vi.advanceTimersByTime(0);
    expect(writes).toEqual(['2026-11-30T10:00:00.000Z one\n']);
    vi.advanceTimersByTime(1);
    log.event('info', 'two');
    log.event('warn', 'three');
    vi.advanceTimersByTime(3);
    expect(writes.length).toBe(1);
    vi.advanceTimersByTime(1);
    expect(writes).toEqual(['2026-11-30T10:00:00.000Z one\n', '2026-11-30T10:00:00.000Z two\n2026-11-30T10:00:00.000Z warn: three\n']);
    // Past the gap, a line leaves at the end of the turn again.
    vi.advanceTimersByTime(10);
    log.event('info', 'four');
    vi.advanceTimersByTime(0);
    expect(writes[2]).toBe('2026-11-30T10:00:00.000Z four\n');
    log.event('info', 'five');
    log.flush();
    expect(writes[3]).toBe('2026-11-30T10:00:00.000Z five\n');
  });
});
