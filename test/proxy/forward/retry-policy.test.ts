// The retry decision on its own: which causes are retried, how the upstream's requested
// wait is read (Retry-After in seconds or as a date, retry-after-ms, Azure's
// x-ms-retry-after-ms), the max_wait_ms cap, and the jittered exponential backoff.
import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../../src/config/config-schema.js';
import { requestedWaitMs, retryPolicy, retryWaitMs } from '../../../src/proxy/forward/retry-policy.js';

const policy = retryPolicy(ConfigSchema.parse({ proxy: { retries: { backoff_ms: 400, max_wait_ms: 5000 } } }).proxy.retries)!;
const status = (s: number, headers: Record<string, string> = {}) => ({ kind: 'status' as const, status: s, headers });
const NOW = Date.parse('2026-11-30T12:00:00Z');

describe('retryPolicy', () => {
  it('is off when the section is absent or max is 0; defaults otherwise', () => {
    expect(retryPolicy(undefined)).toBeUndefined();
    expect(retryPolicy(ConfigSchema.parse({ proxy: { retries: { max: 0 } } }).proxy.retries)).toBeUndefined();
    const d = retryPolicy(ConfigSchema.parse({ proxy: { retries: {} } }).proxy.retries)!;
    expect(d).toMatchObject({ max: 2, onUnreachable: true, onTimeout: false, backoffMs: 500, maxWaitMs: 30_000 });
    expect([...d.onStatus]).toEqual([429, 500, 502, 503, 504, 529]);
  });

  it('rejects more than 5 retries with the option named', () => {
    const result = ConfigSchema.safeParse({ proxy: { retries: { max: 9 } } });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.path).toEqual(['proxy', 'retries', 'max']);
  });
});

describe('requestedWaitMs', () => {
  it('reads seconds, an HTTP date and the millisecond headers', () => {
    expect(requestedWaitMs({ 'retry-after': '7' }, NOW)).toBe(7000);
    expect(requestedWaitMs({ 'retry-after': '0.25' }, NOW)).toBe(250);
    expect(requestedWaitMs({ 'retry-after': 'Mon, 30 Nov 2026 12:00:03 GMT' }, NOW)).toBe(3000);
    expect(requestedWaitMs({ 'retry-after': 'Mon, 30 Nov 2026 11:00:00 GMT' }, NOW)).toBe(0);
    expect(requestedWaitMs({ 'retry-after-ms': '120', 'retry-after': '7' }, NOW)).toBe(120);
    expect(requestedWaitMs({ 'x-ms-retry-after-ms': '900' }, NOW)).toBe(900);
    expect(requestedWaitMs({ 'retry-after': 'soon' }, NOW)).toBeUndefined();
    expect(requestedWaitMs({}, NOW)).toBeUndefined();
  });
});

describe('retryWaitMs', () => {
  it('retries configured statuses and failures only, at most max times', () => {
    expect(retryWaitMs(policy, 0, status(503), NOW, () => 0)).toBe(200);
    expect(retryWaitMs(policy, 0, status(400), NOW)).toBeUndefined();
    expect(retryWaitMs(policy, 0, { kind: 'unreachable' }, NOW, () => 0)).toBe(200);
    expect(retryWaitMs(policy, 0, { kind: 'timeout' }, NOW)).toBeUndefined();
    expect(retryWaitMs(policy, 2, status(503), NOW)).toBeUndefined();
  });

  it('doubles the backoff per retry, jittered over its upper half, capped at max_wait_ms', () => {
    // base = 400 x 2^n; wait = base/2 + random x base/2
    expect([0, 1].map((n) => retryWaitMs(policy, n, status(500), NOW, () => 1))).toEqual([400, 800]);
    expect([0, 1].map((n) => retryWaitMs(policy, n, status(500), NOW, () => 0.5))).toEqual([300, 600]);
    const many = retryPolicy(ConfigSchema.parse({ proxy: { retries: { max: 5, backoff_ms: 2000, max_wait_ms: 5000 } } }).proxy.retries)!;
    expect(retryWaitMs(many, 4, status(500), NOW, () => 1)).toBe(5000);
  });

  it("waits what the upstream asked when it is within max_wait_ms, else passes the error on", () => {
    expect(retryWaitMs(policy, 0, status(429, { 'retry-after': '2' }), NOW)).toBe(2000);
    expect(retryWaitMs(policy, 0, status(429, { 'retry-after': '6' }), NOW)).toBeUndefined();
    expect(retryWaitMs(policy, 1, status(503, { 'retry-after-ms': '10' }), NOW)).toBe(10);
  });
});
