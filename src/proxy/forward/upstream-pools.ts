/**
 * One undici connection pool per upstream origin, kept across requests and config
 * reloads: keep-alive connections are what makes a loopback hop cost microseconds.
 */
import { Pool } from 'undici';

export class UpstreamPools {
  readonly #pools = new Map<string, Pool>();

  get(origin: string): Pool {
    let pool = this.#pools.get(origin);
    if (pool === undefined) {
      // 128 connections as the pass-through floor uses; requests beyond wait in the pool's queue.
      pool = new Pool(origin, { connections: 128, pipelining: 1, keepAliveTimeout: 30_000 });
      this.#pools.set(origin, pool);
    }
    return pool;
  }

  /** Closes pools no longer used after a reload (their requests in flight finish first). */
  retain(origins: ReadonlySet<string>): void {
    for (const [origin, pool] of this.#pools) {
      if (origins.has(origin)) continue;
      this.#pools.delete(origin);
      void pool.close().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.all(pools.map((p) => p.close().catch(() => undefined)));
  }
}
