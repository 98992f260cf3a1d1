/**
 * A ring of the last N minutes of one number (spend, requests): O(1) to add to, O(N)
 * to read, fixed memory whatever the traffic. Minutes are epoch minutes (ms / 60000).
 */
export class MinuteSeries {
  readonly #slots: Float64Array;
  /** The newest minute the ring has been advanced to. */
  #head: number;

  constructor(minutes: number, nowMinute: number) {
    this.#slots = new Float64Array(minutes);
    this.#head = nowMinute;
  }

  get length(): number {
    return this.#slots.length;
  }

  /** Moves the ring forward to `minute`, clearing the minutes it passes. */
  advance(minute: number): void {
    if (minute <= this.#head) return;
    const steps = Math.min(this.#slots.length, minute - this.#head);
    for (let i = 1; i <= steps; i++) this.#slots[(this.#head + i) % this.#slots.length] = 0;
    this.#head = minute;
  }

  /** Adds `value` to `minute`; ignored when older than the ring, advances when newer. */
  add(minute: number, value: number): void {
    if (minute > this.#head) this.advance(minute);
    if (minute <= this.#head - this.#slots.length) return;
    const i = ((minute % this.#slots.length) + this.#slots.length) % this.#slots.length;
    this.#slots[i] = (this.#slots[i] ?? 0) + value;
  }

  /** Oldest to newest, ending at `nowMinute`. */
  values(nowMinute: number): number[] {
    this.advance(nowMinute);
    const n = this.#slots.length;
    const out = new Array<number>(n);
    for (let k = 0; k < n; k++) out[k] = this.#slots[(((this.#head - n + 1 + k) % n) + n) % n] ?? 0;
    return out;
  }

  /** Sum over the ring as of `nowMinute`. */
  total(nowMinute: number): number {
    this.advance(nowMinute);
    let sum = 0;
    for (const v of this.#slots) sum += v;
    return sum;
  }
}
