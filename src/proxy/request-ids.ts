/**
 * Request ids: a random per-process prefix and a counter — unique across proxies that
 * share a ledger and across restarts, and cheaper than a UUID per request.
 */
import { randomBytes } from 'node:crypto';

const newPrefix = () => `req_${randomBytes(6).toString('hex')}`;

export class RequestIds {
  #prefix = newPrefix();
  #next = 0;

  /** What every id of this process begins with: its rows in a shared ledger are known by it. */
  get prefix(): string {
    return this.#prefix;
  }

  /**
   * A new prefix for the ids from here on. Budgets that SIGHUP brings to a proxy without any
   * count its own rows by their prefix: those of the requests admitted before them, in flight
   * with no budget, then count as another proxy's would (start-proxy.ts startBudgets).
   */
  renew(): void {
    this.#prefix = newPrefix();
  }

  next(): string {
    return `${this.#prefix}${(this.#next++).toString(36).padStart(6, '0')}`;
  }
}
