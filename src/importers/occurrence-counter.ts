/**
 * Numbers repeated row identities (1 for the first time a hash is seen, 2 for the
 * second…) in a few bytes per row: a 1M-row FOCUS file kept ~100 MB of hash strings in
 * a Map, a 5M-row one ~500 MB.
 *
 * Each identity hash is remembered as its first 64 bits in an open-addressing table
 * (8 bytes a slot, at most 70% full); only hashes seen again are kept whole, with their
 * count. Two different identities sharing 64 bits (about one chance in a million in a
 * 5M-row file) would give the second one a `#2` key instead of its bare hash: still a
 * unique, repeatable key, and since a FOCUS file replaces its whole period, nothing is
 * lost or counted twice even then.
 */
/** Sub-tables, chosen by the hash's top byte: each grows on its own. */
const PARTS = 256;

export class OccurrenceCounter {
  // One open-addressing table per part instead of one for all: growing a part copies
  // 1/256 of the set, where growing one table briefly held the old and the new (a 5M-row
  // file: 33 + 67 MB at once, most of the import's peak above its steady memory).
  readonly #parts: Uint32Array[] = Array.from({ length: PARTS }, () => new Uint32Array(2 * 16));
  readonly #used = new Uint32Array(PARTS);
  readonly #repeats = new Map<string, number>();

  /** Counts one more occurrence of `hash` (hex, at least 16 digits) and returns its number. */
  next(hash: string): number {
    let hi = Number.parseInt(hash.slice(0, 8), 16) >>> 0;
    const lo = Number.parseInt(hash.slice(8, 16), 16) >>> 0;
    // (0, 0) marks an empty slot.
    if (hi === 0 && lo === 0) hi = 1;
    const part = hi >>> 24;
    if (OccurrenceCounter.#insert(this.#parts[part]!, hi, lo)) {
      if ((this.#used[part]! + 1) * 10 > (this.#parts[part]!.length / 2) * 7) this.#grow(part);
      this.#used[part]!++;
      return 1;
    }
    const n = (this.#repeats.get(hash) ?? 1) + 1;
    this.#repeats.set(hash, n);
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
