import { describe, expect, it } from 'vitest';
import { itemBlocks } from '../../src/importers/item-blocks.js';
import type { ImportItem } from '../../src/importers/importer.js';

const issue = (line: number): ImportItem => ({ kind: 'issue', line, message: `row ${line}` });
const lines = (block: ImportItem[]): number[] => block.map((item) => (item.kind === 'issue' ? item.line : -1));

async function* items(lines: number, failAfter?: number): AsyncGenerator<ImportItem> {
  for (let line = 1; line <= lines; line++) {
    if (line === failAfter) throw new Error(`unreadable after line ${line - 1}`);
    yield issue(line);
  }
}

async function collect(blocks: AsyncIterable<ImportItem[]>): Promise<number[][]> {
  const out: number[][] = [];
  for await (const block of blocks) out.push(lines(block));
  return out;
}

describe('itemBlocks', () => {
  it('hands the items on in order, in blocks of at most the size, never an empty one', async () => {
    expect(await collect(itemBlocks(items(7), 3))).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
    expect(await collect(itemBlocks(items(6), 3))).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(await collect(itemBlocks(items(0), 3))).toEqual([]);
  });

  it("hands on the items read before a reader's error, then the error", async () => {
    const seen: number[][] = [];
    const run = async () => {
      for await (const block of itemBlocks(items(10, 5), 3)) seen.push(lines(block));
    };
    await expect(run()).rejects.toThrow('unreadable after line 4');
    expect(seen).toEqual([[1, 2, 3], [4]]);
  });

  it('stops reading when the consumer stops at an earlier item', async () => {
    let read = 0;
    async function* counted(): AsyncGenerator<ImportItem> {
      for (let line = 1; line <= 100; line++) {
        read++;
        yield issue(line);
      }
    }
    for await (const block of itemBlocks(counted(), 4)) if (lines(block)[0] === 5) break;
    expect(read).toBe(8);
  });
});
