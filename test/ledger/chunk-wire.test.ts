// A chunk crosses to the import's writer thread as typed arrays and one text
// (chunk-wire.ts): after a real structured clone, every value must come back as it went,
// and anything that is not a whole wire chunk must be refused rather than misread.
import { describe, expect, it } from 'vitest';
import { fromWire, toWire, type WireChunk } from '../../src/ledger/queries/chunk-wire.js';
import type { EntryChunk } from '../../src/ledger/queries/entry-chunk.js';

const chunkOf = (values: unknown[]): EntryChunk => ({ rows: 1, layout: 'V', shared: ['s'], dictionaries: [['a', 'b']], aliases: [], values });

describe('the wire form of a chunk', () => {
  it('gives back every value after a structured clone: numbers, strings, bigints, null and the rest', () => {
    const values: unknown[] = [
      0, -0, 1, -1, 1.5, 2 ** 53 + 2, Number.MAX_VALUE, Number.NaN, Number.POSITIVE_INFINITY,
      '', 'r1', '2026-10-01T00:00:00.000Z', 'ünïcödé · 日本', '😀 pair', '{"env":"prod"}',
      null, 0n, 53125000n, -(2n ** 63n), 2n ** 63n - 1n,
      // Past 64 bits, and a Buffer: cloned as they are.
      2n ** 64n, -(2n ** 70n), Buffer.from([1, 2, 3]),
      'after',
    ];
    const back = fromWire(structuredClone(toWire(chunkOf(values))));
    expect(back).toBeDefined();
    expect(back!.values).toHaveLength(values.length);
    for (const [i, v] of values.entries()) {
      if (Buffer.isBuffer(v)) expect(Buffer.from(back!.values[i] as Uint8Array)).toEqual(v);
      else expect(Object.is(back!.values[i], v), `value ${i}: ${String(back!.values[i])} for ${String(v)}`).toBe(true);
    }
    expect(back).toMatchObject({ rows: 1, layout: 'V', shared: ['s'], dictionaries: [['a', 'b']], aliases: [] });
  });

  it('encodes a small chunk after a large one without leftovers of the large one', () => {
    toWire(chunkOf(Array.from({ length: 5000 }, (_, i) => (i % 2 ? `s${i}` : i))));
    const wire = toWire(chunkOf(['x', 7, null]));
    expect([wire.kinds.length, wire.numbers.length, wire.ends.length, wire.bigints.length, wire.texts]).toEqual([3, 1, 1, 0, ['x']]);
    expect(fromWire(structuredClone(wire))!.values).toEqual(['x', 7, null]);
  });

  it('cuts the text into pieces under V8\'s largest regular object, and reads them back in order', () => {
    // 700 strings of 200 characters (a FOCUS chunk's raw usage JSON), some two-byte, and empty ones between.
    const values = Array.from({ length: 1400 }, (_, i) => (i % 2 ? `${i % 7 === 0 ? 'é' : 'e'}${String(i).padStart(199, '·')}` : i % 3 === 0 ? '' : i));
    const wire = toWire(chunkOf(values));
    expect(wire.texts.length).toBeGreaterThan(4);
    for (const text of wire.texts) expect(text.length).toBeLessThanOrEqual(32_000);
    expect(wire.pieceStrings.reduce((a, b) => a + b, 0)).toBe(values.filter((v) => typeof v === 'string').length);
    expect(fromWire(structuredClone(wire))!.values).toEqual(values);
  });

  it('refuses a wire chunk whose parts do not add up', () => {
    const wire = toWire(chunkOf(['ab', 'cd', 3, 4n, null]));
    const broken: Array<Partial<WireChunk>> = [
      { kinds: new Uint8Array([2, 1, 3, 0]) },
      { kinds: new Uint8Array([2, 2, 1, 3, 9]) },
      { numbers: new Float64Array(0) },
      { numbers: new Float64Array([3, 5]) },
      { texts: ['abcd', ''] },
      { texts: ['abc'] },
      { pieceStrings: [1] },
      { pieceStrings: [3] },
      { ends: new Uint32Array([3, 2]) },
      { bigints: new BigInt64Array(0) },
      { others: [1] },
      { kinds: [2, 2, 1, 3, 0] as unknown as Uint8Array },
    ];
    expect(fromWire(wire)).toBeDefined();
    for (const part of broken) expect(fromWire({ ...wire, ...part }), JSON.stringify(Object.keys(part))).toBeUndefined();
  });
});
