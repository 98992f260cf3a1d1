/**
 * A FOCUS row's identity digest: 96 bits over its account and its identity cells (the
 * non-money columns), the dedupe key scheme of ledgers that hold no FOCUS row keyed the
 * older way (sha256 of the cells' JSON; see focus-importer.ts for how the scheme is
 * chosen).
 *
 * Why not sha256: a row's ~30 identity cells are ~470 characters, and building their
 * JSON (or any one string of them) and hashing it cost ~4 µs a row, a third of reading a
 * FOCUS row. But a bill repeats its cells: the billing account, period, provider,
 * service and tags change rarely, the SKU's cells cycle through a few values. So each
 * cell is digested once per distinct value (64 bits: two murmur3-style lanes over its
 * UTF-16 units, its length first) and remembered, by column, as the column's last value
 * (compared with `===`, which for an equal string is a native memcmp) and in a bounded
 * map of the column's values; a row then only mixes its cells' digests, in column order,
 * into three 32-bit lanes.
 *
 * Not a cryptographic hash, and it needs not be: the key only has to be the same for the
 * same row, and two different rows with the same digest (about one chance in 10^17 for
 * 5M rows a day; 64-bit cell digests colliding among a column's distinct values is the
 * likelier way, still under one in 10^7 at 5M distinct values) would still get two keys,
 * the second one `#2` from the occurrence counter: no row is lost either way.
 */

import { ownString } from '../../shared/own-string.js';

/** Values per column remembered; past it, the column's map starts again. */
const COLUMN_VALUES = 4096;

/** murmur3's 32-bit finaliser: every input bit moves every output bit. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

export class FocusIdentity {
  /** Per column: its last value and that value's digest (two 32-bit halves). */
  readonly #last: string[];
  readonly #lastA: Int32Array;
  readonly #lastB: Int32Array;
  /** Per column: digests of values seen, as an index into #a/#b. */
  readonly #known: Array<Map<string, number>>;
  #a: Int32Array = new Int32Array(1024);
  #b: Int32Array = new Int32Array(1024);
  #used = 0;
  /** The last digest, as three 32-bit unsigned words (`hi` first). */
  hi = 0;
  mid = 0;
  lo = 0;

  readonly columns: number;

  constructor(columns: number) {
    this.columns = columns;
    this.#last = new Array<string>(columns).fill('');
    // '' is every column's first "last value": its digest is the empty cell's.
    const [a, b] = FocusIdentity.#digest('');
    this.#lastA = new Int32Array(columns).fill(a);
    this.#lastB = new Int32Array(columns).fill(b);
    this.#known = Array.from({ length: columns }, () => new Map<string, number>());
  }

  /** 64 bits of a cell's text: its length, then its units two at a time, in two lanes. */
  static #digest(text: string): [number, number] {
    const n = text.length;
    let a = 0x9e3779b9 ^ n;
    let b = 0x7f4a7c15 ^ Math.imul(n, 0x01000193);
    let i = 0;
    for (; i + 1 < n; i += 2) {
      const w = text.charCodeAt(i) | (text.charCodeAt(i + 1) << 16);
      a = Math.imul(a ^ Math.imul(w, 0xcc9e2d51), 0x1b873593);
      a = Math.imul((a << 13) | (a >>> 19), 5) + 0xe6546b64;
      b = Math.imul(b ^ Math.imul(w, 0x1b873593), 0xcc9e2d51);
      b = Math.imul((b << 15) | (b >>> 17), 5) + 0x561ccd1b;
    }
    if (i < n) {
      const w = text.charCodeAt(i);
      a = Math.imul(a ^ Math.imul(w, 0xcc9e2d51), 0x1b873593);
      b = Math.imul(b ^ Math.imul(w, 0x1b873593), 0xcc9e2d51);
    }
    return [fmix(a), fmix(b ^ a)];
  }

  /** Index of the digest of `text` as a value of column `k` (computed on first sight). */
  #index(k: number, text: string): number {
    const known = this.#known[k]!;
    let index = known.get(text);
    if (index !== undefined) return index;
    const [a, b] = FocusIdentity.#digest(text);
    if (known.size >= COLUMN_VALUES) known.clear();
    if (this.#used === this.#a.length) {
      // The digests of every column's remembered values; past that, start again.
      if (this.#used >= COLUMN_VALUES * 4) {
        for (const map of this.#known) map.clear();
        this.#used = 0;
      } else {
        const [ga, gb] = [new Int32Array(this.#used * 2), new Int32Array(this.#used * 2)];
        ga.set(this.#a);
        gb.set(this.#b);
        [this.#a, this.#b] = [ga, gb];
      }
    }
    index = this.#used++;
    this.#a[index] = a;
    this.#b[index] = b;
    // The cell is a slice of its block of the file: kept as itself it would pin the block.
    known.set(ownString(text), index);
    return index;
  }

  /** The digests of `texts` (two words each, in order): what `digest` takes as `known`. */
  static cellDigests(texts: readonly string[]): Int32Array {
    const digests = new Int32Array(texts.length * 2);
    texts.forEach((text, c) => {
      const [a, b] = FocusIdentity.#digest(text);
      digests[2 * c] = a;
      digests[2 * c + 1] = b;
    });
    return digests;
  }

  /**
   * Digests the row whose identity cells are `cells[0]`…`cells[columns - 1]` into `hi`,
   * `mid` and `lo`. The cells' order is part of the identity. A cell whose digest the
   * caller has already (its charge class's cells: `from[k]` >= 0 names its pair in
   * `known`, a `cellDigests` result for those same texts) is not looked at.
   */
  digest(cells: readonly string[], from?: Int8Array, known?: Int32Array): void {
    const last = this.#last;
    const lastA = this.#lastA;
    const lastB = this.#lastB;
    let h1 = 0x2545f491;
    let h2 = 0x9e3779b9;
    let h3 = 0x6a09e667;
    for (let k = 0; k < this.columns; k++) {
      const text = cells[k]!;
      let a: number;
      let b: number;
      const c = from === undefined ? -1 : from[k]!;
      if (c >= 0) {
        a = known![2 * c]!;
        b = known![2 * c + 1]!;
      } else if (text === last[k]) {
        a = lastA[k]!;
        b = lastB[k]!;
      } else {
        const index = this.#index(k, text);
        a = this.#a[index]!;
        b = this.#b[index]!;
        last[k] = text;
        lastA[k] = a;
        lastB[k] = b;
      }
      // Three lanes, each fed both halves and rotated per cell, so the cells' order counts.
      h1 = Math.imul((h1 ^ a) + b, 0xcc9e2d51);
      h1 = (h1 << 15) | (h1 >>> 17);
      h2 = Math.imul(h2 ^ b, 0x1b873593) + a;
      h2 = (h2 << 13) | (h2 >>> 19);
      h3 = Math.imul(h3 + a, 0x85ebca6b) ^ Math.imul(b, 0xc2b2ae35);
      h3 = (h3 << 11) | (h3 >>> 21);
    }
    h1 = fmix(h1 ^ this.columns);
    h2 = fmix(h2 + h1);
    h3 = fmix(h3 ^ h2);
    this.hi = (h1 + h3) >>> 0;
    this.mid = h2 >>> 0;
    this.lo = h3 >>> 0;
  }
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** 8 lowercase hex digits of an unsigned 32-bit word. */
export function hex8(w: number): string {
  return HEX[w >>> 24]! + HEX[(w >>> 16) & 0xff]! + HEX[(w >>> 8) & 0xff]! + HEX[w & 0xff]!;
}
