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
export class OccurrenceCounter {
  #slots = new Uint32Array(2 * 1024);
  #used = 0;
  readonly #repeats = new Map<string, number>();

  /** Counts one more occurrence of `hash` (hex, at least 16 digits) and returns its number. */
  next(hash: string): number {
    let hi = Number.parseInt(hash.slice(0, 8), 16) >>> 0;
    const lo = Number.parseInt(hash.slice(8, 16), 16) >>> 0;
    // (0, 0) marks an empty slot.
    if (hi === 0 && lo === 0) hi = 1;
    if (this.#insert(hi, lo)) {
      if ((this.#used + 1) * 10 > (this.#slots.length / 2) * 7) this.#grow();
      this.#used++;
      return 1;
    }
    const n = (this.#repeats.get(hash) ?? 1) + 1;
    this.#repeats.set(hash, n);
    return n;
  }

  /** Adds (hi, lo) unless present; true when it was added. */
  #insert(hi: number, lo: number): boolean {
    const slots = this.#slots;
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

  #grow(): void {
    const old = this.#slots;
    this.#slots = new Uint32Array(old.length * 2);
    for (let i = 0; i < old.length; i += 2) if (old[i] !== 0 || old[i + 1] !== 0) this.#insert(old[i]!, old[i + 1]!);
  }
}
