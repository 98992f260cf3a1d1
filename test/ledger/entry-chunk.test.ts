// Packed chunks carry the columns shared by every row once: unpacking must give back
// every row's value, and the batch id must reach every row whether shared or not.
import { describe, expect, it } from 'vitest';
import { ENTRY_COLUMNS } from '../../src/ledger/queries/insert-batch.js';
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
});
