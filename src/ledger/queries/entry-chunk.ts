/**
 * A chunk of entry rows in the form that crosses to an import's writer thread, each
 * column carried the cheapest way its values allow:
 *
 * - `S` shared: one value in every row (batch, source, created_at, the many NULL and 0
 *   columns…), carried and bound once;
 * - `D` dictionary: at most DICTIONARY_SLOTS distinct values (provider, account, model,
 *   region, SKU description, tags…), carried and bound once each; a row holds each
 *   one's index in four bits of a code, thirteen dictionaries a code (a safe integer),
 *   which the insert takes apart (sharedColumnsInsert);
 * - `A` alias: equal in every row to an earlier `V` column (a FOCUS row's cost is its
 *   reported and its estimated cost too), carried and bound no more;
 * - `V` varying: one value per row.
 *
 * Structured cloning and binding cost per value, and a short string costs about as much
 * as a long one: of a FOCUS row's 20 varying values, 9 are one of a handful of strings
 * in a 250-row chunk and 3 repeat another column. Carried once each, the writer thread
 * spent a quarter less per row, most of it in deserializing chunks. An llmfin CSV row's
 * seven dictionary indexes, one value each, were then most of what a row still carried
 * (15 values); as one code, 9.
 */
import { ENTRY_CHECKS, ENTRY_COLUMNS } from './insert-batch.js';
import { CODE_DICTIONARIES, codeCount, codePlace, DICTIONARY_SLOTS } from './dictionary-code.js';

export interface EntryChunk {
  rows: number;
  /** Per ENTRY_COLUMNS column, how its values are carried: 'S', 'D', 'A' or 'V' (see above). */
  layout: string;
  /** The `S` columns' values, in column order. */
  shared: unknown[];
  /** The `D` columns' distinct values, in column order. */
  dictionaries: unknown[][];
  /** For each `A` column in order, the `V` column it equals. */
  aliases: number[];
  /**
   * Row after row: each `V` column's value in column order, then its dictionary codes
   * (`codeCount`): code g holds the indexes of `D` columns 13g to 13g + 12 (in column
   * order), the k-th of them as `index × 16^k`.
   */
  values: unknown[];
}

/** Values a row of `chunk` holds: its V columns' and its codes. */
function rowWidth(chunk: EntryChunk): number {
  let v = 0;
  for (let c = 0; c < chunk.layout.length; c++) if (chunk.layout.charCodeAt(c) === 86 /* V */) v++;
  return v + codeCount(chunk.dictionaries.length);
}

const WIDTH = ENTRY_COLUMNS.length;

/** One dictionary index per row for each column being tried (packEntryChunk is synchronous). */
const scratch: Uint8Array[] = Array.from({ length: WIDTH }, () => new Uint8Array(0));

/** Packs `rows` rows of flat `rowValues` (rows x ENTRY_COLUMNS) into a chunk. */
export function packEntryChunk(flat: readonly unknown[], rows: number): EntryChunk {
  let layout = '';
  const shared: unknown[] = [];
  const dictionaries: unknown[][] = [];
  const aliases: number[] = [];
  // The V columns (a value per row) and the D columns (an index per row), in column order.
  const varying: number[] = [];
  const indexed: number[] = [];
  for (let c = 0; c < WIDTH; c++) {
    const first = flat[c];
    let same = true;
    for (let r = 1; r < rows && same; r++) same = flat[r * WIDTH + c] === first;
    if (same) {
      layout += 'S';
      shared.push(first);
      continue;
    }
    const dictionary = tryDictionary(flat, rows, c);
    if (dictionary !== undefined) {
      layout += 'D';
      dictionaries.push(dictionary);
      indexed.push(c);
      continue;
    }
    const of = equalColumn(flat, rows, c, varying);
    if (of !== undefined) {
      layout += 'A';
      aliases.push(of);
      continue;
    }
    layout += 'V';
    varying.push(c);
  }
  // Built by push: a packed array, which structured cloning writes and reads far faster than
  // a holey one (`new Array(n)`), which it treats as sparse.
  const values: unknown[] = [];
  const codes = codeCount(indexed.length);
  for (let r = 0; r < rows; r++) {
    const o = r * WIDTH;
    for (let v = 0; v < varying.length; v++) values.push(flat[o + varying[v]!]);
    for (let g = 0; g < codes; g++) {
      // Horner's rule from the group's last column: the k-th column ends up × 16^k.
      let code = 0;
      for (let d = Math.min(indexed.length, (g + 1) * CODE_DICTIONARIES) - 1; d >= g * CODE_DICTIONARIES; d--) code = code * DICTIONARY_SLOTS + scratch[indexed[d]!]![r]!;
      values.push(code);
    }
  }
  return { rows, layout, shared, dictionaries, aliases, values };
}

/** Column `c`'s distinct values if there are at most DICTIONARY_SLOTS, each row's index left in `scratch[c]`. */
function tryDictionary(flat: readonly unknown[], rows: number, c: number): unknown[] | undefined {
  if (scratch[c]!.length < rows) scratch[c] = new Uint8Array(Math.max(rows, 256));
  const indexes = scratch[c]!;
  const seen = new Map<unknown, number>();
  for (let r = 0; r < rows; r++) {
    const value = flat[r * WIDTH + c];
    let index = seen.get(value);
    if (index === undefined) {
      // A column with many values gives up after DICTIONARY_SLOTS + 1 rows or so.
      if (seen.size === DICTIONARY_SLOTS) return undefined;
      seen.set(value, (index = seen.size));
    }
    indexes[r] = index;
  }
  return [...seen.keys()];
}

/** An earlier `V` column that column `c` equals in every row. */
function equalColumn(flat: readonly unknown[], rows: number, c: number, varying: readonly number[]): number | undefined {
  for (const v of varying) {
    let same = true;
    for (let r = 0; r < rows && same; r++) same = flat[r * WIDTH + c] === flat[r * WIDTH + v];
    if (same) return v;
  }
  return undefined;
}

/** Reads one column of a chunk's rows: where its value sits, shared, in a dictionary or per row. */
export interface ChunkColumn {
  get(row: number): unknown;
  /** Gives every row `value` (the writer fills in the batch id). */
  setAll(value: unknown): void;
}

/** The columns of kind `kind` before column `column`. */
function locate(chunk: EntryChunk, column: number, kind: string): number {
  let n = 0;
  for (let c = 0; c < column; c++) if (chunk.layout[c] === kind) n++;
  return n;
}

export function chunkColumn(chunk: EntryChunk, column: number): ChunkColumn {
  const kind = chunk.layout[column]!;
  const index = locate(chunk, column, kind);
  const stride = rowWidth(chunk);
  if (kind === 'A') {
    const target = chunkColumn(chunk, chunk.aliases[index]!);
    return {
      get: (row) => target.get(row),
      setAll: (value) => {
        // No longer a copy of its column: it becomes a shared one.
        const at = locate(chunk, column, 'S');
        chunk.aliases.splice(index, 1);
        chunk.layout = `${chunk.layout.slice(0, column)}S${chunk.layout.slice(column + 1)}`;
        chunk.shared.splice(at, 0, value);
      },
    };
  }
  if (kind === 'S') return { get: () => chunk.shared[index], setAll: (value) => (chunk.shared[index] = value) };
  if (kind === 'D') {
    const { code, scale } = codePlace(index);
    const slot = stride - codeCount(chunk.dictionaries.length) + code;
    const digit = (row: number): number => Math.floor((chunk.values[row * stride + slot] as number) / scale) % DICTIONARY_SLOTS;
    return {
      get: (row) => chunk.dictionaries[index]![digit(row)],
      setAll: (value) => {
        chunk.dictionaries[index] = [value];
        // Every row's index becomes 0: its digit is taken out of the code.
        for (let r = 0; r < chunk.rows; r++) chunk.values[r * stride + slot] = (chunk.values[r * stride + slot] as number) - digit(r) * scale;
      },
    };
  }
  return {
    get: (row) => chunk.values[row * stride + index],
    setAll: (value) => {
      for (let r = 0; r < chunk.rows; r++) chunk.values[r * stride + index] = value;
    },
  };
}

const CHECKED = ENTRY_CHECKS.map(([column, allowed]) => [ENTRY_COLUMNS.indexOf(column), allowed] as const);

/**
 * Whether every value of the columns usage_entries CHECKs (ENTRY_CHECKS) is NULL or one
 * of the values its CHECK allows, so that SQLite's CHECKs would all pass: true only when
 * that is certain (a value of another type is left to SQLite). A shared or dictionary
 * column is decided by its few values, whether or not a row uses each of them.
 */
export function passesEntryChecks(chunk: EntryChunk): boolean {
  const ok = (allowed: ReadonlySet<string>, value: unknown): boolean => value === null || (typeof value === 'string' && allowed.has(value));
  for (const [column, allowed] of CHECKED) {
    const kind = chunk.layout[column];
    if (kind === 'S') {
      if (!ok(allowed, chunk.shared[locate(chunk, column, 'S')])) return false;
    } else if (kind === 'D') {
      if (!chunk.dictionaries[locate(chunk, column, 'D')]!.every((value) => ok(allowed, value))) return false;
    } else {
      const values = chunkColumn(chunk, column);
      for (let r = 0; r < chunk.rows; r++) if (!ok(allowed, values.get(r))) return false;
    }
  }
  return true;
}

/** Whether `chunk` is well formed: whole rows of ENTRY_COLUMNS (a writer checks what it is sent). */
export function isEntryChunk(chunk: EntryChunk): boolean {
  const { rows, layout, shared, dictionaries, aliases, values } = chunk;
  if (!Number.isInteger(rows) || rows < 0 || typeof layout !== 'string' || layout.length !== WIDTH || !/^[SDAV]*$/.test(layout)) return false;
  if (!Array.isArray(shared) || !Array.isArray(dictionaries) || !Array.isArray(aliases) || !Array.isArray(values)) return false;
  const count = (kind: string): number => layout.split(kind).length - 1;
  const varying = count('V');
  const codes = codeCount(count('D'));
  const perRow = varying + codes;
  if (shared.length !== count('S') || dictionaries.length !== count('D') || aliases.length !== count('A') || values.length !== rows * perRow) return false;
  if (!dictionaries.every((d) => Array.isArray(d) && d.length >= 1 && d.length <= DICTIONARY_SLOTS)) return false;
  let a = 0;
  for (let c = 0; c < WIDTH; c++) {
    if (layout[c] !== 'A') continue;
    const of = aliases[a++]!;
    if (!Number.isInteger(of) || of < 0 || of >= c || layout[of] !== 'V') return false;
  }
  // Every code is an integer of its dictionaries' digits, each naming one of its dictionary's values.
  for (let r = 0; r < rows; r++) {
    for (let g = 0; g < codes; g++) {
      const value = values[r * perRow + varying + g];
      if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) return false;
      let code = value;
      for (let d = g * CODE_DICTIONARIES; d < Math.min(dictionaries.length, (g + 1) * CODE_DICTIONARIES); d++) {
        if (code % DICTIONARY_SLOTS >= dictionaries[d]!.length) return false;
        code = Math.floor(code / DICTIONARY_SLOTS);
      }
      if (code !== 0) return false;
    }
  }
  return true;
}
