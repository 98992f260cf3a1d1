/**
 * The request feed: the newest requests, and the costliest of the last hour. Both are
 * short lists kept in memory (at most `size` rows each), fed by the rows as they arrive.
 */
import type { LiveRow } from './live-row.js';

const HOUR_MS = 3_600_000;

export class RequestFeed {
  readonly #size: number;
  #latest: LiveRow[] = [];
  #costliest: LiveRow[] = [];

  constructor(size = 50) {
    this.#size = size;
  }

  /** Seeds both lists from the ledger (`latest` oldest first). */
  seed(latest: readonly LiveRow[], costliest: readonly LiveRow[]): void {
    this.#latest = latest.filter(isRequest).slice(-this.#size);
    this.#costliest = [...costliest].sort(byCost).slice(0, this.#size);
  }

  add(rows: readonly LiveRow[]): void {
    const requests = rows.filter(isRequest);
    if (requests.length === 0) return;
    this.#latest = this.#latest.concat(requests.slice(-this.#size)).slice(-this.#size);
    const floor = this.#costliest.length < this.#size ? -1n : (this.#costliest.at(-1)?.costTicks ?? 0n);
    const candidates = requests.filter((r) => (r.costTicks ?? 0n) > floor);
    if (candidates.length > 0) this.#costliest = this.#costliest.concat(candidates).sort(byCost).slice(0, this.#size);
  }

  /** Newest first. */
  latest(): LiveRow[] {
    return [...this.#latest].reverse();
  }

  /** Costliest first, of the requests that started in the hour before `now`. */
  costliest(now: number): LiveRow[] {
    const cutoff = now - HOUR_MS;
    this.#costliest = this.#costliest.filter((r) => Date.parse(r.ts) >= cutoff);
    return [...this.#costliest];
  }
}

function isRequest(row: LiveRow): boolean {
  return row.granularity === 'request' && row.chargeCategory === 'usage';
}

function byCost(a: LiveRow, b: LiveRow): number {
  const x = a.costTicks ?? -1n;
  const y = b.costTicks ?? -1n;
  return x === y ? b.id - a.id : x > y ? -1 : 1;
}
