import { describe, expect, it } from 'vitest';
import { hash53 } from '../../src/shared/hash53.js';

describe('hash53', () => {
  it('is stable, an integer within 53 bits, and depends on every character and the seed', () => {
    const h = hash53('h:3f7a9c');
    expect(h).toBe(hash53('h:3f7a9c'));
    expect(Number.isSafeInteger(h)).toBe(true);
    expect(h).toBeGreaterThanOrEqual(0);
    expect(hash53('h:3f7a9d')).not.toBe(h);
    expect(hash53('3f7a9c:h')).not.toBe(h);
    expect(hash53('h:3f7a9c', 1)).not.toBe(h);
    expect(hash53('')).not.toBe(hash53('\u0000'));
  });

  it('gives 200,000 distinct near-identical signatures 200,000 distinct hashes', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 100_000; i++) {
      seen.add(hash53(`t:claude-sonnet-4-5|${i}|691`));
      seen.add(hash53(`h:${i.toString(16).padStart(64, '0')}`));
    }
    expect(seen.size).toBe(200_000);
  });
});
