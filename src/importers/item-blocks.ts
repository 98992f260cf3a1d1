/**
 * A source's items, read one at a time, handed on a block at a time: the form runImport
 * reads (`Importer.readBatches`), so that the steps after the reader (checks, totals,
 * packing for the writer) take one async step a block instead of one a row.
 */
import type { ImportItem } from './importer.js';

/** Items per block: a writer chunk's worth of rows. */
const ITEM_BLOCK = 500;

/** `items` in blocks of at most `size`, in order (never an empty block). */
export async function* itemBlocks(items: AsyncIterable<ImportItem>, size = ITEM_BLOCK): AsyncIterable<ImportItem[]> {
  let block: ImportItem[] = [];
  try {
    for await (const item of items) {
      block.push(item);
      if (block.length >= size) {
        yield block;
        block = [];
      }
    }
  } catch (error) {
    // The items read before a reader's error come first, as they did one at a time: an
    // earlier row's issue is the one an import without --skip-invalid reports.
    if (block.length > 0) yield block;
    throw error;
  }
  if (block.length > 0) yield block;
}
