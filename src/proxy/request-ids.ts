/**
 * Request ids: a random per-process prefix and a counter — unique across proxies that
 * share a ledger and across restarts, and cheaper than a UUID per request.
 */
import { randomBytes } from 'node:crypto';

export class RequestIds {
  readonly #prefix = `req_${randomBytes(6).toString('hex')}`;
  #next = 0;

  /** What every id of this process begins with: its rows in a shared ledger are known by it. */
  get prefix(): string {
    return this.#prefix;
  }

  next(): string {
    return `${this.#prefix}${(this.#next++).toString(36).padStart(6, '0')}`;
  }
}
