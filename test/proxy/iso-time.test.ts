// isoTime caches the seconds prefix: it must give toISOString's text for any time, across
// second boundaries, for fractional milliseconds (truncated as Date truncates) and outside
// the four-digit years where the prefix is not used.
import { describe, expect, it } from 'vitest';
import { isoTime } from '../../src/proxy/iso-time.js';

describe('isoTime', () => {
  it('is toISOString for times around second boundaries, in any order', () => {
    const base = Date.UTC(2026, 11, 1, 5, 59, 59, 990);
    const times = [0, 1, 9, 10, 99, 100, 999, 1000, base, base + 9, base + 10, base + 19.7, base - 5000.4, base + 2 ** 20, 253_402_300_799_999];
    for (let i = 0; i < 3000; i++) times.push(base + Math.floor(i * 7.3) + (i % 3) / 3);
    for (const t of times) expect(isoTime(t)).toBe(new Date(t).toISOString());
    // Alternating between two seconds re-formats the prefix each time and stays right.
    for (const t of [base, base + 1000, base, base + 1000.5]) expect(isoTime(t)).toBe(new Date(t).toISOString());
  });

  it('falls back to toISOString outside the fixed format', () => {
    for (const t of [-1, -86_400_000.5, 253_402_300_800_000, 8.64e15]) expect(isoTime(t)).toBe(new Date(t).toISOString());
  });
});
