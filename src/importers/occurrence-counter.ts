/**
 * Numbers repeated row identities (1 for the first time a hash is seen, 2 for the
 * second…) in a few bytes per row: a 1M-row FOCUS file kept ~100 MB of hash strings in
 * a Map, a 5M-row one ~500 MB.
 *
 * Each identity is remembered as 60 bits in open-addressing tables (6 bytes a slot, at
 * most 70% full; see the class): of the first 16 hex digits of a key that is already a
 * hash, else of a 64-bit FNV-1a of the key (a CUR line item id), so callers never hash a
 * key only to count it. Only keys seen again are kept whole, with their count. Two
 * different identities sharing 60 bits (about one chance in 100,000 in a 5M-row file)
 * would give the second one a `#2` key instead of its bare hash: still a unique,
 * repeatable key, and since a FOCUS file replaces its whole period, nothing is lost or
 * counted twice even then.
 */
/** The value of 8 lowercase hex digits of `key` from `from`, or -1 when they are not all such digits. */
function hex32(key: string, from: number): number {
  let value = 0;
  for (let i = from; i < from + 8; i++) {
    const c = key.charCodeAt(i);
    // '0'-'9' and 'a'-'f'; NaN past the end of the key fails both.
    const digit = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : -1;
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

/** FNV-1a over the UTF-16 units of `text`, 64 bits kept as two 32-bit halves. */
function fnv1a64(text: string): [number, number] {
  // 64-bit FNV prime 0x100000001b3, offset basis 0xcbf29ce484222325, in 16-bit limbs.
  let h0 = 0x2325;
  let h1 = 0x8422;
  let h2 = 0x9ce4;
  let h3 = 0xcbf2;
  for (let i = 0; i < text.length; i++) {
    h0 ^= text.charCodeAt(i);
    // (h3 h2 h1 h0) × (2^40 + 0x1b3), mod 2^64.
    const t0 = h0 * 0x1b3;
    const t1 = h1 * 0x1b3;
    const t2 = h2 * 0x1b3 + (h0 << 8);
    const t3 = h3 * 0x1b3 + (h1 << 8);
    const c1 = t1 + (t0 >>> 16);
    const c2 = t2 + (c1 >>> 16);
    h0 = t0 & 0xffff;
    h1 = c1 & 0xffff;
    h2 = c2 & 0xffff;
    h3 = (t3 + (c2 >>> 16)) & 0xffff;
  }
  return [((h3 << 16) | h2) >>> 0, ((h1 << 16) | h0) >>> 0];
}

/** Sub-tables, chosen by the identity's top 12 bits: each grows on its own. */
const PART_BITS = 12;
const PARTS = 1 << PART_BITS;

/** A part's first size, in slots (a power of two). */
const FIRST_SLOTS = 8;

export class OccurrenceCounter {
  // One open-addressing table per part instead of one for all: growing a part copies
  // 1/4096 of the set, where growing one table briefly held the old and the new (a 5M-row
  // file: 33 + 67 MB at once, most of the import's peak above its steady memory). The part
  // is the identity's top 12 bits, so a slot keeps only the next 48 (16 + 32 in two
  // arrays): 6 bytes where 8 kept 8 bits that the part already said. 60 bits in all leave
  // a collision about one chance in 100,000 in a 5M-row file, and the tables of a
  // 5M-row FOCUS file take 48 MB instead of 64 (the part of its peak RSS that grows).
  readonly #mid: Uint16Array[] = Array.from({ length: PARTS }, () => new Uint16Array(FIRST_SLOTS));
  readonly #low: Uint32Array[] = Array.from({ length: PARTS }, () => new Uint32Array(FIRST_SLOTS));
  readonly #used = new Uint32Array(PARTS);
  readonly #repeats = new Map<string, number>();

  /** Counts one more occurrence of `key` and returns its number. */
  next(key: string): number {
    // Read by character codes: a regular expression, two slices and two parseInt calls
    // were half of the counter's time for a FOCUS row.
    let hi = hex32(key, 0);
    let lo = hi < 0 ? -1 : hex32(key, 8);
    if (lo < 0) [hi, lo] = fnv1a64(key);
    return this.nextOf(hi, lo, key);
  }

  /**
   * `next` for a key whose caller already has 64 bits of hash for it (`hi`, `lo`:
   * unsigned 32-bit words, of which the counter keeps 60), so they are not read back
   * from its text. The key itself is kept only when it repeats.
   */
  nextOf(hi: number, lo: number, key: string): number {
    const part = hi >>> (32 - PART_BITS);
    const mid = hi & 0xffff;
    // (0, 0) marks an empty slot.
    if (mid === 0 && lo === 0) lo = 1;
    if (OccurrenceCounter.#insert(this.#mid[part]!, this.#low[part]!, mid, lo)) {
      if ((this.#used[part]! + 1) * 10 > this.#low[part]!.length * 7) this.#grow(part);
      this.#used[part]!++;
      return 1;
    }
    const n = (this.#repeats.get(key) ?? 1) + 1;
    this.#repeats.set(key, n);
    return n;
  }

  /** Adds (mid, lo) to a part's slots unless present; true when it was added. */
  static #insert(mids: Uint16Array, lows: Uint32Array, mid: number, lo: number): boolean {
    const mask = lows.length - 1;
    let i = (lo ^ Math.imul(mid, 0x9e3779b1)) & mask;
    for (;;) {
      const m = mids[i]!;
      const l = lows[i]!;
      if (m === 0 && l === 0) {
        mids[i] = mid;
        lows[i] = lo;
        return true;
      }
      if (m === mid && l === lo) return false;
      i = (i + 1) & mask;
    }
  }

  #grow(part: number): void {
    const [oldMid, oldLow] = [this.#mid[part]!, this.#low[part]!];
    const mids = new Uint16Array(oldLow.length * 2);
    const lows = new Uint32Array(oldLow.length * 2);
    for (let i = 0; i < oldLow.length; i++) if (oldMid[i] !== 0 || oldLow[i] !== 0) OccurrenceCounter.#insert(mids, lows, oldMid[i]!, oldLow[i]!);
    this.#mid[part] = mids;
    this.#low[part] = lows;
  }
}
