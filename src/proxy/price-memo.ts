/**
 * Memoised pricing for the request path. Traffic repeats itself — the same model, prompt
 * template and output cap, the same embedding chunk size — and a price is a pure
 * function of (provider, model, tier, token counts, time), so a result is reused for
 * identical inputs within the same UTC minute (price periods and time-of-day windows
 * change on minute boundaries at the finest). Bounded: cleared when full.
 */
const LIMIT = 4096;

export class PriceMemo<T> {
  readonly #entries = new Map<string, T>();

  /** The value for `key` at `at`, computed once per minute. */
  get(key: string, at: number, compute: () => T): T {
    const k = `${Math.floor(at / 60_000)}\u0000${key}`;
    let v = this.#entries.get(k);
    if (v === undefined) {
      if (this.#entries.size >= LIMIT) this.#entries.clear();
      v = compute();
      this.#entries.set(k, v);
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
