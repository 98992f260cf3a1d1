import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { OccurrenceCounter } from '../../src/importers/occurrence-counter.js';

const hash = (i: number) => createHash('sha256').update(String(i)).digest('hex').slice(0, 32);

describe('OccurrenceCounter', () => {
  it('numbers each hash 1, 2, 3… across table growth, like a Map of counts', () => {
    const counter = new OccurrenceCounter();
    const counts = new Map<string, number>();
    for (let i = 0; i < 50_000; i++) {
      // Every 7th row repeats an earlier identity.
      const h = hash(i % 7 === 0 ? i % 100 : i);
      const expected = (counts.get(h) ?? 0) + 1;
      counts.set(h, expected);
      expect(counter.next(h)).toBe(expected);
    }
  });

  it('counts keys that are not hashes (CUR line item ids) the same way', () => {
    const counter = new OccurrenceCounter();
    const counts = new Map<string, number>();
    for (let i = 0; i < 20_000; i++) {
      const key = `lineitem-${i % 3 === 0 ? i % 50 : i}|2026-10-01T00:00:00Z/2026-10-02T00:00:00Z`;
      const expected = (counts.get(key) ?? 0) + 1;
      counts.set(key, expected);
      expect(counter.next(key)).toBe(expected);
    }
  });

  it('tells keys that are almost hex apart (a non-hex digit, an uppercase one, a short key)', () => {
    const counter = new OccurrenceCounter();
    const base = hash(1);
    // sha256('1') begins 6b86b273ff34fce1: its uppercase spelling is another key.
    const keys = [base, `${base.slice(0, 15)}g${base.slice(16)}`, `${base.slice(0, 16).toUpperCase()}${base.slice(16)}`, base.slice(0, 15)];
    for (const key of keys) expect(counter.next(key)).toBe(1);
    for (const key of keys) expect(counter.next(key)).toBe(2);
  });

  it('handles the all-zero hash', () => {
    const counter = new OccurrenceCounter();
    expect([counter.next('0'.repeat(32)), counter.next('0'.repeat(32))]).toEqual([1, 2]);
  });
});
