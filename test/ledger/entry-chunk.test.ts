// Packed chunks carry the columns shared by every row once: unpacking must give back
// every row's value, and the batch id must reach every row whether shared or not.
import { describe, expect, it } from 'vitest';
import { ENTRY_COLUMNS } from '../../src/ledger/queries/insert-batch.js';
import { CODE_DICTIONARIES, DICTIONARY_SLOTS } from '../../src/ledger/queries/dictionary-code.js';
import { chunkColumn, isEntryChunk, packEntryChunk } from '../../src/ledger/queries/entry-chunk.js';

const W = ENTRY_COLUMNS.length;

describe('packEntryChunk', () => {
  it('keeps every value of every row, shared columns once', () => {
    for (const rows of [1, 2, 7, 250]) {
      // Column c varies when c % 3 === 0 (and then only in some rows), else is shared.
      const flat = Array.from({ length: rows * W }, (_, i) => {
        const [r, c] = [Math.floor(i / W), i % W];
        return c % 3 === 0 && r % 2 === 1 ? `v${r}` : c % 5 === 0 ? null : c % 7 === 0 ? 10n : c;
      });
      const chunk = packEntryChunk(flat, rows);
      expect(isEntryChunk(chunk)).toBe(true);
      for (let c = 0; c < W; c++) {
        const column = chunkColumn(chunk, c);
        for (let r = 0; r < rows; r++) expect(column.get(r)).toBe(flat[r * W + c]);
      }
      expect(chunk.shared.length).toBe(rows === 1 ? W : W - Math.ceil(W / 3));
    }
  });

  it('sets a column in every row, shared or varying', () => {
    const flat = Array.from({ length: 3 * W }, (_, i) => (i % W === 0 ? Math.floor(i / W) : 'same'));
    const chunk = packEntryChunk(flat, 3);
    chunkColumn(chunk, 0).setAll(42);
    chunkColumn(chunk, 1).setAll('other');
    for (let r = 0; r < 3; r++) expect([chunkColumn(chunk, 0).get(r), chunkColumn(chunk, 1).get(r)]).toEqual([42, 'other']);
    expect(isEntryChunk({ ...chunk, values: chunk.values.slice(1) })).toBe(false);
  });

  it('carries a column of few values as a dictionary, and a copy of an earlier column once', () => {
    const rows = 40;
    // Column 3 varies per row, 4 copies it, 5 holds DICTIONARY_SLOTS values, 6 one more, 7 two values.
    const flat = Array.from({ length: rows * W }, (_, i) => {
      const [r, c] = [Math.floor(i / W), i % W];
      return c === 3 || c === 4 ? `k${r}` : c === 5 ? `d${r % DICTIONARY_SLOTS}` : c === 6 ? BigInt(r % (DICTIONARY_SLOTS + 1)) : c === 7 ? (r % 2 === 0 ? null : 7) : 'same';
    });
    const chunk = packEntryChunk(flat, rows);
    expect(chunk.layout.slice(0, 9)).toBe('SSSVADVDS');
    expect(chunk.aliases).toEqual([3]);
    expect(chunk.dictionaries).toEqual([Array.from({ length: DICTIONARY_SLOTS }, (_, i) => `d${i}`), [null, 7]]);
    // Two varying values and one code (both dictionaries' indexes) a row.
    expect(chunk.values.length).toBe(rows * 3);
    expect(isEntryChunk(chunk)).toBe(true);
    for (let c = 0; c < W; c++) for (let r = 0; r < rows; r++) expect(chunkColumn(chunk, c).get(r)).toBe(flat[r * W + c]);

    // Setting a whole column keeps every other value where it was read.
    chunkColumn(chunk, 4).setAll('four');
    chunkColumn(chunk, 5).setAll(5);
    expect(isEntryChunk(chunk)).toBe(true);
    for (let c = 0; c < W; c++) {
      for (let r = 0; r < rows; r++) expect(chunkColumn(chunk, c).get(r)).toBe(c === 4 ? 'four' : c === 5 ? 5 : flat[r * W + c]);
    }
  });

  it('carries the indexes of many dictionary columns in codes of thirteen, each index where it was read', () => {
    const rows = 60;
    // Columns 1 to 30 each hold a few values (a column c has c % 16 + 2 of them, at most 16); the rest are shared.
    const flat = Array.from({ length: rows * W }, (_, i) => {
      const [r, c] = [Math.floor(i / W), i % W];
      return c >= 1 && c <= 30 ? `c${c}:${(r + c) % Math.min(DICTIONARY_SLOTS, (c % 16) + 2)}` : 'same';
    });
    const chunk = packEntryChunk(flat, rows);
    expect(chunk.dictionaries).toHaveLength(30);
    // 30 dictionaries: codes of 13, 13 and 4, and nothing else varies.
    expect(chunk.values.length).toBe(rows * Math.ceil(30 / CODE_DICTIONARIES));
    expect(chunk.values.every((v) => typeof v === 'number' && Number.isSafeInteger(v))).toBe(true);
    expect(isEntryChunk(chunk)).toBe(true);
    for (let c = 0; c < W; c++) for (let r = 0; r < rows; r++) expect(chunkColumn(chunk, c).get(r)).toBe(flat[r * W + c]);
    // One column of the second code set in every row: the others keep their indexes.
    chunkColumn(chunk, 20).setAll('twenty');
    expect(isEntryChunk(chunk)).toBe(true);
    for (let c = 0; c < W; c++) for (let r = 0; r < rows; r++) expect(chunkColumn(chunk, c).get(r)).toBe(c === 20 ? 'twenty' : flat[r * W + c]);
    // A code with a digit past its dictionary, or one digit too many, is refused.
    const at = (code: number, delta: number) => ({ ...chunk, values: chunk.values.map((v, i) => (i === code ? (v as number) + delta : v)) });
    expect(isEntryChunk(at(2, 2 ** (4 * 4) * 15))).toBe(false);
    expect(isEntryChunk(at(0, 2 ** (4 * CODE_DICTIONARIES)))).toBe(false);
  });

  it('refuses a chunk whose dictionary index or alias points nowhere', () => {
    const flat = Array.from({ length: 20 * W }, (_, i) => (i % W === 1 ? `k${Math.floor(i / W)}` : i % W === 2 ? `k${Math.floor(i / W)}` : i % W === 3 ? Math.floor(i / W) % 2 : 0));
    const chunk = packEntryChunk(flat, 20);
    expect(chunk.layout.slice(0, 4)).toBe('SVAD');
    expect(isEntryChunk(chunk)).toBe(true);
    const bad = (values: unknown[]) => ({ ...chunk, values });
    expect(isEntryChunk(bad(chunk.values.map((v, i) => (i % 2 === 1 ? 2 : v))))).toBe(false);
    expect(isEntryChunk(bad(chunk.values.map((v, i) => (i % 2 === 1 ? '0' : v))))).toBe(false);
    expect(isEntryChunk({ ...chunk, aliases: [2] })).toBe(false);
    expect(isEntryChunk({ ...chunk, dictionaries: [Array.from({ length: DICTIONARY_SLOTS + 1 }, (_, i) => i)] })).toBe(false);
  });
});
