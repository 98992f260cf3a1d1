// FocusIdentity: a row's digest depends on its cells alone, never on what the per-column
// memos saw before, and tells apart cells that only a boundary or an order separates.
import { describe, expect, it } from 'vitest';
import { FocusIdentity, hex8 } from '../../src/importers/focus/focus-identity.js';

const digestOf = (identity: FocusIdentity, cells: string[], from?: Int8Array, known?: Int32Array): string => {
  identity.digest(cells, from, known);
  return `${hex8(identity.hi)}${hex8(identity.mid)}${hex8(identity.lo)}`;
};

/** Row i of a bill: a few constant cells, a cycling SKU, a resource per 3 rows, a unique id. */
const row = (i: number): string[] => ['acct', 'USD', `sku-${i % 9}`, `res-${Math.floor(i / 3)}`, `id-${i}`, i % 2 === 0 ? '' : 'é{"t":"x"}'];

describe('FocusIdentity', () => {
  it('gives a row the same digest whatever rows came before (memos filled, full and cleared)', () => {
    const warm = new FocusIdentity(6);
    const seen = new Map<string, number>();
    // 40,000 rows: past the 4096 values a column keeps and the digests all columns keep.
    for (let i = 0; i < 40_000; i++) seen.set(digestOf(warm, row(i)), i);
    expect(seen.size).toBe(40_000);
    for (const i of [0, 1, 5000, 39_999]) expect(digestOf(new FocusIdentity(6), row(i))).toBe([...seen].find(([, n]) => n === i)![0]);
    // Again on the warm instance, out of order.
    for (const i of [39_999, 3, 0]) expect(seen.get(digestOf(warm, row(i)))).toBe(i);
  });

  it('tells apart cells moved across a boundary, swapped, emptied, or differing in one unit', () => {
    const digests = [
      ['ab', 'c'], ['a', 'bc'], ['c', 'ab'], ['', 'abc'], ['abc', ''], ['ab', 'd'], ['ab', 'C'], ['ab\u0000', 'c'], ['ab', 'c\u{1F600}'],
    ].map((cells) => digestOf(new FocusIdentity(2), cells));
    expect(new Set(digests).size).toBe(digests.length);
    for (const d of digests) expect(d).toMatch(/^[0-9a-f]{24}$/);
  });

  it("gives the same digest when some cells' digests come from the caller (a charge class's cells)", () => {
    const plain = new FocusIdentity(6);
    const given = new FocusIdentity(6);
    // Cells 2 and 4 are given, as the class's cells 1 and 0.
    const from = Int8Array.from([-1, -1, 1, -1, 0, -1]);
    for (let i = 0; i < 500; i++) {
      const cells = row(i);
      const known = FocusIdentity.cellDigests([cells[4]!, cells[2]!]);
      expect(digestOf(given, cells, from, known)).toBe(digestOf(plain, cells));
    }
  });

  it('writes a word as 8 hex digits', () => {
    expect([0, 1, 0xdeadbeef, 0xffffffff, 0x0a0b0c0d].map(hex8)).toEqual(['00000000', '00000001', 'deadbeef', 'ffffffff', '0a0b0c0d']);
  });
});
