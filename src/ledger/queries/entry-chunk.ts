/**
 * A chunk of entry rows in the form that crosses to an import's writer thread: the
 * columns that hold one value in every row (batch, source, created_at, catalogue
 * version, the many NULL and 0 columns…) once, and only the varying ones per row. The
 * insert binds the shared values once (sharedColumnsInsert), and the thread hop copies
 * ~20 values a row instead of 52: structured cloning cost the writer thread more per
 * row than SQLite's binding did.
 */
import { ENTRY_COLUMNS } from './insert-batch.js';

export interface EntryChunk {
  rows: number;
  /** Per ENTRY_COLUMNS column: '1' when every row holds the same value, else '0'. */
  mask: string;
  /** The shared columns' values, in column order. */
  shared: unknown[];
  /** Row after row, the varying columns' values in column order. */
  values: unknown[];
}

const WIDTH = ENTRY_COLUMNS.length;

/** Packs `rows` rows of flat `rowValues` (rows x ENTRY_COLUMNS) into a chunk. */
export function packEntryChunk(flat: readonly unknown[], rows: number): EntryChunk {
  let mask = '';
  const shared: unknown[] = [];
  const varying: number[] = [];
  for (let c = 0; c < WIDTH; c++) {
    const first = flat[c];
    let same = true;
    for (let r = 1; r < rows && same; r++) same = flat[r * WIDTH + c] === first;
    mask += same ? '1' : '0';
    if (same) shared.push(first);
    else varying.push(c);
  }
  const values: unknown[] = new Array(rows * varying.length);
  let k = 0;
  for (let r = 0; r < rows; r++) {
    const o = r * WIDTH;
    for (const c of varying) values[k++] = flat[o + c];
  }
  return { rows, mask, shared, values };
}

/** Reads one column of a chunk's rows: where its value sits, shared or per row. */
export interface ChunkColumn {
  get(row: number): unknown;
  /** Gives every row `value` (the writer fills in the batch id). */
  setAll(value: unknown): void;
}

export function chunkColumn(chunk: EntryChunk, column: number): ChunkColumn {
  let sharedIndex = 0;
  let varyingIndex = 0;
  for (let c = 0; c < column; c++) {
    if (chunk.mask.charCodeAt(c) === 49 /* 1 */) sharedIndex++;
    else varyingIndex++;
  }
  if (chunk.mask.charCodeAt(column) === 49) {
    return { get: () => chunk.shared[sharedIndex], setAll: (value) => (chunk.shared[sharedIndex] = value) };
  }
  const stride = chunk.mask.length - chunk.shared.length;
  return {
    get: (row) => chunk.values[row * stride + varyingIndex],
    setAll: (value) => {
      for (let r = 0; r < chunk.rows; r++) chunk.values[r * stride + varyingIndex] = value;
    },
  };
}

/** Whether `chunk` is well formed: whole rows of ENTRY_COLUMNS (a writer checks what it is sent). */
export function isEntryChunk(chunk: EntryChunk): boolean {
  if (!Number.isInteger(chunk.rows) || chunk.rows < 0 || chunk.mask.length !== WIDTH || !/^[01]*$/.test(chunk.mask)) return false;
  const sharedCount = chunk.mask.split('1').length - 1;
  return chunk.shared.length === sharedCount && chunk.values.length === chunk.rows * (WIDTH - sharedCount);
}
