// PriceMemo reuses a price for the same key within a UTC minute and computes it afresh in another.
import { describe, expect, it } from 'vitest';
import { PriceMemo } from '../../src/proxy/price-memo.js';

describe('PriceMemo', () => {
  it('computes a key once per minute, and again after the minute changes', () => {
    const memo = new PriceMemo<string>();
    const calls: string[] = [];
    const get = (key: string, at: number) => memo.get(key, at, () => (calls.push(`${key}@${at}`), `${key}:${Math.floor(at / 60_000)}`));
    const minute = Date.UTC(2026, 11, 1, 10, 0);
    expect(get('a', minute)).toBe(`a:${minute / 60_000}`);
    expect(get('a', minute + 59_999)).toBe(`a:${minute / 60_000}`);
    expect(get('b', minute + 1)).toBe(`b:${minute / 60_000}`);
    expect(calls).toEqual([`a@${minute}`, `b@${minute + 1}`]);
    // The next minute, then back: each is priced for its own minute, never served another's.
    expect(get('a', minute + 60_000)).toBe(`a:${minute / 60_000 + 1}`);
    expect(get('a', minute + 30_000)).toBe(`a:${minute / 60_000}`);
    expect(calls.length).toBe(4);
  });
});
