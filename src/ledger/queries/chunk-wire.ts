/**
 * The form in which a packed entry chunk (entry-chunk.ts) crosses to an import's writer
 * thread: its per-row values sorted by type into typed arrays and one text, instead of
 * an array of ~4,000 mixed JS values.
 *
 * Why: `postMessage` clones an array value by value, on the reading thread, which is the
 * slower half of a large import. V8's serializer takes ~70 ns a value (a tag and a varint
 * per number, a header and the characters per string): for a 250-row llmfin CSV chunk
 * ~290 µs, and in a CPU profile of a 1M-row import `postMessage` was a third of the
 * reading thread's time. Typed arrays and one string clone as a few copies of memory:
 * sorting the values costs ~60 µs and cloning the result ~20. Turning them back into
 * values is the writer thread's work, and that thread waits for chunks half the time.
 *
 * The text is cut into pieces of at most PIECE_CHARS: a FOCUS chunk's strings (each row's
 * raw usage JSON among them) run to ~150k characters, and one string past V8's largest
 * regular object (128 KB) is allocated apart, page by page: joining 750 strings took
 * 677 µs where 600 of them took 12.
 *
 * Every value comes back as it went: numbers (-0 and NaN too) through a Float64Array,
 * strings by their UTF-16 offsets into their piece of text, bigints through a BigInt64Array
 * when they fit in 64 bits, null as its kind alone; anything else (a bigint past 64 bits,
 * a Buffer) in `others`, cloned as before.
 */
import type { EntryChunk } from './entry-chunk.js';

const NULL = 0;
const NUMBER = 1;
const STRING = 2;
const BIGINT = 3;
const OTHER = 4;

/** Characters per piece of text: under 128 KB even for two-byte strings. */
const PIECE_CHARS = 32_000;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

export interface WireChunk extends Omit<EntryChunk, 'values'> {
  /** Per value of EntryChunk.values, in order: NULL, NUMBER, STRING, BIGINT or OTHER. */
  kinds: Uint8Array;
  /** The NUMBER values in order. */
  numbers: Float64Array;
  /** The STRING values joined in order, a piece after another (see PIECE_CHARS). */
  texts: string[];
  /** How many STRING values each piece of `texts` holds. */
  pieceStrings: number[];
  /** Where each STRING value ends in its piece. */
  ends: Uint32Array;
  /** The BIGINT values in order. */
  bigints: BigInt64Array;
  /** The OTHER values in order. */
  others: unknown[];
}

/** Scratch space, grown to the largest chunk and reused (a chunk is encoded synchronously). */
let kinds = new Uint8Array(0);
let numbers = new Float64Array(0);
let ends = new Uint32Array(0);
let bigints = new BigInt64Array(0);
const parts: string[] = [];

export function toWire(chunk: EntryChunk): WireChunk {
  const { values } = chunk;
  const n = values.length;
  if (kinds.length < n) {
    kinds = new Uint8Array(n);
    numbers = new Float64Array(n);
    ends = new Uint32Array(n);
    bigints = new BigInt64Array(n);
  }
  const others: unknown[] = [];
  const texts: string[] = [];
  const pieceStrings: number[] = [];
  let numberCount = 0;
  let bigintCount = 0;
  let strings = 0;
  let length = 0;
  parts.length = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null) {
      kinds[i] = NULL;
      continue;
    }
    switch (typeof v) {
      case 'number':
        kinds[i] = NUMBER;
        numbers[numberCount++] = v;
        break;
      case 'string':
        kinds[i] = STRING;
        if (length + v.length > PIECE_CHARS && parts.length > 0) {
          texts.push(parts.join(''));
          pieceStrings.push(parts.length);
          parts.length = 0;
          length = 0;
        }
        length += v.length;
        ends[strings++] = length;
        parts.push(v);
        break;
      case 'bigint':
        // Past 64 bits: cloned as it is.
        if (v >= INT64_MIN && v <= INT64_MAX) {
          kinds[i] = BIGINT;
          bigints[bigintCount++] = v;
        } else {
          kinds[i] = OTHER;
          others.push(v);
        }
        break;
      default:
        kinds[i] = OTHER;
        others.push(v);
    }
  }
  if (parts.length > 0) {
    texts.push(parts.join(''));
    pieceStrings.push(parts.length);
    parts.length = 0;
  }
  return {
    rows: chunk.rows, layout: chunk.layout, shared: chunk.shared, dictionaries: chunk.dictionaries, aliases: chunk.aliases,
    // Copies of the used part: a view would clone its whole buffer.
    kinds: kinds.slice(0, n), numbers: numbers.slice(0, numberCount), texts, pieceStrings, ends: ends.slice(0, strings), bigints: bigints.slice(0, bigintCount), others,
  };
}

/** The chunk `toWire` was given, or undefined when `wire` is not one (a writer checks what it is sent). */
export function fromWire(wire: WireChunk): EntryChunk | undefined {
  const { kinds: k, numbers: nums, texts, pieceStrings, ends: e, bigints: bigs, others } = wire;
  if (!Array.isArray(texts) || !Array.isArray(pieceStrings) || texts.length !== pieceStrings.length || !texts.every((t) => typeof t === 'string')) return undefined;
  if (!(k instanceof Uint8Array) || !(nums instanceof Float64Array) || !(e instanceof Uint32Array) || !(bigs instanceof BigInt64Array) || !Array.isArray(others)) return undefined;
  // Built by push: a packed array (see packEntryChunk).
  const values: unknown[] = [];
  let num = 0;
  let s = 0;
  // The piece being read, its text, the strings left in it and where the next one starts.
  let piece = -1;
  let text = '';
  let left = 0;
  let start = 0;
  let big = 0;
  let other = 0;
  for (let i = 0; i < k.length; i++) {
    switch (k[i]) {
      case NULL:
        values.push(null);
        break;
      case NUMBER:
        if (num >= nums.length) return undefined;
        values.push(nums[num++]);
        break;
      case STRING: {
        while (left === 0) {
          // The previous piece must have been read to its end.
          if (start !== text.length || ++piece >= texts.length) return undefined;
          text = texts[piece]!;
          left = pieceStrings[piece]!;
          if (!Number.isInteger(left) || left < 1) return undefined;
          start = 0;
        }
        left--;
        const end = e[s++];
        if (end === undefined || end < start || end > text.length) return undefined;
        values.push(text.slice(start, end));
        start = end;
        break;
      }
      case BIGINT:
        if (big >= bigs.length) return undefined;
        values.push(bigs[big++]);
        break;
      case OTHER:
        if (other >= others.length) return undefined;
        values.push(others[other++]);
        break;
      default:
        return undefined;
    }
  }
  if (num !== nums.length || s !== e.length || start !== text.length || piece !== texts.length - 1 || left !== 0 || big !== bigs.length || other !== others.length) return undefined;
  return { rows: wire.rows, layout: wire.layout, shared: wire.shared, dictionaries: wire.dictionaries, aliases: wire.aliases, values };
}
