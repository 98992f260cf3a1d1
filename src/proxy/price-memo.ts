/**
 * Memoised pricing for the request path. Traffic repeats itself — the same model, prompt
 * template and output cap, the same embedding chunk size — and a price is a pure
 * function of (provider, model, tier, token counts, time), so a result is reused for
 * identical inputs within the same UTC minute (price periods and time-of-day windows
 * change on minute boundaries at the finest). The entries are those of one minute: a
 * request from another minute starts them afresh, so the key is the caller's text as it
 * is, not a minute prefix joined onto it (a longer string to build and hash on every
 * lookup). Bounded: cleared when full.
 */
const LIMIT = 4096;

export class PriceMemo<T> {
  readonly #entries = new Map<string, T>();
  #minute = Number.NaN;

  /** The value for `key` at `at`, computed once per minute. */
  get(key: string, at: number, compute: () => T): T {
    const minute = Math.floor(at / 60_000);
    if (minute !== this.#minute) {
      this.#entries.clear();
      this.#minute = minute;
    }
    let v = this.#entries.get(key);
    if (v === undefined) {
      if (this.#entries.size >= LIMIT) this.#entries.clear();
      v = compute();
      this.#entries.set(key, v);
    }
    return v;
  }
}

/** One memo per Pricer (its catalogue and discounts), created on first use. */
export function memoFor<T>(memos: WeakMap<object, PriceMemo<T>>, owner: object): PriceMemo<T> {
  let memo = memos.get(owner);
  if (memo === undefined) memos.set(owner, (memo = new PriceMemo<T>()));
  return memo;
}
