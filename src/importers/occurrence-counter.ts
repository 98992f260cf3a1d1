/**
 * Numbers repeated row identities (1 for the first time a hash is seen, 2 for the
 * second…) in a few bytes per row: a 1M-row FOCUS file kept ~100 MB of hash strings in
 * a Map, a 5M-row one ~500 MB.
 *
 * Each identity is remembered as 64 bits in an open-addressing table (8 bytes a slot, at
 * most 70% full): the first 16 hex digits of a key that is already a hash, else a 64-bit
 * FNV-1a of the key (a CUR line item id), so callers never hash a key only to count it.
 * Only keys seen again are kept whole, with their count. Two different identities sharing 64 bits (about one chance in a million in a
 * 5M-row file) would give the second one a `#2` key instead of its bare hash: still a
 * unique, repeatable key, and since a FOCUS file replaces its whole period, nothing is
 * lost or counted twice even then.
 */
const HEX_PREFIX = /^[0-9a-f]{16}/;

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

/** Sub-tables, chosen by the hash's top byte: each grows on its own. */
const PARTS = 256;

export class OccurrenceCounter {
  // One open-addressing table per part instead of one for all: growing a part copies
  // 1/256 of the set, where growing one table briefly held the old and the new (a 5M-row
  // file: 33 + 67 MB at once, most of the import's peak above its steady memory).
  readonly #parts: Uint32Array[] = Array.from({ length: PARTS }, () => new Uint32Array(2 * 16));
  readonly #used = new Uint32Array(PARTS);
  readonly #repeats = new Map<string, number>();

  /** Counts one more occurrence of `key` and returns its number. */
  next(key: string): number {
    let hi: number;
    let lo: number;
    if (HEX_PREFIX.test(key)) {
      hi = Number.parseInt(key.slice(0, 8), 16) >>> 0;
      lo = Number.parseInt(key.slice(8, 16), 16) >>> 0;
    } else [hi, lo] = fnv1a64(key);
    // (0, 0) marks an empty slot.
    if (hi === 0 && lo === 0) hi = 1;
    const part = hi >>> 24;
    if (OccurrenceCounter.#insert(this.#parts[part]!, hi, lo)) {
      if ((this.#used[part]! + 1) * 10 > (this.#parts[part]!.length / 2) * 7) this.#grow(part);
      this.#used[part]!++;
      return 1;
    }
    const n = (this.#repeats.get(key) ?? 1) + 1;
    this.#repeats.set(key, n);
    return n;
  }

  /** Adds (hi, lo) to `slots` unless present; true when it was added. */
  static #insert(slots: Uint32Array, hi: number, lo: number): boolean {
    const mask = slots.length / 2 - 1;
    let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & mask;
    for (;;) {
      const h = slots[2 * i]!;
      const l = slots[2 * i + 1]!;
      if (h === 0 && l === 0) {
        slots[2 * i] = hi;
        slots[2 * i + 1] = lo;
        return true;
      }
      if (h === hi && l === lo) return false;
      i = (i + 1) & mask;
    }
  }

  #grow(part: number): void {
    const old = this.#parts[part]!;
    const slots = new Uint32Array(old.length * 2);
    for (let i = 0; i < old.length; i += 2) if (old[i] !== 0 || old[i + 1] !== 0) OccurrenceCounter.#insert(slots, old[i]!, old[i + 1]!);
    this.#parts[part] = slots;
  }
}
